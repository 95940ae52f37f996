/**
 * The batched writer (writer.ts) run on its own thread, behind the same Writer interface.
 *
 * Why: SQLite work (index inserts, commits) is about half of what the write path costs, and
 * the flow engine most of the rest; on one thread they take turns, on two they overlap. The
 * engine keeps the main thread; the writer thread owns a second connection to the same file
 * and does every write the pipeline makes, in the order the pipeline made them.
 *
 * What stays as it was:
 *  - write() resolves once the batch is handed over; with more than MAX_IN_FLIGHT batches
 *    not yet taken by the thread it waits (backpressure, bounded memory);
 *  - flush() and exclusive() are synchronous: they block until the thread has committed
 *    everything sent so far (Atomics.wait on a shared counter the thread bumps per reply), so
 *    a job cursor written in exclusive() never gets ahead of the trades it covers;
 *  - counters() and onReject see what the thread did, as of its latest reply;
 *  - a failed batch stays queued in the thread and the error surfaces on the next call.
 *
 * The pipeline uses it where the source is CPU-bound (backfill --from, demo); why not for an
 * RPC backfill is in PipelineOptions.writerThread.
 */
import { createRequire } from 'node:module';
import type { MessagePort } from 'node:worker_threads';
import { startWorker } from '../../util/start-worker.js';
import type Database from 'better-sqlite3';
import type { ClassifiedTrade, Signal, WindowMetrics } from '../../core/flow/types.js';
import type { Trade } from '../../core/trade.js';
import { invalidTrade } from './rows.js';
import { zeroCounters } from '../writer/queue.js';
import { packedTransfer, packTrades, sentStrings, type PackedTrades } from './trade-codec.js';
import type { FlagUpdate, WriteBatch, SqliteWriter, WriterCounters, WriterOptions } from './writer.js';

export interface Reject {
  what: 'trade' | 'signal' | 'metrics';
  item: unknown;
  reason: string;
}

export type ThreadRequest =
  | {
      type: 'write';
      seq: number;
      trades?: PackedTrades;
      lateTrades?: PackedTrades;
      metrics?: readonly WindowMetrics[];
      signals?: readonly Signal[];
      flagUpdates?: readonly FlagUpdate[];
    }
  | { type: 'flush'; seq: number }
  | { type: 'close'; seq: number };

export interface ThreadReply {
  seq: number;
  /** null when the thread could not open the file. */
  counters: WriterCounters | null;
  rejects: Reject[];
  error?: string;
}

export interface WriterThreadData {
  path: string;
  busyTimeoutMs: number;
  options: Omit<WriterOptions, 'onReject'>;
  port: MessagePort;
  /** Int32Array: [0] replies sent, [1] 1 once the thread has exited, [2] 1 once it has opened the file (or failed to). */
  signal: SharedArrayBuffer;
}

/** Batches handed over but not yet answered before write() waits. */
const MAX_IN_FLIGHT = 4;
/**
 * Small writes (a live source's few trades, a tick's metrics) are gathered here first, so a
 * trickle of them does not cost both threads a wake-up each. Handed over at this many trades,
 * after HANDOVER_MS, or at once by flush(), exclusive() and close().
 */
const HANDOVER_TRADES = 2048;
const HANDOVER_MS = 20;
/** How often a blocked wait looks up from Atomics.wait to check the thread is still there. */
const WAIT_SLICE_MS = 1000;

/**
 * `sqlite` is the caller's own connection to `path`: exclusive() runs on it, after the thread
 * has committed everything before.
 */
