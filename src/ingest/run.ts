/**
 * `solflow ingest` as a function: a live source (WebSocket or Yellowstone gRPC) + the one
 * pipeline + the job runner's range fill for catch-up and gaps + the stored cursor, reporting
 * through one metrics registry and one logger. The command file only parses options and calls
 * this; `watch --rpc` runs the same function with a listener on the pipeline's output.
 *
 * The cursor ('ingest' in the store's cursors) is the last slot whose trades are all committed.
 * On start the source is asked to begin at cursor + 1; what it cannot replay comes back as a
 * gap, which is filled over HTTP before anything newer is handed on (loop.ts), so a restart
 * after kill -9 neither loses nor repeats a trade.
 */
import type { Pipeline } from '../core/pipeline.js';
import { createPipeline, envelopeSignature } from '../core/pipeline.js';
import type { EngineOptionsInput } from '../core/flow/options.js';
import type { FlowOutput } from '../core/flow/types.js';
import { LockHeldError, type Store, type StoreLock } from '../core/store/types.js';
import { fillRange } from '../jobs/fill.js';
import type { Logger } from '../log/index.js';
import type { Metrics } from '../metrics/index.js';
import { liveEventRecorder } from '../metrics/index.js';
import type { RpcClient } from '../sources/rpc/client.js';
import type { LiveSource, LiveSourceOptions } from '../sources/live/types.js';
import type { Commitment } from '../sources/types.js';
import { runIngestLoop, type GapFill, type IngestEvent, type IngestLoopResult } from './loop.js';

export const INGEST_CURSOR = 'ingest';
export const INGEST_LOCK = 'ingest';
/** The writer's own flush timer in ingest: a backstop behind the cursor's once-a-second flush. */
const INGEST_FLUSH_MS = 2000;
/** Mainnet's slot time, for turning --max-catch-up's duration into slots. */
export const SLOT_SECONDS = 0.4;

export class IngestError extends Error {
  constructor(
    message: string,
    readonly kind: 'busy' | 'catch-up' | 'usage',
  ) {
    super(message);
    this.name = 'IngestError';
  }
}

export interface IngestRequest {
  store: Store;
  client: RpcClient;
  /** Builds the source once the start slot is known. */
  source(opts: LiveSourceOptions): LiveSource;
  programs: readonly string[];
  commitment: Commitment;
  /** --from-slot: start here instead of the stored cursor. */
  fromSlot?: number | null;
  /** false: start at the live tip, leaving what lies between the cursor and it to a backfill. */
  catchUp: boolean;
  /** A catch-up longer than this many slots is refused (use backfill). */
  maxCatchUpSlots: number;
  flow?: EngineOptionsInput;
  /** Only trades of these venues (--program); null: every venue. */
  venues?: ReadonlySet<string> | null;
  metrics: Metrics;
  log: Logger;
  signal: AbortSignal;
  /** Listeners (watch): what the engine produced. */
  onOutput?: (out: FlowOutput) => void;
  onEvent?: (e: IngestEvent) => void;
}

export interface IngestSummary extends IngestLoopResult {
  startSlot: number | null;
  tradesWritten: number;
  decodeErrors: number;
  reconciled: boolean;
}

