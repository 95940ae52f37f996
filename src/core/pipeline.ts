/**
 * The one ingest path: decode → flow engine (classify, windows, signals) → batched writer.
 * Every command that stores trades builds one of these (today `backfill`, and `demo` through it;
 * `ingest` and `watch` are to do the same); none has its own decode or storage. It speaks to the
 * database only through the Store interface (./store/types.ts), so any backend serves it.
 *
 * How the results stay identical however trades arrive:
 *  - The engine orders trades itself (within its hold of lagSlots + sandwich look-ahead slots),
 *    so batch boundaries and small reordering change nothing. tick() is placed in that order
 *    too (as an empty block at its slot), so how often a source ticks changes nothing either.
 *  - On open, the engine is warmed with the store's last few hours of trades (outputs dropped),
 *    so windows and per-wallet history continue across restarts.
 *  - Anything that arrives behind what is already final — an older range of a backfill fetched
 *    newest-first, or trades older than what the database held at open — is stored unflagged
 *    and counted as late. If any late trade was new to the database, close() recomputes flags,
 *    signals and metrics by replaying the whole store in canonical order (recomputeFlow), which
 *    is by construction what an in-order run would have written. Cost: one read of the trades
 *    table through the engine (a few seconds per million trades).
 *  - token_metrics holds the latest values: close() writes every token's numbers at the final
 *    chain clock, so the table does not depend on when intermediate snapshots were taken.
 *
 * What is not identical: signals evaluated at a restart seam may differ from an uninterrupted
 * run (cooldowns rebuilt from the warm-up); `recomputeFlow` removes that difference too.
 */
import { createFlowEngine, type EngineStats, type FlowEngine, type PushOptions } from './flow/engine.js';
import type { EngineOptionsInput } from './flow/options.js';
import type { ClassifiedTrade, FlowOutput, WindowMetrics } from './flow/types.js';
import { WINDOWS } from './flow/types.js';
import type { Trade } from './trade.js';
import { decodeTransaction, firstSignature, type RawTransaction } from './decode/index.js';
import { outcomeError, type DecodedTx } from './decode/outcome.js';
import type { FlagUpdate, Store, Writer, WriterCounters, WriterOptions } from './store/types.js';

export interface TxEnvelope {
  tx: RawTransaction;
  /** Position of the transaction in its block, when the source knows it (getBlock). */
  txIndex?: number | null;
}

/**
 * A transaction its source decoded already (with the default decoder: `decode` below is not
 * applied to it), handed over as its trades or its error.
 */
export interface DecodedEnvelope {
  decoded: DecodedTx;
  txIndex?: number | null;
}

/** The signature an envelope is about, for reports ('?' when the transaction carries none). */
export function envelopeSignature(env: TxEnvelope | DecodedEnvelope): string {
  return 'decoded' in env ? env.decoded.signature : (firstSignature(env.tx) ?? '?');
}

export interface PipelineOptions {
  /** A writable store; the pipeline creates its one writer on it and never closes the store. */
  store: Store;
  engine?: EngineOptionsInput;
  writer?: WriterOptions;
  /**
   * Write on a thread of its own (WriterOptions.thread: SQLite honours it for a database file),
   * so the flow engine and the database work at the same time (src/store/sqlite/writer-thread.ts).
   * For sources that are CPU-bound, such as recorded files: the write path ran 1.2-1.3x faster.
   * Not for a rate-limited RPC backfill, where SQLite is far from the bound: there the extra
   * thread cost the learned rate of the allowance it used (75-88% vs 94-97%, measured in
   * alternating runs), so the default is the caller's thread.
   */
  writerThread?: boolean;
  /**
   * Wall-clock cadence of metric snapshots to the store and listeners (default 5 s; close()
   * always writes the final ones). Each snapshot is six upserts per token that traded since the
   * last one: at 1 s they cost a backfill more than its trades did.
   */
  metricsIntervalMs?: number;
  /**
   * Only trades of these venues (`--program`); absent or null: every venue. Applied to every
   * transaction's trades, whether the pipeline decoded it or its source did (the WebSocket
   * source's frame worker), so both paths keep the same trades.
   */
  venues?: ReadonlySet<string> | null;
  /** Listeners (watch TUI, /metrics): everything the engine produced per ingest call. */
  onOutput?: (out: FlowOutput) => void;
  /** A transaction that failed to decode; ingestion continues. */
  onDecodeError?: (envelope: TxEnvelope | DecodedEnvelope, error: Error) => void;
}

