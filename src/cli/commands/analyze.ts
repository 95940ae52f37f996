/** `solflow analyze <wallet>`: options and help; the analysis (actions/analyze.ts) loads when it runs. */
import type { Command } from 'commander';
import { withExample } from '../examples.js';
import type { AnalyzeOptions } from '../actions/analyze.js';
import type { CommandRegistrar } from './types.js';


export const registerAnalyze: CommandRegistrar = (program, setExit) => {
  const cmd = program
    .command('analyze')
    .description("one wallet's trading from the database: summary, positions and PnL in SOL, behaviour and bot evidence")
    .argument('<wallet>', 'the wallet address (base58 public key)')
    .option('--since <time>', 'only trades at or after: 2025-06-01, 2025-06-01T12:00Z, -7d, unix seconds')
    .option('--until <time>', 'only trades at or before (same forms); held tokens are marked at the last price up to then')
    .option('--token <mint>', 'only this token')
    .option('--cost-basis <method>', 'avg (average cost, as Birdeye and Bitquery) or fifo (oldest lots first, per-lot holding times)', 'avg')
    .option('--fetch', "backfill this wallet's history over RPC into the database first (resumable job, as solflow backfill --address)")
    .option('-u, --rpc <url>', 'RPC endpoint for --fetch, or mainnet-beta|devnet|testnet|localhost (env SOLFLOW_RPC_URL)')
    .option('--db <path>', 'SQLite database (env SOLFLOW_DB, default ./solflow.db)')
    .option('--format <format>', 'table, json (ndjson: the same single line), or csv (csv: one row per position)', 'table')
    .option('--json', 'the whole analysis as one JSON object (same as --format json)')
    .option('--limit <n>', 'positions shown in the table (json and csv have all)', '25')
    .option('--quiet', 'no notes or backfill progress on stderr')
    .action(async (wallet: string, opts: AnalyzeOptions, command: Command) => {
      const verbose = command.optsWithGlobals().verbose === true;
      const { runAnalyzeCommand } = await import('../actions/analyze.js');
      setExit(await runAnalyzeCommand(wallet, { ...opts, verbose }));
    });
  withExample(cmd, 'solflow analyze 4DdrfiDHpmx55i4SPssxVzS9ZaKLb8qr45NKY9Er9nNh --since 2024-07-01 --cost-basis fifo');
  cmd.addHelpText(
    'after',
    '\nAmounts in --json and --format csv are raw integers as strings in the smallest unit of their token (lamports for SOL).\n' +
      'PnL is kept per quote asset (SOL, USDC, …) and never summed across them; realized and unrealized are kept apart.',
  );
};

