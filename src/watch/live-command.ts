/**
 * `solflow watch --rpc URL [--ws URL]` / `--grpc URL --rpc URL`: the live pipeline (runIngest,
 * storing into --db like `solflow ingest`) run in this process, its output shown as it comes.
 * The ingest log goes to the screen's notice line on a terminal (a log line would tear the
 * frame) and to stderr otherwise.
 */
import { decodeTransaction, type RawTransaction } from '../core/decode/index.js';
import { IngestError, runIngest, SLOT_SECONDS } from '../ingest/run.js';
import { createLogger } from '../log/index.js';
import { createMetrics } from '../metrics/index.js';
import { EndpointError, resolveEndpoint } from '../sources/endpoint.js';
import { createGrpcSource } from '../sources/grpc/index.js';
import { createWebSocketSource } from '../sources/live/websocket.js';
import { deriveWsUrl } from '../sources/live/ws-url.js';
import { RpcClient } from '../sources/rpc/client.js';
import { redactUrl } from '../util/redact.js';
import { EXIT, UsageError } from '../cli/errors.js';
import { loadFlowConfig } from '../cli/flow-config-option.js';
import { venuesFor } from '../cli/actions/ingest.js';
import { withWriter } from '../cli/with-db.js';
import { loadWatch } from '../tui/load.js';
import type { WatchSource, WatchWindow } from '../tui/feed.js';
import type { WatchFilters } from '../tui/filters.js';
import { createLiveFeed } from './live-feed.js';

export interface LiveWatchOptions {
  db?: string;
  rpc: string;
  ws?: string;
  grpc?: string;
  xToken?: string;
  ndjson?: boolean;
  flowConfig?: string;
  filters: WatchFilters;
  window: WatchWindow;
  /** Stored trades shown first. */
  initial: number;
  /** Labels the header as a replay (the demo). */
  replay?: boolean;
}

/** A catch-up from the stored cursor longer than this is left to backfill, as ingest's default. */
const MAX_CATCH_UP_SECONDS = 3600;

export async function runLiveWatch(o: LiveWatchOptions, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let rpcUrl: string;
  try {
    rpcUrl = resolveEndpoint(o.rpc, env).url;
  } catch (err) {
    if (err instanceof EndpointError) throw new UsageError(err.message);
    throw err;
  }
  const grpcUrl = o.grpc ?? null;
  const xToken = o.xToken ?? env.SOLFLOW_GRPC_X_TOKEN ?? undefined;
  const wsUrl = grpcUrl ? null : (o.ws ?? deriveWsUrl(rpcUrl));
  if (wsUrl !== null && !/^wss?:\/\//i.test(wsUrl)) throw new UsageError(`--ws must be a ws:// or wss:// URL, not ${redactUrl(wsUrl)}`);
  if (grpcUrl !== null && !/^https?:\/\//i.test(grpcUrl)) throw new UsageError(`--grpc must be an http:// or https:// URL, not ${redactUrl(grpcUrl)}`);
  const flow = loadFlowConfig(o.flowConfig, env);
  const venues = venuesFor(undefined);
  const source: WatchSource = o.replay ? { kind: 'replay', url: rpcUrl } : grpcUrl ? { kind: 'grpc', url: grpcUrl } : { kind: 'rpc', url: rpcUrl };

  const { startWatch } = await loadWatch();
  const screen = !o.ndjson && process.stdout.isTTY === true;
  let lastLog: string | null = null;
  const log = createLogger({
    level: 'warn',
    secrets: xToken ? [xToken] : [],
    stream: screen ? { write: (line: string) => void (lastLog = line.trim()) } : process.stderr,
  });
  const metrics = createMetrics({ defaultMetrics: false });
  const client = new RpcClient({ url: rpcUrl, onEvent: metrics.rpc.onEvent });
  metrics.rpc.follow(() => client.stats);
  const stop = new AbortController();
  try {
    return await withWriter(o.db, async (store) => {
      const initial = o.initial > 0 ? (await store.trades.latest(o.initial)).trades.map((k) => k.trade) : [];
      const feed = createLiveFeed({
        source,
        initial,
        snapshot: () => {
          const s = metrics.snapshot();
          return lastLog && s.live ? s : { ...s, notLiveReason: s.notLiveReason ?? lastLog };
        },
      });
      // The screen owns SIGINT/SIGTERM: it ends (exit 0), then the pipeline is stopped and flushed.
      const handle = startWatch({ feed, filters: o.filters, ndjson: o.ndjson === true, window: o.window, env });
      const ingest = runIngest({
        store,
        client,
        source: (so) => (grpcUrl ? createGrpcSource({ ...so, endpoint: grpcUrl, xToken }) : createWebSocketSource({ ...so, wsUrl: wsUrl!, rpc: client })),
        programs: venues.programIds,
        commitment: 'confirmed',
        fromSlot: null,
        catchUp: true,
        maxCatchUpSlots: Math.ceil(MAX_CATCH_UP_SECONDS / SLOT_SECONDS),
        flow,
        decode: (tx: RawTransaction) => decodeTransaction(tx),
        metrics,
        log,
        signal: stop.signal,
        onOutput: (out) => feed.output(out),
      });
      // The pipeline ending on its own (a refused start, a lost source) ends the screen too.
      let failed: unknown = null;
      const ended = ingest.then(
        () => handle.stop(),
        (err) => {
          failed = err;
          handle.stop();
        },
      );
      const code = await handle.exited;
      stop.abort();
      await ended;
      feed.close();
      if (failed) {
        if (failed instanceof IngestError) throw new UsageError(failed.message, failed.kind === 'busy' ? EXIT.tempFail : EXIT.usage);
        throw failed;
      }
      return code;
    });
  } finally {
    client.close();
  }
}
