/** `solflow watch`: options and help only; actions/watch.ts runs it. */
import type { Command } from 'commander';
import { withExample } from '../examples.js';
import type { WatchCliOptions } from '../actions/watch.js';
import type { CommandRegistrar } from './types.js';

export const registerWatch: CommandRegistrar = (program, setExit) => {
  const cmd = program
    .command('watch')
    .description('live terminal view: trades tape, top flows, bot/DCA flags and signals, tailing a database another process writes, or running the live pipeline itself (--rpc / --grpc)')
    .option('--db <path>', 'database to tail (or to store into, with --rpc/--grpc) (env SOLFLOW_DB, default ./solflow.db)')
    .option('-u, --rpc <url>', 'run the live pipeline over this RPC endpoint instead of tailing (env SOLFLOW_RPC_URL is not read: tailing is the default)')
    .option('--ws <url>', 'pubsub endpoint (default: from the RPC URL, as ingest does)')
    .option('--grpc <url>', 'Yellowstone gRPC endpoint instead of WebSocket (needs --rpc for catch-up)')
    .option('--x-token <token>', 'Yellowstone x-token (env SOLFLOW_GRPC_X_TOKEN); never printed')
    .option('--ndjson', 'no screen: one JSON trade per line (decode --json fields plus stored flags), only trades stored from now on')
    .option('--backlog <n>', 'start with the newest N stored trades (with --ndjson; the screen starts with a screenful anyway)')
    .option('--mint <mint>', 'only this base token')
    .option('--wallet <address>', 'only trades by this wallet (trader or signer)')
    .option('--venue <name>', 'only this venue, as stored (raydium-amm-v4, pumpfun…)')
    .option('--min-sol <sol>', 'only trades of at least this many SOL')
    .option('--bots-only', 'only bot-flagged trades')
    .option('--no-bots', 'leave bot-flagged trades out')
    .option('--dca-only', 'only Jupiter DCA fills')
    .option('--window <w>', 'top-flows window at start: 5m, 15m, 1h or 4h (w cycles it)', '5m')
    .option('--rps <n>', 'with --rpc/--grpc: ceiling on HTTP RPC calls per second (default: learned from the endpoint)')
    .option('--flow-config <file>', 'with --rpc/--grpc: bot-flag and signal thresholds from a JSON file (env SOLFLOW_FLOW_CONFIG)')
    .action(async (opts: WatchCliOptions, command: Command) => {
      const verbose = command.optsWithGlobals().verbose === true;
      const { runWatchCommand } = await import('../actions/watch.js');
      setExit(await runWatchCommand({ ...opts, verbose }));
    });
  withExample(cmd, 'solflow watch --db solflow.db --min-sol 5');
  cmd.addHelpText(
    'after',
    '\nKeys: q / Ctrl-C quit · p pause · w window · b bots only · d DCA only · / filter by mint or wallet · ? help\n' +
      'Off a terminal: a plain line per trade (no escape codes); --ndjson: one JSON record per trade, each once.\n' +
      'Exit codes: 0 quit, Ctrl-C, SIGTERM or closed pipe · 1 no database / not a solflow database / read failure · 2 usage',
  );
};
