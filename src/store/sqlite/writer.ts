/**
 * The one batched writer. Everything solflow writes while ingesting goes through here:
 *
 *  - a queue bounded by `batchSize` (+ the size of the write() that crossed it): when it fills,
 *    write() flushes right away and then yields to the event loop before resolving, so a fast
 *    producer that awaits write() is paced by the database (backpressure, no unbounded memory);
 *  - one transaction per batch; a short timer flushes a partial batch, close() always flushes;
 *  - trades insert idempotently on (signature, ix_path), found through (sig_key, ix_path) (see
 *    storeTrade below for keys two signatures share); token_metrics rows are coalesced per
 *    (mint, window) inside the queue (only the latest value matters) and never overwrite a row
 *    with an older chain time; signals insert idempotently on (mint, type, signature);
 *  - counters: written / duplicate / rejected (plus metrics, signals, flag updates, batches).
 *
 * better-sqlite3 is synchronous, so a flush blocks the thread it runs on for its duration (a few
 * ms per thousand rows). Run on the caller's thread that keeps ordering and error handling
 * trivial; writer-thread.ts runs this same writer on a thread of its own for CPU-bound sources.
 */
import type Database from 'better-sqlite3';
import type { ClassifiedTrade, Signal, WindowMetrics } from '../../core/flow/types.js';
import type { Trade } from '../../core/trade.js';
import type { FlagUpdate, WriteBatch, WriterCounters, WriterOptions } from '../../core/store/types.js';
import { createAddressBook, invalidTrade, TRADE_INSERT_SQL, tradeParams } from './rows.js';
import { sigKey } from '../sig-key.js';

export type { FlagUpdate, WriteBatch, WriterCounters, WriterOptions } from '../../core/store/types.js';

/**
 * The SQLite writer as this backend uses it inside: the Store's Writer (core/store/types.ts)
 * wraps it (sqlite/store.ts). flush() and exclusive() are synchronous here, and exclusive()
 * hands its callback the connection, which tests and the writer thread rely on.
 */
export interface SqliteWriter {
  write(batch: WriteBatch): Promise<void>;
  /** Write everything queued now, in as many transactions as batchSize needs. */
  flush(): void;
  /** Flush, then run fn inside its own transaction (maintenance such as a flow recompute). */
  exclusive<T>(fn: (sqlite: Database.Database) => T): T;
  counters(): WriterCounters;
  /** Flush and stop the timer. The connection stays open (its owner closes it). */
  close(): Promise<void>;
}

const METRICS_UPSERT_SQL = `INSERT INTO token_metrics (mint, window, as_of, as_of_slot, buy_volume, sell_volume,
  buy_count, sell_count, net_flow, unique_wallets, unique_buyers, unique_sellers, bot_volume, bot_trades,
  bot_wallets, bot_share, dca_volume, dca_buy_volume, dca_trades, dca_wallets, dca_share, updated_at)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (mint, window) DO UPDATE SET as_of = excluded.as_of, as_of_slot = excluded.as_of_slot,
  buy_volume = excluded.buy_volume, sell_volume = excluded.sell_volume, buy_count = excluded.buy_count,
  sell_count = excluded.sell_count, net_flow = excluded.net_flow, unique_wallets = excluded.unique_wallets,
  unique_buyers = excluded.unique_buyers, unique_sellers = excluded.unique_sellers,
  bot_volume = excluded.bot_volume, bot_trades = excluded.bot_trades, bot_wallets = excluded.bot_wallets,
  bot_share = excluded.bot_share, dca_volume = excluded.dca_volume, dca_buy_volume = excluded.dca_buy_volume,
  dca_trades = excluded.dca_trades, dca_wallets = excluded.dca_wallets, dca_share = excluded.dca_share,
  updated_at = excluded.updated_at
  WHERE excluded.as_of >= token_metrics.as_of`;

const SIGNAL_INSERT_SQL = `INSERT INTO signals (mint, type, strength, window, block_time, slot, signature,
  inputs_json, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (mint, type, signature) DO NOTHING`;

