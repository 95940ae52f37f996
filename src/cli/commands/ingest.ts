/** `solflow ingest`: options and help only; actions/ingest.ts runs it. */
import type { Command } from 'commander';
import { withExample } from '../examples.js';
import type { IngestCliOptions } from '../actions/ingest.js';
import type { CommandRegistrar } from './types.js';

export const registerIngest: CommandRegistrar = (program, setExit) => {
  const cmd = program
    .command('ingest')
    .description('follow the chain live (WebSocket pubsub or Yellowstone gRPC) and store every DEX trade as it lands; runs until Ctrl-C / SIGTERM')
    .option('-u, --rpc <url>', 'HTTP RPC endpoint for catch-up and gaps, or mainnet-beta|devnet|testnet|localhost (env SOLFLOW_RPC_URL)')
    .option('--ws <url>', 'pubsub endpoint (env SOLFLOW_WS_URL); default: the RPC URL with ws(s)://, on port+1 when the RPC URL names a port (a local validator listens on RPC port + 1)')
    .option('--grpc <url>', 'Yellowstone gRPC endpoint instead of WebSocket (env SOLFLOW_GRPC_URL)')
    .option('--x-token <token>', 'Yellowstone x-token (env SOLFLOW_GRPC_X_TOKEN); never printed')
    .option('--program <names>', 'only these venues, comma-separated (default: every supported DEX)')
    .option('--commitment <level>', 'confirmed or finalized', 'confirmed')
    .option('--from-slot <slot>', 'start at this slot instead of the stored cursor')
    .option('--no-catch-up', 'start at the live tip; leave what lies before it to `solflow backfill`')
    .option('--max-catch-up <duration>', 'refuse a catch-up from the stored cursor longer than this (30m, 2h…); use backfill for more', '1h')
    .option('--rps <n>', 'ceiling on HTTP RPC calls per second (catch-up, gaps, getTransaction); default: learned from the endpoint')
    .option('--decode-threads <n>', 'threads that parse and decode block notifications (WebSocket source); default: one per core, at most 4')
    .option('--metrics-port <port>', 'serve Prometheus /metrics and /healthz on this port')
    .option('--metrics-host <host>', 'address for the metrics server', '127.0.0.1')
    .option('--max-lag <lag>', '/healthz turns 503 past this lag: slots (150) or a duration (90s, 2m)', '150')
    .option('--db <path>', 'database: a SQLite file or postgres:// URL (env SOLFLOW_DB, default ./solflow.db)')
    .option('--flow-config <file>', 'bot-flag and signal thresholds from a JSON file (env SOLFLOW_FLOW_CONFIG)')
    .option('--json', 'log as one JSON object per line (for log shippers)')
    .option('--log-level <level>', 'debug, info, warn or error', 'info')
    .action(async (opts: IngestCliOptions, command: Command) => {
      const verbose = command.optsWithGlobals().verbose === true;
      const { runIngestCommand } = await import('../actions/ingest.js');
      setExit(await runIngestCommand({ ...opts, verbose }));
    });
  withExample(cmd, 'solflow ingest --rpc "$SOLFLOW_RPC_URL" --program pumpfun,pumpswap --metrics-port 9464');
  cmd.addHelpText(
    'after',
    '\nThe cursor (last slot whose trades are all committed) is stored in the database: a restart\n' +
      'catches up from it over HTTP, so nothing is lost or stored twice. One ingest per database.\n' +
      'Exit codes: 0 stopped by Ctrl-C/SIGTERM after saving · 2 usage · 1 failure · 75 another ingest holds the database · 130 second Ctrl-C',
  );
};
