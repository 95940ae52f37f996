/**
 * The batched writer on PostgreSQL: the same contract as the SQLite writer (src/store/sqlite/writer.ts)
 * — bounded queue with backpressure, one transaction per batch, flush on size, timer and close,
 * the same counters — with each batch written as a handful of multi-row statements instead of
 * one statement per row (a round trip per row would bound a remote server at a few thousand
 * rows/s):
 *
 *   1. addresses the batch needs and the cache lacks: one INSERT … ON CONFLICT DO NOTHING, one SELECT;
 *   2. trades: COPY into a session-local staging table, then one INSERT … SELECT FROM it ON
 *      CONFLICT (sig_key, ix_path) DO NOTHING RETURNING what went in (the same rows bound as
 *      32 unnest() arrays took ~2.5x as long: parsing the arrays cost more than the inserts).
 *      A row that did not go in is a duplicate when its key holds the
 *      same signature; otherwise two signatures share the key, and it is resolved exactly as on
 *      SQLite (sql/004): the key goes into sig_collisions and the trade is stored unkeyed unless
 *      it already is. Trades whose key is a listed collision are first looked for among the
 *      unkeyed rows, so a re-run never stores one twice even after the key's owner was pruned;
 *   3. tokens, token_metrics, signals, flag updates: one statement each.
 *
 * A statement that fails on one bad row (a CHECK, a NOT NULL the cheap checks let through) rolls
 * back to a savepoint and its rows are retried one by one, so only the bad row is rejected, as
 * on SQLite. Rows are sent in key order so two writers on one database take locks in one order.
 */
import type pg from 'pg';
import type { Signal, WindowMetrics } from '../../core/flow/types.js';
import type { FlagUpdate, Writer, WriterCounters, WriterOptions, WriterTx } from '../../core/store/types.js';
import { sigKey } from '../sig-key.js';
import type { Delta, QueuedTrade, Reject } from './batch.js';
import { setCursorPg, updateJobPg } from './jobs.js';
import { createPgAddressBook } from './rows.js';
import { invalidTrade } from '../sqlite/rows.js';
import { storeTrades, type TradeInput } from './trade-insert.js';
import { clearFlowTablesPg, insertSignals, updateFlags, upsertMetrics, upsertTokens } from './upserts.js';

export { clearFlowTablesPg };

/**
 * Rows per transaction. Unlike SQLite's, a Postgres commit does not rewrite the index pages a
 * batch touched, so the size mostly trades round trips against how long one batch holds its
 * row locks and how much a failed batch must redo. 20,000 as on SQLite: not yet tuned for
 * Postgres (test/bench/write-path-pg.ts measures the writer at this size).
 */
export const DEFAULT_PG_BATCH_SIZE = 20_000;

function take<T>(queue: T[], n: number): [T[], T[]] {
  return queue.length <= n ? [queue, []] : [queue.slice(0, n), queue.slice(n)];
}

/** Writer.exclusive's handle: its writes go through the same transaction client. */
function writerTx(client: pg.PoolClient): WriterTx {
  return {
    updateJob: (id, u) => updateJobPg(client, id, u),
    setCursor: (name, slot) => setCursorPg(client, name, slot),
    clearFlowTables: () => clearFlowTablesPg(client),
  };
}

