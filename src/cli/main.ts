import { Command, CommanderError, type OutputConfiguration } from 'commander';
import { EXIT, UsageError } from './errors.js';
import { redactText } from '../util/redact.js';
import { UnsupportedStoreError } from '../core/store/types.js';
import { registerDecode } from './commands/decode.js';
import { registerDemo } from './commands/demo.js';
import { registerBackfill } from './commands/backfill.js';
import { registerIngest } from './commands/ingest.js';
import { registerAnalyze } from './commands/analyze.js';
import { registerQuery } from './commands/query.js';
import { registerBlocklist } from './commands/blocklist.js';
import { registerPrune } from './commands/prune.js';
import { registerFlowConfig } from './commands/flow-config.js';
import { registerWatch } from './commands/watch.js';
import type { CommandRegistrar } from './commands/types.js';
import { exampleOf } from './examples.js';
import { setWideTables } from './table-width.js';
import { out, stdoutIsTTY } from './stdout.js';

export type { CommandRegistrar } from './commands/types.js';

/** Each top-level command by name, in the order --help lists them. */
const REGISTRARS: ReadonlyArray<[name: string, register: CommandRegistrar]> = [
  ['demo', registerDemo],
  ['decode', registerDecode],
  ['backfill', registerBackfill],
  ['ingest', registerIngest],
  ['watch', registerWatch],
  ['analyze', registerAnalyze],
  ['query', registerQuery],
  ['blocklist', registerBlocklist],
  ['prune', registerPrune],
  ['flow-config', registerFlowConfig],
];

/**
 * `only`: the command the user named, when it is one: the others are not registered, since
 * building every command's options is a few ms of a start-up users feel (test/bench/startup.ts).
 * Anything else (no command, `help`, a typo to suggest for) gets them all.
 */
export function buildProgram(setExit: (code: number) => void, only?: string): Command {
  const program = new Command('solflow')
    .description('Solana DEX trade flow: decode swaps, store them in SQLite, follow SOL flow per token.')
    .option('--verbose', 'print stack traces and debug detail')
    .option('--wide', 'tables in full: no column dropped or shortened to fit the terminal')
    .showHelpAfterError('(run with --help for usage)')
    .configureHelp({ sortSubcommands: false })
    .configureOutput(helpToStdout())
    .exitOverride();
  const named = REGISTRARS.filter(([name]) => name === only);
  for (const [, register] of named.length ? named : REGISTRARS) register(program, setExit);
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

/**
 * Help as commander writes it, but through src/cli/stdout.ts, which spares making process.stdout
 * (Node's stream modules, ~6 ms) when stdout is a pipe or a file. Off a terminal commander's own
 * answers are no width to fit and no colours, unless the environment says otherwise (NO_COLOR,
 * FORCE_COLOR, CLICOLOR_FORCE: its own answer then, which does not look at stdout).
 */
function helpToStdout(): OutputConfiguration {
  const defaults = new Command().configureOutput() as Required<OutputConfiguration>;
  const { NO_COLOR, FORCE_COLOR, CLICOLOR_FORCE } = process.env;
  const colourSetByEnv = Boolean(NO_COLOR) || FORCE_COLOR !== undefined || CLICOLOR_FORCE !== undefined;
  return {
    writeOut: (text) => void out(text),
    getOutHelpWidth: () => (stdoutIsTTY() ? defaults.getOutHelpWidth() : (undefined as unknown as number)),
    getOutHasColors: () => (stdoutIsTTY() || colourSetByEnv ? defaults.getOutHasColors() : false),
  };
}

/** The first argument that is not a global option: the command, if the user named one. */
function commandNamed(args: string[]): string | undefined {
  return args.find((a) => !a.startsWith('-'));
}

export async function run(argv: string[]): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = buildProgram((code) => {
    exitCode = code;
  }, commandNamed(argv.slice(2)));
  // The subcommand that ran (top level: `query`, not `stats`), for messages that name it.
  let commandName = 'solflow';
  program.hook('preAction', (_program, action) => {
    let c: Command = action;
    while (c.parent && c.parent !== program) c = c.parent;
    commandName = c.name();
    setWideTables(program.opts().wide === true);
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
    // --db named a backend this build cannot open: said once, here, for every command (exit 2,
    // as for any --db value that cannot work).
    if (err instanceof UnsupportedStoreError) {
      process.stderr.write(`solflow: ${commandName} works on SQLite files; ${err.message}\n`);
      return EXIT.usage;
    }
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`solflow: ${redactText(message)}\n`);
    if (verbose && err instanceof Error && err.stack) process.stderr.write(redactText(err.stack) + '\n');
    return err instanceof UsageError ? err.exitCode : EXIT.failure;
  }
}