// first/last seen are min/max over everything seen, whatever order trades arrive in.
const TOKEN_UPSERT_SQL = `INSERT INTO tokens (mint, decimals, first_seen_slot, first_seen_time, last_seen_slot,
  last_seen_time, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (mint) DO UPDATE SET decimals = excluded.decimals,
  first_seen_slot = min(coalesce(tokens.first_seen_slot, excluded.first_seen_slot), coalesce(excluded.first_seen_slot, tokens.first_seen_slot)),
  first_seen_time = min(coalesce(tokens.first_seen_time, excluded.first_seen_time), coalesce(excluded.first_seen_time, tokens.first_seen_time)),
  last_seen_slot = max(coalesce(tokens.last_seen_slot, excluded.last_seen_slot), coalesce(excluded.last_seen_slot, tokens.last_seen_slot)),
  last_seen_time = max(coalesce(tokens.last_seen_time, excluded.last_seen_time), coalesce(excluded.last_seen_time, tokens.last_seen_time)),
  updated_at = excluded.updated_at`;

const FLAG_UPDATE_SQL = 'UPDATE trade_rows SET is_bot = ?, bot_reasons = ? WHERE sig_key = ? AND ix_path = ? AND signature = ?';
const FLAG_UPDATE_UNKEYED_SQL = 'UPDATE trade_rows SET is_bot = ?, bot_reasons = ? WHERE sig_key IS NULL AND ix_path = ? AND signature = ?';

/**
 * Before a flow recompute: drop what the engine derived (signals, token_metrics) and return the
 * chain clock they were computed up to (the newest as_of), so the replay can end at the same
 * moment even when the source's last tick was later than the last trade.
 */
export function clearFlowTables(sqlite: Database.Database): { clock: number | null } {
  const clock = sqlite.prepare('SELECT max(as_of) FROM token_metrics').pluck().get() as number | null;
  sqlite.exec('DELETE FROM signals');
  sqlite.exec('DELETE FROM token_metrics');
  return { clock };
}

type QueuedTrade = Trade | ClassifiedTrade;

interface TokenSeen {
  decimals: number;
  minSlot: number | null;
  minTime: number | null;
  maxSlot: number | null;
  maxTime: number | null;
}

/** Up to `n` items from the front of a queue, and the rest (no copy when all of it fits). */
function take<T>(queue: T[], n: number): [T[], T[]] {
  return queue.length <= n ? [queue, []] : [queue.slice(0, n), queue.slice(n)];
}

const minN = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.min(a, b));
const maxN = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.max(a, b));

/**
 * Rows per transaction. Every commit writes each index page the batch touched to the WAL, and
 * three indexes take random keys, so small batches rewrite the same pages again and again:
 * measured on 300k trades, 10k-row batches ran at ~0.75 of one big transaction, 50k at ~0.95.
 * 20k keeps a flush (which blocks this thread) to a few hundred milliseconds.
 */
export const DEFAULT_BATCH_SIZE = 20_000;