export function createThreadedWriter(sqlite: Database.Database, path: string, opts: WriterOptions = {}): SqliteWriter {
  const { onReject, ...options } = opts;
  // Required here, not imported: loading Node's worker modules costs every command that opens a
  // store ~2 ms at start-up, and only writers start the thread (src/util/start-worker.ts too).
  const { MessageChannel, receiveMessageOnPort } = createRequire(import.meta.url)('node:worker_threads') as typeof import('node:worker_threads');
  const channel = new MessageChannel();
  const signal = new Int32Array(new SharedArrayBuffer(12));
  const data: WriterThreadData = {
    path,
    busyTimeoutMs: sqlite.pragma('busy_timeout', { simple: true }) as number,
    options,
    port: channel.port2,
    signal: signal.buffer as SharedArrayBuffer,
  };
  const worker = startWorker(import.meta.url, 'writer-worker', { workerData: data, transferList: [data.port] });
  // Wait for the thread to be up before the caller starts its work: otherwise the first flush()
  // stalls the caller mid-run for the thread's start-up (measured 240-300 ms under tsx).
  const startedBy = Date.now() + 60_000;
  while (Atomics.load(signal, 2) === 0 && Atomics.load(signal, 1) === 0 && Date.now() < startedBy) Atomics.wait(signal, 2, 0, WAIT_SLICE_MS);
  // The thread never keeps the process alive by itself: a caller that fails without close()
  // still exits (what was not committed is simply not there; re-runs are idempotent). Waiting
  // for it keeps the process alive instead (waitForAsync).
  worker.unref();
  // An error the thread could not report (it died): kept for the next call.
  let died: Error | null = null;
  worker.on('error', (err) => {
    died = err;
  });

  let sent = 0;
  let answered = 0;
  let pendingError: string | null = null;
  let threadCounters: WriterCounters = zeroCounters();
  let rejectedHere = 0;
  let closed = false;

  /** Take every reply that has arrived, without blocking. */
  function drain(): void {
    for (;;) {
      const m = receiveMessageOnPort(channel.port1);
      if (m === undefined) return;
      const r = m.message as ThreadReply;
      answered = r.seq;
      if (r.counters) threadCounters = r.counters;
      if (r.error !== undefined) pendingError = r.error;
      if (onReject) for (const x of r.rejects) onReject(x.what, x.item, x.reason);
    }
  }

  function throwIfFailed(): void {
    if (pendingError !== null) {
      const e = new Error(pendingError);
      pendingError = null;
      throw e;
    }
    if (died) throw died;
    if (Atomics.load(signal, 1) === 1 && answered < sent) throw new Error('the writer thread exited with writes unanswered');
  }

  /**
   * null once reply `seq` has arrived (after taking the replies in); else the signal's value to
   * wait on for the next one. Throws what the thread reported, or that it is gone.
   */
  function awaiting(seq: number): number | null {
    const seen = Atomics.load(signal, 0);
    drain();
    if (answered >= seq) return null;
    throwIfFailed();
    return seen;
  }

  /** Block this thread until reply `seq` has arrived. */
  function waitFor(seq: number): void {
    for (let seen = awaiting(seq); seen !== null; seen = awaiting(seq)) Atomics.wait(signal, 0, seen, WAIT_SLICE_MS);
  }

  /** The same, letting the event loop run meanwhile. */
  async function waitForAsync(seq: number): Promise<void> {
    // Atomics.waitAsync alone does not keep the event loop alive.
    const alive = setInterval(() => {}, WAIT_SLICE_MS);
    try {
      for (let seen = awaiting(seq); seen !== null; seen = awaiting(seq)) {
        const w = Atomics.waitAsync(signal, 0, seen, WAIT_SLICE_MS);
        if (w.async) await w.value;
      }
    } finally {
      clearInterval(alive);
    }
  }

  // Packed in send order, unpacked by the thread in the same order (see trade-codec.ts).
  const strings = sentStrings();

  /** Valid trades packed for the thread; the invalid ones rejected here, as writer.ts would. */
  function pack(trades: readonly (Trade | ClassifiedTrade)[] | undefined): PackedTrades | undefined {
    if (!trades || trades.length === 0) return undefined;
    let valid: (Trade | ClassifiedTrade)[] | null = null; // a copy only once one is invalid
    for (let i = 0; i < trades.length; i++) {
      const bad = invalidTrade(trades[i]);
      if (bad === null) {
        valid?.push(trades[i]);
        continue;
      }
      valid ??= trades.slice(0, i);
      rejectedHere++;
      onReject?.('trade', trades[i], bad);
    }
    const list = valid ?? trades;
    return list.length === 0 ? undefined : packTrades(list, strings);
  }

  function send(m: ThreadRequest, transfer: ArrayBuffer[] = []): number {
    worker.postMessage(m, transfer);
    sent = m.seq;
    return m.seq;
  }

  // Writes not yet handed over, in arrival order per kind (the thread's writer keeps that order).
  let held: { trades: (Trade | ClassifiedTrade)[]; lates: (Trade | ClassifiedTrade)[]; metrics: WindowMetrics[]; signals: Signal[]; flags: FlagUpdate[] } | null = null;
  let timer: NodeJS.Timeout | null = null;

  function handOver(): void {
    if (timer) {
      clearTimeout(timer);
      timer = null;
    }
    if (held === null) return;
    const h = held;
    held = null;
    const trades = pack(h.trades);
    const lateTrades = pack(h.lates);
    const transfer = [...(trades ? packedTransfer(trades) : []), ...(lateTrades ? packedTransfer(lateTrades) : [])];
    const some = <T>(xs: T[]) => (xs.length > 0 ? xs : undefined);
    send({ type: 'write', seq: sent + 1, trades, lateTrades, metrics: some(h.metrics), signals: some(h.signals), flagUpdates: some(h.flags) }, transfer);
  }

  function flushSync(): void {
    drain();
    throwIfFailed();
    handOver();
    waitFor(send({ type: 'flush', seq: sent + 1 }));
    throwIfFailed();
  }

  return {
    async write(batch: WriteBatch) {
      if (closed) throw new Error('writer is closed');
      drain();
      throwIfFailed();
      held ??= { trades: [], lates: [], metrics: [], signals: [], flags: [] };
      const h = held;
      for (const t of batch.trades ?? []) h.trades.push(t);
      for (const t of batch.lateTrades ?? []) h.lates.push(t);
      for (const m of batch.metrics ?? []) h.metrics.push(m);
      for (const x of batch.signals ?? []) h.signals.push(x);
      for (const f of batch.flagUpdates ?? []) h.flags.push(f);
      if (h.trades.length + h.lates.length >= HANDOVER_TRADES) handOver();
      else if (!timer) {
        timer = setTimeout(() => {
          try {
            handOver();
          } catch (err) {
            pendingError = (err as Error).message; // surfaces on the next call
          }
        }, HANDOVER_MS);
        timer.unref();
      }
      if (sent - answered > MAX_IN_FLIGHT) await waitForAsync(sent - MAX_IN_FLIGHT);
      throwIfFailed();
    },
    flush: flushSync,
    exclusive(fn) {
      flushSync();
      return sqlite.transaction(() => fn(sqlite)).immediate();
    },
    counters() {
      drain();
      const h = held;
      const waiting = h === null ? 0 : h.trades.length + h.lates.length + h.metrics.length + h.signals.length + h.flags.length;
      return { ...threadCounters, rejected: threadCounters.rejected + rejectedHere, queued: threadCounters.queued + waiting };
    },
    async close() {
      if (closed) return;
      closed = true;
      drain();
      handOver();
      const seq = send({ type: 'close', seq: sent + 1 });
      try {
        await waitForAsync(seq);
        throwIfFailed();
      } finally {
        await worker.terminate();
        channel.port1.close();
      }
    },
  };
}
