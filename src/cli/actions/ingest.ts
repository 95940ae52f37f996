/**
 * `solflow ingest`: options → endpoints, metrics server, logger and status line → runIngest
 * (src/ingest/run.ts) until Ctrl-C or SIGTERM → a closing summary. The first signal stops the
 * source, flushes the writer and stores the cursor (exit 0); a second exits at once (130): the
 * database stays consistent, the next start catches up from the last stored cursor.
 */
import { IngestError, runIngest, SLOT_SECONDS } from '../../ingest/run.js';
import { createLogger, createRate, parseLevel, startStatusLine } from '../../log/index.js';
import { createMetrics, startMetricsServer } from '../../metrics/index.js';
import { parseMaxLag } from '../../metrics/health.js';
import { RpcClient } from '../../sources/rpc/client.js';
import type { Commitment } from '../../sources/types.js';
import { redactUrl } from '../../util/redact.js';
import { EXIT, UsageError } from '../errors.js';
import { loadFlowConfig } from '../flow-config-option.js';
import { parseDurationOption, parsePositiveInt, parseRps } from '../options.js';
import { withWriter } from '../with-db.js';
import { liveSourceFor, resolveLiveEndpoints } from '../shared/live-endpoints.js';
import { parseVenues } from '../shared/venues.js';

export interface IngestCliOptions {
  rpc?: string;
  ws?: string;
  grpc?: string;
  xToken?: string;
  program?: string;
  commitment?: string;
  fromSlot?: string;
  catchUp?: boolean;
  maxCatchUp?: string;
  rps?: string;
  decodeThreads?: string;
  metricsPort?: string;
  metricsHost?: string;
  maxLag?: string;
  db?: string;
  flowConfig?: string;
  json?: boolean;
  logLevel?: string;
  verbose?: boolean;
}

export async function runIngestCommand(opts: IngestCliOptions, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const commitment = (opts.commitment ?? 'confirmed') as Commitment;
  if (commitment !== 'confirmed' && commitment !== 'finalized') throw new UsageError('--commitment must be confirmed or finalized');
  const venues = parseVenues(opts.program);
  const fromSlot = opts.fromSlot === undefined ? null : parsePositiveInt('--from-slot', opts.fromSlot, Number.MAX_SAFE_INTEGER);
  // parseDurationOption answers in seconds.
  const maxCatchUpSlots = Math.ceil(parseDurationOption('--max-catch-up', opts.maxCatchUp ?? '1h') / SLOT_SECONDS);
  const metricsPort = opts.metricsPort === undefined ? null : parsePort(opts.metricsPort);
  const rps = parseRps(opts.rps);
  const decodeThreads = opts.decodeThreads === undefined ? undefined : parsePositiveInt('--decode-threads', opts.decodeThreads, 16);
  let maxLag;
  try {
    maxLag = parseMaxLag(opts.maxLag ?? '150');
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  let level;
  try {
    level = parseLevel(opts.logLevel ?? 'info');
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  // The environment names the live endpoints too (a service unit sets them once).
  const endpoints = resolveLiveEndpoints({ rpc: opts.rpc, ws: opts.ws ?? env.SOLFLOW_WS_URL, grpc: opts.grpc ?? env.SOLFLOW_GRPC_URL, xToken: opts.xToken }, env);
  const { rpcUrl, wsUrl, grpcUrl, xToken } = endpoints;
  const flow = loadFlowConfig(opts.flowConfig, env);

  const log = createLogger({ json: opts.json === true, level, secrets: xToken ? [xToken] : [] });
  const metrics = createMetrics();
  // A plan's published limit, when the user knows it: the rate learner never probes past it.
  const client = new RpcClient({ url: rpcUrl, rps, onEvent: metrics.rpc.onEvent });
  metrics.rpc.follow(() => client.stats);
  const server =
    metricsPort === null
      ? null
      : await startMetricsServer({ registry: metrics.registry, host: opts.metricsHost ?? '127.0.0.1', port: metricsPort, health: () => metrics.health({ maxLag }) }).catch((err: Error) => {
          throw new UsageError(`cannot serve metrics on ${opts.metricsHost ?? '127.0.0.1'}:${metricsPort}: ${err.message}`);
        });
  if (server) log.info('metrics served', { url: `${server.url}/metrics` });

  const stop = new AbortController();
  let signals = 0;
  const onSignal = () => {
    signals++;
    if (signals > 1) process.exit(130);
    log.info('stopping: flushing the writer and saving the cursor (Ctrl-C again to quit at once)');
    stop.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const tps = createRate();
  const status = startStatusLine({
    logger: log,
    fields: () => {
      const s = metrics.snapshot();
      return { slot: s.tip, cursor: s.cursor, lag: s.lag.slots, 'trades/s': tps.sample(s.tradesWritten), trades: s.tradesWritten, reconnects: s.reconnects };
    },
  });
  try {
    return await withWriter(opts.db, async (store) => {
      log.info('ingest starting', { db: store.location, rpc: client.endpoint, source: grpcUrl ? redactUrl(grpcUrl) : redactUrl(wsUrl!), programs: venues.programIds.length, commitment });
      const summary = await runIngest({
        store,
        client,
        source: liveSourceFor(endpoints, client, decodeThreads),
        programs: venues.programIds,
        commitment,
        fromSlot,
        catchUp: opts.catchUp !== false,
        maxCatchUpSlots,
        flow,
        venues: venues.names,
        metrics,
        log,
        signal: stop.signal,
      });
      status.stop();
      log.info('ingest stopped', {
        cursor: summary.cursor,
        transactions: summary.transactions,
        tradesWritten: summary.tradesWritten,
        gapsFilled: summary.gapsFilled,
        gapSlots: summary.gapSlots,
        reconnects: summary.reconnects,
        skipped: summary.skipped,
        decodeErrors: summary.decodeErrors,
      });
      return EXIT.ok;
    });
  } catch (err) {
    if (err instanceof IngestError) throw new UsageError(err.message, err.kind === 'busy' ? EXIT.tempFail : EXIT.usage);
    throw err;
  } finally {
    status.stop();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    client.close();
    await server?.close();
  }
}

function parsePort(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UsageError(`--metrics-port must be a port number (0-65535), not ${text}`);
  return n;
}