export async function runIngest(req: IngestRequest): Promise<IngestSummary> {
  const { store, metrics, log } = req;
  let lock: StoreLock;
  try {
    lock = await store.lock(INGEST_LOCK);
  } catch (err) {
    if (err instanceof LockHeldError) throw new IngestError(`another ingest is writing to ${store.location} (${err.message}); one ingest per database`, 'busy');
    throw err;
  }
  try {
    const startSlot = await chooseStart(req);
    if (startSlot !== null) metrics.setCursor(startSlot - 1);
    const pipeline = await createPipeline({
      store,
      engine: req.flow,
      venues: req.venues,
      // Commits follow the cursor's rhythm (its save flushes the writer, once a second): each
      // commit rewrites every index page its rows touched, so ten small commits a second cost
      // several times the SQLite work of one. The timer is only for a cursor save that is late.
      writer: { flushIntervalMs: INGEST_FLUSH_MS },
      onOutput: req.onOutput,
      onDecodeError: (env, error) => {
        metrics.transactionFailed(error.name === 'MalformedTransactionError' ? 'malformed' : 'decode');
        log.warn('skipped a transaction that does not decode', { signature: envelopeSignature(env), error: error.message });
      },
    });
    const source = req.source({ programs: req.programs, commitment: req.commitment, fromSlot: startSlot, onNodeSlot: (slot) => metrics.setNodeSlot(slot) });
    const stopSource = () => void source.stop();
    req.signal.addEventListener('abort', stopSource, { once: true });
    const recordLive = liveEventRecorder(metrics, log, source.name);
    const committed = watchCommits(pipeline, metrics);
    // The writer commits on its own schedule: a commit after the last event (an idle chain, a
    // quiet venue) must still reach solflow_trades_written_total, so sample on a timer too.
    const sampler = setInterval(() => committed.sample(), 500);
    sampler.unref();
    let loop: IngestLoopResult;
    try {
      loop = await runIngestLoop({
        source,
        target: pipeline,
        startSlot,
        signal: req.signal,
        fillGap: (from, to, reason) => fillGap(req, pipeline, source, from, to, reason),
        saveCursor: (slot) =>
          pipeline.writer.exclusive(async (tx) => {
            await tx.setCursor(INGEST_CURSOR, slot);
            metrics.setCursor(slot);
          }),
        onEvent: (e) => {
          if (e.kind === 'gap-filled') {
            metrics.gapFilled(e.from, e.to);
            // A run that spends a while catching up still shows what it decoded.
            metrics.transactionsDecoded(e.fill.transactions - e.fill.decodeErrors);
            log.info('gap filled', { from: e.from, to: e.to, reason: e.reason, transactions: e.fill.transactions, missing: e.fill.missing.length, ms: e.ms });
          } else if (e.kind === 'batch') {
            metrics.transactionsDecoded(e.transactions - e.decodeErrors);
          } else if (e.kind !== 'cursor') recordLive(e);
          // Not per transaction (thousands a second): the timer above samples between events.
          if (e.kind !== 'tx') committed.sample();
          req.onEvent?.(e);
        },
      });
    } finally {
      clearInterval(sampler);
      req.signal.removeEventListener('abort', stopSource);
      await source.stop();
    }
    const summary = await pipeline.close();
    committed.sample();
    // Closed: every trade the loop handed over is committed, so the cursor can cover all of it.
    if (loop.covered !== null && (loop.cursor === null || loop.covered > loop.cursor)) {
      await store.cursors.set(INGEST_CURSOR, loop.covered);
      metrics.setCursor(loop.covered);
      loop.cursor = loop.covered;
    }
    return { ...loop, startSlot, tradesWritten: summary.writer.written, decodeErrors: summary.decodeErrors, reconciled: summary.reconciled };
  } finally {
    await lock.release();
  }
}

/** cursor + 1 (or --from-slot), checked against the tip and --max-catch-up. */
async function chooseStart(req: IngestRequest): Promise<number | null> {
  if (req.fromSlot !== undefined && req.fromSlot !== null) return req.fromSlot;
  if (!req.catchUp) return null;
  const cursor = await req.store.cursors.get(INGEST_CURSOR);
  if (cursor === null) return null;
  const tip = await req.client.call<number>('getSlot', [{ commitment: req.commitment }]);
  const behind = tip - cursor;
  if (behind > req.maxCatchUpSlots) {
    const hours = ((behind * SLOT_SECONDS) / 3600).toFixed(1);
    throw new IngestError(
      `the stored cursor is ${behind} slots (~${hours} h) behind the tip, more than --max-catch-up allows: run \`solflow backfill ${cursor + 1}..${tip}\` first, raise --max-catch-up, or pass --no-catch-up`,
      'catch-up',
    );
  }
  return cursor + 1;
}

/**
 * A gap's slots over HTTP, once the node has them at our commitment (a gap reported at the tip
 * is younger than its confirmation: getBlocks would list it as empty).
 */
async function fillGap(req: IngestRequest, pipeline: Pipeline, source: LiveSource, from: number, to: number, reason: string): Promise<GapFill> {
  await waitForSlot(req.client, to, req.commitment, req.signal);
  const r = await fillRange({
    client: req.client,
    pipeline,
    range: [from, to],
    commitment: req.commitment,
    readAnswer: source.readBlockAnswer,
    shouldStop: () => req.signal.aborted,
  });
  if (r.error) throw r.error;
  const missing = r.checkpoint.gaps.flatMap((g) => ('from' in g ? [{ from: g.from, to: g.to, error: g.error }] : [{ from: g.slot, to: g.slot, error: g.error }]));
  for (const m of missing) req.log.warn('slots could not be fetched', { from: m.from, to: m.to, error: m.error });
  return { transactions: r.checkpoint.counts.transactions, trades: r.checkpoint.counts.trades, decodeErrors: r.decodeFailures, missing };
}

async function waitForSlot(client: RpcClient, slot: number, commitment: Commitment, signal: AbortSignal): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!signal.aborted && Date.now() < deadline) {
    const at = await client.call<number>('getSlot', [{ commitment }]);
    if (at >= slot) return;
    await new Promise((r) => setTimeout(r, 400));
  }
}

/** solflow_trades_written_total follows the writer's committed rows, not what was queued. */
function watchCommits(pipeline: Pipeline, metrics: Metrics) {
  let written = 0;
  let writeMs = 0;
  return {
    sample() {
      const c = pipeline.writer.counters();
      if (c.written > written || c.writeMs > writeMs) {
        metrics.committed({ trades: c.written - written, seconds: (c.writeMs - writeMs) / 1000 });
        written = c.written;
        writeMs = c.writeMs;
      }
      metrics.setQueueDepth(c.queued);
    },
  };
}