export interface IngestResult {
  /** Trades decoded (or given) in this call. */
  received: number;
  /** Trades that became final in this call (may include earlier calls' trades). */
  released: number;
  late: number;
  signals: number;
  decodeErrors: number;
}

export interface PipelineSummary {
  writer: WriterCounters;
  engine: EngineStats;
  decodeErrors: number;
  reconciled: boolean;
  recomputeMs: number;
}

export interface Pipeline {
  /** For writes that must follow the queued trades (a job's cursor): writer.exclusive(). */
  readonly writer: Writer;
  ingestTransactions(envelopes: Iterable<TxEnvelope | DecodedEnvelope>): Promise<IngestResult>;
  /** `adopt`: the trades are handed over and may be annotated in place (see PushOptions). */
  ingestTrades(trades: readonly Trade[], opts?: PushOptions): Promise<IngestResult>;
  /** Live: the chain is at (blockTime, slot) even if nothing traded (idle decay, lag release). */
  tick(blockTime: number, slot: number | null): Promise<void>;
  /**
   * Every trade with a slot at or below this is final and handed to the writer; a resumable
   * source (backfill cursor, live gap recovery) must not skip past it. null before the first.
   */
  committedSlot(): number | null;
  /** Flush the engine and the writer, reconcile if needed. The database stays open. */
  close(): Promise<PipelineSummary>;
}

/** Opens the pipeline: reads the blocklist and the store's extent, warms the engine. */
export async function createPipeline(opts: PipelineOptions): Promise<Pipeline> {
  const { store } = opts;
  if (store.readonly) throw new Error('the ingest pipeline needs a writable database');
  const metricsIntervalMs = opts.metricsIntervalMs ?? 5000;
  const venues = opts.venues ?? null;
  const engineInput: EngineOptionsInput = {
    ...opts.engine,
    blockedMints: opts.engine?.blockedMints ?? (await store.blocklist.mints()),
  };
  const extent = await store.trades.extent();
  const engine = createFlowEngine(engineInput);
  await warm(engine, store, extent.maxTime);
  const writer = store.createWriter({ ...opts.writer, thread: opts.writerThread === true });
  let lastMetricsAt = Date.now();
  let decodeErrors = 0;
  let closed = false;

  /** Route engine output to the writer: late and store-late trades marked as such. */
  async function sink(out: FlowOutput, metrics: WindowMetrics[]): Promise<void> {
    const storeLate = extent.maxSlot;
    let trades: ClassifiedTrade[] = out.trades;
    let late: ClassifiedTrade[] = out.late;
    if (storeLate !== null && trades.length > 0 && (trades[0].slot ?? -1) <= storeLate) {
      trades = out.trades.filter((t) => (t.slot ?? -1) > storeLate);
      late = late.concat(out.trades.filter((t) => (t.slot ?? -1) <= storeLate));
    }
    if (opts.onOutput) opts.onOutput({ ...out, metrics });
    await writer.write({ trades, lateTrades: late, signals: out.signals, metrics });
  }

  function dueMetrics(): WindowMetrics[] {
    const t = Date.now();
    if (t - lastMetricsAt < metricsIntervalMs) return [];
    lastMetricsAt = t;
    return engine.takeMetrics();
  }

  async function ingest(trades: readonly Trade[], errors: number, adopt: boolean): Promise<IngestResult> {
    if (closed) throw new Error('pipeline is closed');
    const out = engine.push(trades, { adopt });
    await sink(out, dueMetrics());
    return { received: trades.length, released: out.trades.length, late: out.late.length, signals: out.signals.length, decodeErrors: errors };
  }

  return {
    writer,
    async ingestTransactions(envelopes) {
      const trades: Trade[] = [];
      let errors = 0;
      for (const env of envelopes) {
        let decoded: Trade[];
        if ('decoded' in env) {
          const error = outcomeError(env.decoded);
          if (error) {
            errors++;
            opts.onDecodeError?.(env, error);
            continue;
          }
          decoded = (env.decoded as { trades: Trade[] }).trades;
        } else {
          try {
            decoded = decodeTransaction(env.tx);
          } catch (err) {
            errors++;
            opts.onDecodeError?.(env, err as Error);
            continue;
          }
        }
        for (const t of decoded) {
          if (venues && !venues.has(t.venue)) continue;
          if (t.txIndex === null && env.txIndex !== undefined && env.txIndex !== null) t.txIndex = env.txIndex;
          trades.push(t);
        }
      }
      decodeErrors += errors;
      // Decoded just now, seen by nobody else.
      return ingest(trades, errors, true);
    },
    ingestTrades(trades, o) {
      return ingest(trades, 0, o?.adopt === true);
    },
    async tick(blockTime, slot) {
      const out = engine.advanceTo(blockTime, slot);
      await sink(out, dueMetrics());
    },
    committedSlot() {
      // Released trades are handed to the writer before push() returns (written at its next
      // flush: size, timer or close).
      return engine.stats().releasedSlot;
    },
    async close() {
      if (closed) throw new Error('pipeline is closed');
      closed = true;
      const out = engine.flush();
      await sink(out, out.metrics);
      await writer.close();
      // Late trades new to the store were never counted in order: recompute from the store.
      const reconciled = writer.counters().lateWritten > 0;
      let recomputeMs = 0;
      if (reconciled) {
        const t0 = performance.now();
        await recomputeFlow(store, { engine: engineInput, writer: opts.writer });
        recomputeMs = performance.now() - t0;
      }
      return { writer: writer.counters(), engine: engine.stats(), decodeErrors, reconciled, recomputeMs };
    },
  };
}