export function createWriter(sqlite: Database.Database, opts: WriterOptions = {}): SqliteWriter {
  const batchSize = Math.max(1, opts.batchSize ?? DEFAULT_BATCH_SIZE);
  const flushIntervalMs = opts.flushIntervalMs ?? 100;
  const onReject = opts.onReject;

  const insertTrade = sqlite.prepare(TRADE_INSERT_SQL);
  const upsertMetrics = sqlite.prepare(METRICS_UPSERT_SQL);
  const insertSignal = sqlite.prepare(SIGNAL_INSERT_SQL);
  const upsertToken = sqlite.prepare(TOKEN_UPSERT_SQL);
  const updateFlags = sqlite.prepare(FLAG_UPDATE_SQL);
  const updateUnkeyedFlags = sqlite.prepare(FLAG_UPDATE_UNKEYED_SQL);
  const addresses = createAddressBook(sqlite);
  const signatureAtKey = sqlite.prepare('SELECT signature FROM trade_rows WHERE sig_key = ? AND ix_path = ?').pluck();
  const storedUnkeyed = sqlite.prepare('SELECT 1 FROM trade_rows WHERE sig_key IS NULL AND ix_path = ? AND signature = ?').pluck();
  const listCollisions = sqlite.prepare('SELECT sig_key FROM sig_collisions').pluck();
  const addCollision = sqlite.prepare('INSERT INTO sig_collisions (sig_key) VALUES (?) ON CONFLICT DO NOTHING');
  /** Keys two signatures have shared (sql/004), read afresh in each transaction. */
  let collided = new Set<number>();

  /**
   * Insert one trade unless its (signature, ix_path) is stored; returns 1 if it was new. The
   * common case is one statement: the key is free, or taken by this very trade. A key taken by
   * another signature is recorded in sig_collisions and the trade goes in with no key; such
   * trades are only looked for when their key is listed, so the check costs nothing otherwise.
   */
  const storeTrade = (t: QueuedTrade, at: number): number => {
    const key = sigKey(t.signature);
    if (collided.has(key) && storedUnkeyed.get(t.ixPath, t.signature) !== undefined) return 0;
    if (insertTrade.run(tradeParams(t, at, addresses.id, key)).changes > 0) return 1;
    if (signatureAtKey.get(key, t.ixPath) === t.signature) return 0;
    addCollision.run(key);
    collided.add(key);
    if (storedUnkeyed.get(t.ixPath, t.signature) !== undefined) return 0;
    return insertTrade.run(tradeParams(t, at, addresses.id, null)).changes;
  };

  // Late trades queue apart: no per-trade wrapper to allocate and to keep alive until the flush.
  let trades: QueuedTrade[] = [];
  let lates: QueuedTrade[] = [];
  let metrics = new Map<string, WindowMetrics>();
  let signals: Signal[] = [];
  let flags: FlagUpdate[] = [];
  let timer: NodeJS.Timeout | null = null;
  let closed = false;

  const c: WriterCounters = {
    written: 0, duplicate: 0, rejected: 0, lateWritten: 0, metricsWritten: 0, signalsWritten: 0,
    signalsDuplicate: 0, flagsUpdated: 0, batches: 0, writeMs: 0, queued: 0,
  };

  const queued = () => trades.length + lates.length + metrics.size + signals.length + flags.length;

  type Delta = Pick<WriterCounters, 'written' | 'duplicate' | 'rejected' | 'lateWritten' | 'metricsWritten' | 'signalsWritten' | 'signalsDuplicate' | 'flagsUpdated'>;

  /**
   * One transaction: up to batchSize rows taken from the front of each queue. Counts go to a
   * delta that is added only after COMMIT, so a failed batch that is retried is not counted twice.
   */
  const writeBatch = sqlite.transaction(
    (ts: QueuedTrade[], ls: QueuedTrade[], ms: WindowMetrics[], ss: Signal[], fs: FlagUpdate[], at: number): Delta => {
      const c: Delta = { written: 0, duplicate: 0, rejected: 0, lateWritten: 0, metricsWritten: 0, signalsWritten: 0, signalsDuplicate: 0, flagsUpdated: 0 };
      const reject = (what: 'trade' | 'signal' | 'metrics', item: unknown, reason: string) => {
        c.rejected++;
        onReject?.(what, item, reason);
      };
      collided = new Set(listCollisions.all() as number[]);
      const seen = new Map<string, TokenSeen>();
      /** true when the row is new. */
      const insert = (t: QueuedTrade): boolean => {
        const bad = invalidTrade(t);
        if (bad) {
          reject('trade', t, bad);
          return false;
        }
        let changes: number;
        try {
          changes = storeTrade(t, at);
        } catch (err) {
          // A row-level failure aborts only its statement, not the batch.
          reject('trade', t, (err as Error).message);
          return false;
        }
        if (changes === 0) {
          c.duplicate++;
          return false;
        }
        c.written++;
        const s = seen.get(t.baseMint);
        if (s === undefined) {
          seen.set(t.baseMint, { decimals: t.baseDecimals, minSlot: t.slot, minTime: t.blockTime, maxSlot: t.slot, maxTime: t.blockTime });
        } else {
          s.decimals = t.baseDecimals;
          s.minSlot = minN(s.minSlot, t.slot);
          s.maxSlot = maxN(s.maxSlot, t.slot);
          s.minTime = minN(s.minTime, t.blockTime);
          s.maxTime = maxN(s.maxTime, t.blockTime);
        }
        return true;
      };
      for (const t of ts) insert(t);
      for (const t of ls) if (insert(t)) c.lateWritten++;
      for (const [mint, s] of seen) upsertToken.run(mint, s.decimals, s.minSlot, s.minTime, s.maxSlot, s.maxTime, at);
      for (const m of ms) {
        try {
          upsertMetrics.run(
            m.mint, m.window, m.asOf, m.asOfSlot, m.buyVolume, m.sellVolume, m.buyCount, m.sellCount, m.netFlow,
            m.uniqueWallets, m.uniqueBuyers, m.uniqueSellers, m.botVolume, m.botTrades, m.botWallets, m.botShare,
            m.dcaVolume, m.dcaBuyVolume, m.dcaTrades, m.dcaWallets, m.dcaShare, at,
          );
          c.metricsWritten++;
        } catch (err) {
          reject('metrics', m, (err as Error).message);
        }
      }
      for (const s of ss) {
        try {
          const r = insertSignal.run(s.mint, s.type, s.strength, s.window, s.blockTime, s.slot, s.signature, JSON.stringify(s.inputs), at);
          if (r.changes === 0) c.signalsDuplicate++;
          else c.signalsWritten++;
        } catch (err) {
          reject('signal', s, (err as Error).message);
        }
      }
      for (const f of fs) {
        const bot = f.isBot ? 1 : 0;
        const reasons = JSON.stringify(f.botReasons);
        const key = sigKey(f.signature);
        let n = updateFlags.run(bot, reasons, key, f.ixPath, f.signature).changes;
        if (n === 0 && collided.has(key)) n = updateUnkeyedFlags.run(bot, reasons, f.ixPath, f.signature).changes;
        c.flagsUpdated += n;
      }
      return c;
    },
  );

  function flush(): void {
    if (timer) {
      clearTimeout(timer);
      timer = null;
    }
    while (queued() > 0) {
      // Take up to batchSize rows, trades first (the bulk), then the small queues.
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
      const t0 = performance.now();
      let d: Delta;
      try {
        d = writeBatch.immediate(ts, ls, ms, ss, fs, Date.now());
      } catch (err) {
        // Nothing of this batch was committed: put it back so a retry (or close) can write it.
        addresses.forget();
        trades = ts.concat(trades);
        lates = ls.concat(lates);
        flags = fs.concat(flags);
        signals = ss.concat(signals);
        for (const m of ms) if (!metrics.has(key(m))) metrics.set(key(m), m);
        throw err;
      }
      addresses.committed();
      for (const k of Object.keys(d) as (keyof Delta)[]) c[k] += d[k];
      c.writeMs += performance.now() - t0;
      c.batches++;
    }
  }

  const key = (m: WindowMetrics) => `${m.mint}\u0000${m.window}`;

  function schedule() {
    if (timer || closed || flushIntervalMs <= 0) return;
    timer = setTimeout(() => {
      timer = null;
      try {
        flush();
      } catch (err) {
        // The rows stay queued; the next write() or close() retries and surfaces the error.
        onReject?.('trade', null, `background flush failed: ${(err as Error).message}`);
      }
    }, flushIntervalMs);
    timer.unref();
  }

  return {
    async write(batch) {
      if (closed) throw new Error('writer is closed');
      if (batch.trades) for (const t of batch.trades) trades.push(t);
      if (batch.lateTrades) for (const t of batch.lateTrades) lates.push(t);
      if (batch.metrics) for (const m of batch.metrics) metrics.set(key(m), m);
      if (batch.signals) for (const s of batch.signals) signals.push(s);
      if (batch.flagUpdates) for (const f of batch.flagUpdates) flags.push(f);
      if (queued() >= batchSize) {
        flush();
        // Let timers, sockets and the TUI run between batches.
        await new Promise<void>((resolve) => setImmediate(resolve));
      } else {
        schedule();
      }
    },
    flush,
    exclusive(fn) {
      flush();
      return sqlite.transaction(() => fn(sqlite)).immediate();
    },
    counters() {
      return { ...c, queued: queued() };
    },
    async close() {
      if (closed) return;
      flush();
      closed = true;
    },
  };
}
