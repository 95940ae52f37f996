import { Command, CommanderError } from 'commander';
import { EXIT, UsageError } from './errors.js';
import { redactText } from '../util/redact.js';
import { registerDecode } from './decode.js';
import { registerDemo } from './demo.js';
import { registerBackfill } from './backfill.js';
import { registerAnalyze } from './analyze.js';
import { registerQuery } from './query.js';
import { registerBlocklist } from './blocklist.js';
import { registerPrune } from './prune.js';
import { registerFlowConfig } from './flow-config.js';
import { exampleOf } from './examples.js';

/** Each subcommand file adds itself here; the action's resolved number is the exit code. */
export type CommandRegistrar = (program: Command, setExit: (code: number) => void) => void;

const REGISTRARS: CommandRegistrar[] = [registerDemo, registerDecode, registerBackfill, registerAnalyze, registerQuery, registerBlocklist, registerPrune, registerFlowConfig];

export function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command('solflow')
    .description('Solana DEX trade flow: decode swaps, store them in SQLite, follow SOL flow per token.')
    .option('--verbose', 'print stack traces and debug detail')
    .showHelpAfterError('(run with --help for usage)')
    .configureHelp({ sortSubcommands: false })
    .exitOverride();
  for (const register of REGISTRARS) register(program, setExit);
  const examples = program.commands
    .map((c) => exampleOf(c))
    .filter((e): e is string => Boolean(e))
    .map((e) => `  $ ${e}`);
  program.addHelpText(
    'after',
    `\nExamples:\n${examples.join('\n')}\n\nExit codes: 0 ok · 1 failure · 2 usage error · 3 finished with gaps or failed items · 75 busy (lock held)`,
  );
  return program;
}

export async function run(argv: string[]): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = buildProgram((code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version are "errors" to commander but successes to the user.
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.help' || err.code === 'commander.version') return EXIT.ok;
      return EXIT.usage;
    }
    const verbose = program.opts().verbose === true;
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`solflow: ${redactText(message)}\n`);
    if (verbose && err instanceof Error && err.stack) process.stderr.write(redactText(err.stack) + '\n');
    return err instanceof UsageError ? err.exitCode : EXIT.failure;
  }
}
