/**
 * `solflow blocklist add|remove|list`: mints that `query` leaves out unless --include-blocked.
 * Writes open the database writable (creating it if needed, like any writer); list reads it
 * read-only. Running ingests read the blocklist when they start, so changes reach them at their
 * next start.
 */
import { addBlocked, listBlocked, removeBlocked, type BlockedMint } from '../store/blocklist.js';
import { EXIT, UsageError } from './errors.js';
import { withExample } from './examples.js';
import type { CommandRegistrar } from './main.js';
import { parseAddress, parseFormat } from './options.js';
import { renderRows, type Column } from './output.js';
import { out } from './query.js';
import { withReader, withWriter } from './with-db.js';

const RESTART_NOTE = 'running ingests pick this up when they next start';

export const registerBlocklist: CommandRegistrar = (program, setExit) => {
  const blocklist = program.command('blocklist').description('mints left out of query results (spam, scams): add, remove, list');
  withExample(blocklist, 'solflow blocklist add <mint> --reason "rug"');

  const add = blocklist
    .command('add')
    .description('block a mint (already blocked: says so, exit 0; a new --reason replaces the old one)')
    .argument('<mint>', 'token mint address')
    .option('--reason <text>', 'why, shown by blocklist list')
    .option('--db <path>', 'SQLite database (env SOLFLOW_DB, default ./solflow.db); created if missing')
    .action(async (mint: string, opts: { reason?: string; db?: string }) => setExit(await runAdd(mint, opts)));
  withExample(add, 'solflow blocklist add <mint> --reason "honeypot"');

  const remove = blocklist
    .command('remove')
    .description('unblock a mint (not blocked: says so, exit 0)')
    .argument('<mint>', 'token mint address')
    .option('--db <path>', 'SQLite database (env SOLFLOW_DB, default ./solflow.db)')
    .action(async (mint: string, opts: { db?: string }) => setExit(await runRemove(mint, opts)));
  withExample(remove, 'solflow blocklist remove <mint>');

  const list = blocklist
    .command('list')
    .description('the blocked mints, newest first')
    .option('--db <path>', 'SQLite database (env SOLFLOW_DB, default ./solflow.db)')
    .option('--format <format>', 'table, json (one object per line) or csv', 'table')
    .option('--json', 'same as --format json')
    .action(async (opts: { db?: string; format?: string; json?: boolean }) => setExit(await runList(opts)));
  withExample(list, 'solflow blocklist list --json');
};

function say(line: string): void {
  process.stderr.write(line + '\n');
}

async function runAdd(mintArg: string, opts: { reason?: string; db?: string }): Promise<number> {
  const mint = parseAddress('mint', mintArg);
  const reason = opts.reason?.trim() || null;
  if (reason !== null && reason.length > 500) throw new UsageError('--reason is longer than 500 characters');
  return withWriter(opts.db, (db) => {
    const r = addBlocked(db.sqlite, mint, reason);
    if (r.added) say(`blocked ${mint}${reason ? ` (${reason})` : ''}; ${RESTART_NOTE}`);
    else if (r.reasonChanged) say(`${mint} was already blocked; reason now: ${reason}`);
    else say(`${mint} was already blocked (since ${new Date(r.entry.addedAt).toISOString()})`);
    return EXIT.ok;
  });
}

async function runRemove(mintArg: string, opts: { db?: string }): Promise<number> {
  const mint = parseAddress('mint', mintArg);
  // Removing from a database that does not exist would create one just to find nothing.
  return withWriter(
    opts.db,
    (db) => {
      const removed = removeBlocked(db.sqlite, mint);
      say(removed ? `unblocked ${mint}; ${RESTART_NOTE}` : `${mint} was not blocked`);
      return EXIT.ok;
    },
    { mustExist: true },
  );
}

const COLUMNS: Column<BlockedMint>[] = [
  { key: 'mint', value: (b) => b.mint },
  { key: 'reason', value: (b) => b.reason },
  { key: 'added', value: (b) => new Date(b.addedAt).toISOString() },
];

async function runList(opts: { db?: string; format?: string; json?: boolean }): Promise<number> {
  const format = parseFormat(opts);
  return withReader(opts.db, (db) => {
    const rows = listBlocked(db.sqlite);
    out(renderRows(rows, COLUMNS, format));
    if (format === 'table') say(`${rows.length} blocked mint(s)`);
    return EXIT.ok;
  });
}
