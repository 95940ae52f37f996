/**
 * `solflow watch --rpc URL [--ws URL]` / `--grpc URL --rpc URL`: the live pipeline (runIngest,
 * storing into --db like `solflow ingest`) run in this process, its output shown as it comes.
 * The ingest log goes to the screen's notice line on a terminal (a log line would tear the
 * frame) and to stderr otherwise.
 */
import type { EngineOptionsInput } from '../../core/flow/options.js';
import { IngestError, runIngest, SLOT_SECONDS } from '../../ingest/run.js';
import { createLogger } from '../../log/index.js';
import { createMetrics } from '../../metrics/index.js';
import { RpcClient } from '../../sources/rpc/client.js';
import { EXIT, UsageError } from '../errors.js';
import { loadFlowConfig } from '../flow-config-option.js';
import { liveSourceFor, resolveLiveEndpoints } from '../shared/live-endpoints.js';
import { parseVenues } from '../shared/venues.js';
import { withWriter } from '../with-db.js';
import { loadWatch } from '../../tui/load.js';
import type { WatchSource, WatchWindow } from '../../tui/feed.js';
import type { WatchFilters } from '../../tui/filters.js';
import { createLiveFeed } from '../../watch/live-feed.js';

export interface LiveWatchOptions {
  db?: string;
  rpc: string;
  ws?: string;
  grpc?: string;
  xToken?: string;
  ndjson?: boolean;
  flowConfig?: string;
  /** HTTP calls per second at most (catch-up, gaps, getTransaction); default learned. */
  rps?: number;
  filters: WatchFilters;
  window: WatchWindow;
  /** Stored trades shown first. */
  initial: number;
  /** Labels the header as a replay (the demo). */
  replay?: { speed: number; note?: string };
  /** Ends watch (exit 0) when it settles: the demo off a terminal, once the replay is over. */
  until?: Promise<unknown>;
  /** Flow engine options given directly (the demo), instead of --flow-config. */
  flowOptions?: EngineOptionsInput;
}

/** A catch-up from the stored cursor longer than this is left to backfill, as ingest's default. */
const MAX_CATCH_UP_SECONDS = 3600;

export async function runLiveWatch(o: LiveWatchOptions, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const endpoints = resolveLiveEndpoints({ rpc: o.rpc, ws: o.ws, grpc: o.grpc, xToken: o.xToken }, env);
  const { rpcUrl, grpcUrl, xToken } = endpoints;
  const flow = o.flowOptions ?? loadFlowConfig(o.flowConfig, env);
  const venues = parseVenues(undefined);
  const source: WatchSource = o.replay ? { kind: 'replay', url: rpcUrl, ...o.replay } : grpcUrl ? { kind: 'grpc', url: grpcUrl } : { kind: 'rpc', url: rpcUrl };

  const { startWatch } = await loadWatch();
  const screen = !o.ndjson && process.stdout.isTTY === true;
  let lastLog: string | null = null;
  const log = createLogger({
    level: 'warn',
    secrets: xToken ? [xToken] : [],
    stream: screen ? { write: (line: string) => void (lastLog = line.trim()) } : process.stderr,
  });
  const metrics = createMetrics({ defaultMetrics: false });
  const client = new RpcClient({ url: rpcUrl, rps: o.rps, onEvent: metrics.rpc.onEvent });
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
        source: liveSourceFor(endpoints, client),
        programs: venues.programIds,
        commitment: 'confirmed',
        fromSlot: null,
        catchUp: true,
        maxCatchUpSlots: Math.ceil(MAX_CATCH_UP_SECONDS / SLOT_SECONDS),
        flow,
        metrics,
        log,
        signal: stop.signal,
        onOutput: (out) => feed.output(out),
      });
      void o.until?.then(() => handle.stop());
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
