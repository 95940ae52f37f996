/** `solflow blocklist add|remove|list`: options and help; actions/blocklist.ts runs them. */
import { withExample } from '../examples.js';
import type { CommandRegistrar } from './types.js';

export const registerBlocklist: CommandRegistrar = (program, setExit) => {
  const blocklist = program.command('blocklist').description('mints left out of query results (spam, scams): add, remove, list');
  withExample(blocklist, 'solflow blocklist add <mint> --reason "rug"');

  const add = blocklist
    .command('add')
    .description('block a mint (already blocked: says so, exit 0; a new --reason replaces the old one)')
    .argument('<mint>', 'token mint address')
    .option('--reason <text>', 'why, shown by blocklist list')
    .option('--db <path>', 'SQLite database (env SOLFLOW_DB, default ./solflow.db); created if missing')
    .action(async (mint: string, opts: { reason?: string; db?: string }) => setExit(await (await import('../actions/blocklist.js')).runAdd(mint, opts)));
  withExample(add, 'solflow blocklist add <mint> --reason "honeypot"');

  const remove = blocklist
    .command('remove')
    .description('unblock a mint (not blocked: says so, exit 0)')
    .argument('<mint>', 'token mint address')
    .option('--db <path>', 'SQLite database (env SOLFLOW_DB, default ./solflow.db)')
    .action(async (mint: string, opts: { db?: string }) => setExit(await (await import('../actions/blocklist.js')).runRemove(mint, opts)));
  withExample(remove, 'solflow blocklist remove <mint>');

  const list = blocklist
    .command('list')
    .description('the blocked mints, newest first')
    .option('--db <path>', 'SQLite database (env SOLFLOW_DB, default ./solflow.db)')
    .option('--format <format>', 'table, json or ndjson (the same: one object per line) or csv', 'table')
    .option('--json', 'same as --format json')
    .action(async (opts: { db?: string; format?: string; json?: boolean }) => setExit(await (await import('../actions/blocklist.js')).runList(opts)));
  withExample(list, 'solflow blocklist list --json');
};

