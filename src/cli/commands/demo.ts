/** `solflow demo`: options and help; actions/demo.ts runs it. */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { withExample } from '../examples.js';
import type { CommandRegistrar } from './types.js';

/** Where the demo database goes when --db is not given: recreated on every run. */
export function defaultDemoDbPath(): string {
  return join(tmpdir(), 'solflow-demo', 'demo.db');
}

export interface DemoOptions {
  db?: string;
}

export const registerDemo: CommandRegistrar = (program: Command, setExit) => {
  const cmd = program
    .command('demo')
    .description('fill a database from the bundled real mainnet transactions, then show top flows and one wallet (offline)')
    .option('--db <path>', `database to fill (default: a fresh ${defaultDemoDbPath()}); an existing file keeps its rows`)
    .action(async (opts: DemoOptions) => setExit(await (await import('../actions/demo.js')).runDemo(opts)));
  withExample(cmd, 'npx solflow demo');
};