/** `thread` is ignored: the server already works beside the pipeline's thread. */
export function createPgWriter(pool: pg.Pool, opts: WriterOptions = {}): Writer {
  const batchSize = Math.max(1, opts.batchSize ?? DEFAULT_PG_BATCH_SIZE);
  const flushIntervalMs = opts.flushIntervalMs ?? 100;
  const onReject = opts.onReject;
  const book = createPgAddressBook();

  let trades: QueuedTrade[] = [];
  let lates: QueuedTrade[] = [];
  let metrics = new Map<string, WindowMetrics>();
  let signals: Signal[] = [];
  let flags: FlagUpdate[] = [];
  let timer: NodeJS.Timeout | null = null;
  let closed = false;
  /** Flushes run one at a time, in order: each waits for the one before. */
  let tail: Promise<void> = Promise.resolve();

  const c: WriterCounters = {
    written: 0, duplicate: 0, rejected: 0, lateWritten: 0, metricsWritten: 0, signalsWritten: 0,
    signalsDuplicate: 0, flagsUpdated: 0, batches: 0, writeMs: 0, queued: 0,
  };
  const queued = () => trades.length + lates.length + metrics.size + signals.length + flags.length;
  const mkey = (m: WindowMetrics) => `${m.mint}\u0000${m.window}`;

  async function writeBatch(client: pg.PoolClient, ts: QueuedTrade[], ls: QueuedTrade[], ms: WindowMetrics[], ss: Signal[], fs: FlagUpdate[], at: number): Promise<Delta> {
    const d: Delta = { written: 0, duplicate: 0, rejected: 0, lateWritten: 0, metricsWritten: 0, signalsWritten: 0, signalsDuplicate: 0, flagsUpdated: 0 };
    const reject: Reject = (what, item, reason) => {
      d.rejected++;
      onReject?.(what, item, reason);
    };
    const inputs: TradeInput[] = [];
    for (const [list, late] of [[ts, false], [ls, true]] as const) {
      for (const t of list) {
        const bad = invalidTrade(t);
        if (bad) reject('trade', t, bad);
        else inputs.push({ t, late, key: sigKey(t.signature) });
      }
    }
    const { fresh, duplicates } = inputs.length > 0 ? await storeTrades(client, inputs, at, book, reject) : { fresh: [], duplicates: 0 };
    d.written = fresh.length;
    d.lateWritten = fresh.filter((i) => i.late).length;
    d.duplicate = duplicates;
    await upsertTokens(client, fresh, at);
    await upsertMetrics(client, ms, at, reject, d);
    await insertSignals(client, ss, at, reject, d);
    await updateFlags(
      client,
      fs,
      async () => new Set((await client.query<{ sig_key: number }>('SELECT sig_key FROM sig_collisions')).rows.map((r) => Number(r.sig_key))),
      d,
    );
    return d;
  }

  async function flushNow(): Promise<void> {
    while (queued() > 0) {
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
        for (const [k, m] of metrics) {
          if (ms.length >= room) break;
          ms.push(m);
          metrics.delete(k);
        }
      }
      const t0 = performance.now();
      let d: Delta;
      const client = await pool.connect().catch((err) => {
        putBack();
        throw err;
      });
      function putBack() {
        book.forget();
        trades = ts.concat(trades);
        lates = ls.concat(lates);
        flags = fs.concat(flags);
        signals = ss.concat(signals);
        for (const m of ms) if (!metrics.has(mkey(m))) metrics.set(mkey(m), m);
      }
      try {
        await client.query('BEGIN');
        d = await writeBatch(client, ts, ls, ms, ss, fs, Date.now());
        await client.query('COMMIT');
      } catch (err) {
        // Nothing of this batch was committed: put it back so a retry (or close) can write it.
        await client.query('ROLLBACK').catch(() => undefined);
        client.release();
        putBack();
        throw err;
      }
      client.release();
      book.committed();
      for (const k of Object.keys(d) as (keyof Delta)[]) c[k] += d[k];
      c.writeMs += performance.now() - t0;
      c.batches++;
    }
  }

  function flush(): Promise<void> {
    if (timer) {
      clearTimeout(timer);
      timer = null;
    }
    const run = tail.then(flushNow);
    tail = run.catch(() => undefined);
    return run;
  }

  function schedule() {
    if (timer || closed || flushIntervalMs <= 0) return;
    timer = setTimeout(() => {
      timer = null;
      flush().catch((err) => onReject?.('trade', null, `background flush failed: ${(err as Error).message}`));
    }, flushIntervalMs);
    timer.unref();
  }

  return {
    async write(batch) {
      if (closed) throw new Error('writer is closed');
      if (batch.trades) for (const t of batch.trades) trades.push(t);
      if (batch.lateTrades) for (const t of batch.lateTrades) lates.push(t);
      if (batch.metrics) for (const m of batch.metrics) metrics.set(mkey(m), m);
      if (batch.signals) for (const s of batch.signals) signals.push(s);
      if (batch.flagUpdates) for (const f of batch.flagUpdates) flags.push(f);
      // Backpressure: a producer that awaits write() waits for the database once a batch is full.
      if (queued() >= batchSize) await flush();
      else schedule();
    },
    flush,
    async exclusive(fn) {
      await flush();
      const run = tail.then(async () => {
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          const v = await fn(writerTx(client));
          await client.query('COMMIT');
          return v;
        } catch (err) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw err;
        } finally {
          client.release();
        }
      });
      tail = run.then(() => undefined, () => undefined);
      return run;
    },
    counters() {
      return { ...c, queued: queued() };
    },
    async close() {
      if (closed) return;
      await flush();
      closed = true;
    },
  };
}
