/** `solflow demo`: options and help; actions/demo.ts runs it. */
import type { Command } from 'commander';
import { withExample } from '../examples.js';
import type { DemoOptions } from '../actions/demo.js';
import { defaultDemoDbPath } from '../demo-path.js';
import type { CommandRegistrar } from './types.js';

export const registerDemo: CommandRegistrar = (program: Command, setExit) => {
  const cmd = program
    .command('demo')
    .description('fill a database from the bundled real mainnet transactions, then show top flows and one wallet (offline)')
    .option('--db <path>', `database to fill (default: a fresh ${defaultDemoDbPath()}); an existing file keeps its rows`)
    .option('--watch', 'instead: replay the bundled transactions as a live chain on 127.0.0.1 (compressed time) through the live pipeline into a temporary database, shown by solflow watch')
    .action(async (opts: DemoOptions) => setExit(await (await import('../actions/demo.js')).runDemo(opts)));
  withExample(cmd, 'npx solflow demo');
};