const WARM_SECONDS = WINDOWS[WINDOWS.length - 1].seconds + 600;

/** Feed the store's last hours through the engine, dropping outputs: state only. */
async function warm(engine: FlowEngine, store: Store, maxTime: number | null): Promise<void> {
  if (maxTime === null) return;
  const fromSlot = await store.trades.firstSlotFrom(maxTime - WARM_SECONDS);
  if (fromSlot === null) return;
  for await (const page of store.trades.readInOrder({ fromSlot })) {
    engine.push(page, { adopt: true });
    engine.takeMetrics();
  }
  engine.flush();
}

export interface RecomputeSummary {
  trades: number;
  flagsChanged: number;
  signals: number;
  metricsRows: number;
}

/**
 * Replay every stored trade through a fresh engine in canonical order and make the store agree:
 * changed bot flags are updated, signals and token_metrics are replaced. The result is what an
 * uninterrupted in-order run over the same trades would have written.
 */
export async function recomputeFlow(
  store: Store,
  opts: { engine?: EngineOptionsInput; writer?: WriterOptions } = {},
): Promise<RecomputeSummary> {
  const engine = createFlowEngine({ ...opts.engine, blockedMints: opts.engine?.blockedMints ?? (await store.blocklist.mints()) });
  const writer = store.createWriter(opts.writer);
  const { clock } = await writer.exclusive((tx) => tx.clearFlowTables());
  const stored = new Map<string, string>();
  const summary: RecomputeSummary = { trades: 0, flagsChanged: 0, signals: 0, metricsRows: 0 };

  const handle = async (out: FlowOutput, metrics: WindowMetrics[]) => {
    const flagUpdates: FlagUpdate[] = [];
    for (const t of out.trades) {
      const key = `${t.signature}|${t.ixPath}`;
      const before = stored.get(key);
      stored.delete(key);
      const after = JSON.stringify(t.botReasons);
      if (before !== after) flagUpdates.push({ signature: t.signature, ixPath: t.ixPath, slot: t.slot, isBot: t.isBot, botReasons: t.botReasons });
    }
    summary.trades += out.trades.length;
    summary.flagsChanged += flagUpdates.length;
    summary.signals += out.signals.length;
    summary.metricsRows += metrics.length;
    await writer.write({ flagUpdates, signals: out.signals, metrics });
  };

  for await (const page of store.trades.readInOrder()) {
    for (const t of page) stored.set(`${t.signature}|${t.ixPath}`, JSON.stringify(t.botReasons));
    const out = engine.push(page, { adopt: true });
    await handle(out, engine.takeMetrics());
  }
  // The run being redone may have seen the chain move on after its last trade (a tick): end
  // there too, so idle windows decay exactly as they did.
  if (clock !== null) await handle(engine.advanceTo(clock, null), []);
  const out = engine.flush();
  await handle(out, out.metrics);
  await writer.close();
  return summary;
}
