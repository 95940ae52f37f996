/**
 * The one batched writer, backend-neutral: a bounded queue (queue.ts), one transaction per
 * batch, a short timer for partial batches, close() always flushes. A backend supplies only
 * "write these rows in one transaction" (SQLite: prepared statements; Postgres: multi-row
 * statements) and gets back the writer's whole contract:
 *
 *  - backpressure: write() queues its rows; once batchSize are queued it flushes, then yields
 *    to the event loop before resolving, so a producer that awaits write() is paced by the
 *    database and memory stays bounded;
 *  - a batch either commits whole (its counts are added then, not before: a retried batch is
 *    not counted twice) or goes back to the front of the queue and the error is thrown to the
 *    caller; the next write(), flush() or close() retries it;
 *  - a row the backend rejects (bad data, a row-level SQL error) is counted and reported
 *    through onReject, and the batch goes on;
 *  - a timer flush that fails leaves its rows queued and is reported through onReject.
 *
 * A backend whose batch is synchronous (better-sqlite3) gets a synchronous flush(): the whole
 * loop runs without a Promise, so the SQLite hot path costs what it did when the loop was its
 * own. An asynchronous one (pg) gets flushes that run one at a time, in call order.
 */
import type { WriteBatch, WriterCounters, WriterOptions } from '../../core/store/types.js';
import { createWriteQueue, zeroDelta, type BatchRows, type Delta, type Reject } from './queue.js';

/** What a backend's batch is handed besides its rows. */
export interface BatchContext {
  /** Wall clock for updated_at / created_at / inserted_at, unix ms. */
  at: number;
  /** The batch's counts: the backend adds what it wrote; committed only with the batch. */
  d: Delta;
  /** Reject one row (counted in d.rejected, told to onReject); the batch goes on. */
  reject: Reject;
}

export interface BatchedWriter<R extends void | Promise<void>> {
  write(batch: WriteBatch): Promise<void>;
  /** Write everything queued now, in as many transactions as batchSize needs. */
  flush(): R;
  /**
   * Runs fn after every flush started before this call has ended, and before any started after
   * (for a backend whose flushes are asynchronous; a synchronous one simply calls fn).
   */
  inTurn<T>(fn: () => Promise<T>): Promise<T>;
  counters(): WriterCounters;
  /** Flush and stop the timer; later writes throw. */
  close(): Promise<void>;
}

const isPromise = (v: unknown): v is Promise<unknown> => typeof (v as Promise<unknown> | undefined)?.then === 'function';

type Options = WriterOptions & { defaultBatchSize: number };

/** `writeOneBatch` writes its rows in one transaction, or throws having written none of them. */
export function createBatchedWriter(opts: Options, writeOneBatch: (rows: BatchRows, ctx: BatchContext) => Promise<void>): BatchedWriter<Promise<void>>;
export function createBatchedWriter(opts: Options, writeOneBatch: (rows: BatchRows, ctx: BatchContext) => void): BatchedWriter<void>;
export function createBatchedWriter(
  opts: Options,
  writeOneBatch: (rows: BatchRows, ctx: BatchContext) => void | Promise<void>,
): BatchedWriter<void> | BatchedWriter<Promise<void>> {
  const batchSize = Math.max(1, opts.batchSize ?? opts.defaultBatchSize);
  const flushIntervalMs = opts.flushIntervalMs ?? 100;
  const onReject = opts.onReject;
  const queue = createWriteQueue(batchSize);
  let timer: NodeJS.Timeout | null = null;
  let closed = false;
  /** The last asynchronous flush (or inTurn) not yet settled; null when none is running. */
  let tail: Promise<unknown> | null = null;

  /** Writes batches until the queue is empty; synchronous as long as the backend's batches are. */
  function drain(): void | Promise<void> {
    while (queue.size() > 0) {
      const rows = queue.take();
      const d = zeroDelta();
      const reject: Reject = (what, item, reason) => {
        d.rejected++;
        onReject?.(what, item, reason);
      };
      const t0 = performance.now();
      let out: void | Promise<void>;
      try {
        out = writeOneBatch(rows, { at: Date.now(), d, reject });
      } catch (err) {
        // Nothing of this batch was committed: put it back so a retry (or close) can write it.
        queue.putBack(rows);
        throw err;
      }
      if (isPromise(out)) {
        return out.then(
          () => {
            queue.committed(d, t0);
            return drain();
          },
          (err: unknown) => {
            queue.putBack(rows);
            throw err;
          },
        );
      }
      queue.committed(d, t0);
    }
  }

  /** fn now if nothing asynchronous is running, else once the running work has settled. */
  function inOrder<T>(fn: () => T): T {
    const run = tail === null ? fn() : (tail.then(fn) as T);
    if (isPromise(run)) {
      const settled: Promise<unknown> = run.then(
        () => undefined,
        () => undefined,
      );
      tail = settled;
      void settled.then(() => {
        if (tail === settled) tail = null;
      });
    }
    return run;
  }

  function flush(): void | Promise<void> {
    if (timer) {
      clearTimeout(timer);
      timer = null;
    }
    return inOrder(drain);
  }

  function schedule(): void {
    if (timer || closed || flushIntervalMs <= 0) return;
    timer = setTimeout(() => {
      timer = null;
      const failed = (err: unknown) => onReject?.('trade', null, `background flush failed: ${(err as Error).message}`);
      // The rows stay queued; the next write() or close() retries and surfaces the error.
      try {
        const r = flush();
        if (isPromise(r)) r.catch(failed);
      } catch (err) {
        failed(err);
      }
    }, flushIntervalMs);
    timer.unref();
  }

  return {
    async write(batch) {
      if (closed) throw new Error('writer is closed');
      queue.add(batch);
      if (queue.size() >= batchSize) {
        await flush();
        // Let timers, sockets and the TUI run between batches.
        await new Promise<void>((resolve) => setImmediate(resolve));
      } else {
        schedule();
      }
    },
    flush,
    inTurn: (fn) => inOrder(fn),
    counters: () => queue.counters(),
    async close() {
      if (closed) return;
      await flush();
      closed = true;
    },
  };
}
