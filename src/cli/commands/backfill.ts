/**
 * `solflow backfill <range>`: options and help only; the run (shared/backfill-run.ts, over the
 * job runner in src/jobs) loads when the command runs.
 */
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { withExample } from '../examples.js';
import type { BackfillOptions } from '../shared/backfill-plan.js';
import type { CommandRegistrar } from './types.js';

export const registerBackfill: CommandRegistrar = (program, setExit) => {
  const cmd = program
    .command('backfill')
    .description('fill the database with the DEX trades of a slot or time range, over RPC or from recorded files; resumable')
    .argument('[range]', 'START..END, both inclusive: slots 312000000..312000500, times 2025-06-01T00:00Z..2025-06-01T01:00Z, relative -2h..now')
    .option('--last <duration>', 'the last 30m / 2h / 1d, instead of a range')
    .option('--program <names>', 'only these venues, comma-separated (default: every supported DEX)')
    .option('--address <pubkey>', "one account's history (wallet, mint or pool) via getSignaturesForAddress")
    .option('-u, --rpc <url>', 'RPC endpoint, or mainnet-beta|devnet|testnet|localhost (env SOLFLOW_RPC_URL)')
    .option('--from <path>', 'recorded transactions instead of RPC: a file, a directory, JSON Lines, getBlock results')
    .option('--concurrency <n>', 'HTTP requests in flight', '16')
    .option('--rps <n>', 'ceiling on RPC calls per second (default: learned from the endpoint)')
    .option('--commitment <level>', 'confirmed or finalized', 'finalized')
    .option('--timeout <seconds>', 'per-request timeout', '30')
    .option('--retries <n>', 'retries per call after a timeout, 5xx or "block not available" (429s are waited out separately)', '5')
    .option('--dry-run', 'print what would be fetched, fetch nothing')
    .option('--jobs', 'list backfill jobs and exit')
    .option('--db <path>', 'SQLite database (env SOLFLOW_DB, default ./solflow.db)')
    .option('--json', 'print the summary (or the --jobs list) as JSON on stdout')
    .option('--quiet', 'no progress lines')
    .option('--flow-config <file>', 'bot-flag and signal thresholds from a JSON file (env SOLFLOW_FLOW_CONFIG; see solflow flow-config)')
    // Relative ranges start with '-' (-2h..now): let commander pass them through as the range,
    // and reject real unknown options here.
    .allowUnknownOption()
    .action(async (range: string | undefined, opts: BackfillOptions, command: Command) => {
      const stray = command.args.filter((a) => a !== range);
      if (range !== undefined && range.startsWith('-') && !range.includes('..')) throw new UsageError(`unknown option '${range}'`);
      if (stray.length > 0) throw new UsageError(`unexpected argument${stray.length > 1 ? 's' : ''}: ${stray.join(' ')}`);
      const verbose = command.optsWithGlobals().verbose === true;
      const { runBackfillCommand } = await import('../shared/backfill-run.js');
      setExit(await runBackfillCommand(range, { ...opts, verbose }));
    });
  withExample(cmd, 'solflow backfill -2h..now --rpc "$SOLFLOW_RPC_URL" --program pumpfun,pumpswap --rps 50');
  cmd.addHelpText(
    'after',
    '\nRe-run the same command to resume an interrupted job or to retry its gaps.\n' +
      'Exit codes: 0 the whole range is stored · 3 finished with gaps (listed; re-run to retry) · 2 usage · 1 failure · 130 interrupted · 75 the job is running elsewhere',
  );
};

