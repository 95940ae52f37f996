/** `solflow demo`: the main job on the bundled real mainnet transactions, offline. */
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import type { Command } from 'commander';
import type { CommandRegistrar } from './main.js';
import { withExample } from './examples.js';
import { runDecode } from './decode.js';

export function bundledFixturesDir(): string {
  // dist/cli/demo.js → package root
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'tx');
}

export const registerDemo: CommandRegistrar = (program: Command, setExit) => {
  const cmd = program
    .command('demo')
    .description('decode the bundled real mainnet transactions and show what solflow finds (offline)')
    .action(async () => {
      process.stderr.write(`Decoding the bundled mainnet transactions in ${bundledFixturesDir()}\n`);
      const code = await runDecode([bundledFixturesDir()], {});
      process.stderr.write('\nNext: solflow decode <file-or-dir> --json   (one JSON object per trade)\n');
      setExit(code);
    });
  withExample(cmd, 'npx solflow demo');
};
