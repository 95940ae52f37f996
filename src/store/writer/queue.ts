/**
 * The batched writer's queue, the same on every backend: rows waiting for their transaction,
 * taken a batch at a time (trades first, the bulk, then late trades, flag updates, signals and
 * metrics), put back whole when a batch fails, and the counters a committed batch adds to.
 *
 * token_metrics rows are coalesced per (mint, window) while they wait: only the latest matters.
 */
import type { ClassifiedTrade, Signal, WindowMetrics } from '../../core/flow/types.js';
import type { FlagUpdate, WriteBatch, WriterCounters } from '../../core/store/types.js';
import type { Trade } from '../../core/trade.js';

export type QueuedTrade = Trade | ClassifiedTrade;

/** What one transaction writes: at most batchSize rows over all five lists. */
export interface BatchRows {
  trades: QueuedTrade[];
  lates: QueuedTrade[];
  metrics: WindowMetrics[];
  signals: Signal[];
  flags: FlagUpdate[];
}

/** What one committed batch adds to the counters. */
export type Delta = Pick<WriterCounters, 'written' | 'duplicate' | 'rejected' | 'lateWritten' | 'metricsWritten' | 'signalsWritten' | 'signalsDuplicate' | 'flagsUpdated'>;

export type Reject = (what: 'trade' | 'signal' | 'metrics', item: unknown, reason: string) => void;

export const zeroDelta = (): Delta => ({
  written: 0, duplicate: 0, rejected: 0, lateWritten: 0, metricsWritten: 0, signalsWritten: 0, signalsDuplicate: 0, flagsUpdated: 0,
});

export const zeroCounters = (): WriterCounters => ({ ...zeroDelta(), batches: 0, writeMs: 0, queued: 0 });

/** Up to `n` items from the front of a queue, and the rest (no copy when all of it fits). */
function take<T>(queue: T[], n: number): [T[], T[]] {
  return queue.length <= n ? [queue, []] : [queue.slice(0, n), queue.slice(n)];
}

const metricsKey = (m: WindowMetrics) => `${m.mint}\u0000${m.window}`;

export interface WriteQueue {
  add(batch: WriteBatch): void;
  /** Rows waiting now. */
  size(): number;
  /** The next transaction's rows: up to batchSize, trades first. */
  take(): BatchRows;
  /** A batch that was not committed goes back to the front, to be written by a retry or close(). */
  putBack(rows: BatchRows): void;
  /** A batch committed: its counts, and when its transaction started (performance.now()). */
  committed(d: Delta, startedAt: number): void;
  counters(): WriterCounters;
}

export function createWriteQueue(batchSize: number): WriteQueue {
  let trades: QueuedTrade[] = [];
  // Late trades queue apart: no per-trade wrapper to allocate and to keep alive until the flush.
  let lates: QueuedTrade[] = [];
  let metrics = new Map<string, WindowMetrics>();
  let signals: Signal[] = [];
  let flags: FlagUpdate[] = [];
  const c = zeroCounters();
  const size = () => trades.length + lates.length + metrics.size + signals.length + flags.length;

  return {
    add(batch) {
      if (batch.trades) for (const t of batch.trades) trades.push(t);
      if (batch.lateTrades) for (const t of batch.lateTrades) lates.push(t);
      if (batch.metrics) for (const m of batch.metrics) metrics.set(metricsKey(m), m);
      if (batch.signals) for (const s of batch.signals) signals.push(s);
      if (batch.flagUpdates) for (const f of batch.flagUpdates) flags.push(f);
    },
    size,
    take() {
      let room = batchSize;
      let ts: QueuedTrade[], ls: QueuedTrade[], fs: FlagUpdate[], ss: Signal[];
      [ts, trades] = take(trades, room);
      room -= ts.length;
      [ls, lates] = take(lates, room);
      room -= ls.length;
      [fs, flags] = take(flags, room);
      room -= fs.length;
      [ss, signals] = take(signals, room);
      room -= ss.length;
      let ms: WindowMetrics[] = [];
      if (room > 0 && metrics.size > 0) {
        if (metrics.size <= room) {
          ms = [...metrics.values()];
          metrics = new Map();
        } else {
          for (const [k, m] of metrics) {
            if (ms.length >= room) break;
            ms.push(m);
            metrics.delete(k);
          }
        }
      }
      return { trades: ts, lates: ls, metrics: ms, signals: ss, flags: fs };
    },
    putBack(rows) {
      trades = rows.trades.concat(trades);
      lates = rows.lates.concat(lates);
      flags = rows.flags.concat(flags);
      signals = rows.signals.concat(signals);
      // A newer value for the same (mint, window) queued meanwhile wins.
      for (const m of rows.metrics) if (!metrics.has(metricsKey(m))) metrics.set(metricsKey(m), m);
    },
    committed(d, startedAt) {
      for (const k of Object.keys(d) as (keyof Delta)[]) c[k] += d[k];
      c.writeMs += performance.now() - startedAt;
      c.batches++;
    },
    counters() {
      return { ...c, queued: size() };
    },
  };
}
