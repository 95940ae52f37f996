/**
 * The batched writer on SQLite: the shared queue, batching, flush and close (../writer/batched.ts)
 * with each batch written here as one IMMEDIATE transaction of prepared statements:
 *
 *  - trades insert idempotently on (slot, signature, ix_path), found through the unique key
 *    (slot, sig_key, ix_path) (see storeTrade below for keys two signatures share and trades with
 *    no slot); token_metrics rows never overwrite a row
 *    with an older chain time; signals insert idempotently on (mint, type, signature).
 *
 * better-sqlite3 is synchronous, so a flush blocks the thread it runs on for its duration (a few
 * ms per thousand rows) and flush() is synchronous here. Run on the caller's thread that keeps
 * ordering and error handling trivial; writer-thread.ts runs this same writer on a thread of its
 * own for CPU-bound sources.
 */
import type Database from 'better-sqlite3';
import type { WriteBatch, WriterCounters, WriterOptions } from '../../core/store/types.js';
import { createAddressBook, invalidTrade, TRADE_INSERT_SQL, tradeParams } from './rows.js';
import { sigKey } from '../sig-key.js';
import { createBatchedWriter, type BatchContext } from '../writer/batched.js';
import type { BatchRows, QueuedTrade } from '../writer/queue.js';
import { noteTokenSeen, type TokenSeen } from '../writer/tokens-seen.js';
import { METRICS_COLUMN_COUNT, METRICS_INSERT, METRICS_ON_CONFLICT } from '../writer/metrics-sql.js';

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

const METRICS_UPSERT_SQL = `${METRICS_INSERT} VALUES (${Array(METRICS_COLUMN_COUNT).fill('?').join(', ')}) ${METRICS_ON_CONFLICT}`;

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

// `slot IS ?` rather than `=`: a trade with no slot is found too, through the same index.
const FLAG_UPDATE_SQL = 'UPDATE trade_rows SET is_bot = ?, bot_reasons = ? WHERE slot IS ? AND sig_key = ? AND ix_path = ? AND signature = ?';
const FLAG_UPDATE_UNKEYED_SQL = 'UPDATE trade_rows SET is_bot = ?, bot_reasons = ? WHERE slot IS ? AND sig_key IS NULL AND ix_path = ? AND signature = ?';

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

/**
 * Rows per transaction. Every commit writes each index page the batch touched to the WAL, and
 * the per-trader and per-mint indexes take scattered keys, so small batches rewrite the same
 * pages again and again (measured on 300k trades when the trade key was random too: 10k-row
 * batches ran at ~0.75 of one big transaction, 50k at ~0.95). 20k keeps a flush (which blocks
 * this thread) to a few hundred milliseconds.
 */
export const DEFAULT_BATCH_SIZE = 20_000;

export function createWriter(sqlite: Database.Database, opts: WriterOptions = {}): SqliteWriter {
  const insertTrade = sqlite.prepare(TRADE_INSERT_SQL);
  const upsertMetrics = sqlite.prepare(METRICS_UPSERT_SQL);
  const insertSignal = sqlite.prepare(SIGNAL_INSERT_SQL);
  const upsertToken = sqlite.prepare(TOKEN_UPSERT_SQL);
  const updateFlags = sqlite.prepare(FLAG_UPDATE_SQL);
  const updateUnkeyedFlags = sqlite.prepare(FLAG_UPDATE_UNKEYED_SQL);
  const addresses = createAddressBook(sqlite);
  const signatureAtKey = sqlite.prepare('SELECT signature FROM trade_rows WHERE slot = ? AND sig_key = ? AND ix_path = ?').pluck();
  const storedUnkeyed = sqlite.prepare('SELECT 1 FROM trade_rows WHERE slot IS ? AND sig_key IS NULL AND ix_path = ? AND signature = ?').pluck();
  const storedWithoutSlot = sqlite.prepare('SELECT 1 FROM trade_rows WHERE slot IS NULL AND sig_key = ? AND ix_path = ? AND signature = ?').pluck();
  const listCollisions = sqlite.prepare('SELECT sig_key FROM sig_collisions').pluck();
  const addCollision = sqlite.prepare('INSERT INTO sig_collisions (sig_key) VALUES (?) ON CONFLICT DO NOTHING');
  /** Keys two signatures have shared (sql/004), read afresh in each transaction. */
  let collided = new Set<number>();

  /**
   * Insert one trade unless its (slot, signature, ix_path) is stored; returns 1 if it was new.
   * The common case is one statement: the key is free, or taken by this very trade. A key taken
   * by another signature in the same slot is recorded in sig_collisions and the trade goes in
   * with no key; such trades are only looked for when their key is listed, so the check costs
   * nothing otherwise. A trade with no slot never conflicts (NULLs are distinct in a unique
   * index), so it is looked up first; it always keeps its key.
   */
  const storeTrade = (t: QueuedTrade, at: number): number => {
    const key = sigKey(t.signature);
    if (t.slot === null) {
      if (storedWithoutSlot.get(key, t.ixPath, t.signature) !== undefined) return 0;
      // Before schema 6 a slot-less trade whose key was taken went in unkeyed.
      if (collided.has(key) && storedUnkeyed.get(null, t.ixPath, t.signature) !== undefined) return 0;
      return insertTrade.run(tradeParams(t, at, addresses.id, key)).changes;
    }
    if (collided.has(key) && storedUnkeyed.get(t.slot, t.ixPath, t.signature) !== undefined) return 0;
    if (insertTrade.run(tradeParams(t, at, addresses.id, key)).changes > 0) return 1;
    if (signatureAtKey.get(t.slot, key, t.ixPath) === t.signature) return 0;
    addCollision.run(key);
    collided.add(key);
    if (storedUnkeyed.get(t.slot, t.ixPath, t.signature) !== undefined) return 0;
    return insertTrade.run(tradeParams(t, at, addresses.id, null)).changes;
  };

  /** One IMMEDIATE transaction: the batch's rows, counted into ctx.d. */
  const writeBatch = sqlite.transaction((rows: BatchRows, { at, d, reject }: BatchContext): void => {
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
        d.duplicate++;
        return false;
      }
      d.written++;
      noteTokenSeen(seen, t);
      return true;
    };
    for (const t of rows.trades) insert(t);
    for (const t of rows.lates) if (insert(t)) d.lateWritten++;
    for (const [mint, s] of seen) upsertToken.run(mint, s.decimals, s.minSlot, s.minTime, s.maxSlot, s.maxTime, at);
    for (const m of rows.metrics) {
      try {
        upsertMetrics.run(
          m.mint, m.window, m.asOf, m.asOfSlot, m.buyVolume, m.sellVolume, m.buyCount, m.sellCount, m.netFlow,
          m.uniqueWallets, m.uniqueBuyers, m.uniqueSellers, m.botVolume, m.botTrades, m.botWallets, m.botShare,
          m.dcaVolume, m.dcaBuyVolume, m.dcaTrades, m.dcaWallets, m.dcaShare, at,
        );
        d.metricsWritten++;
      } catch (err) {
        reject('metrics', m, (err as Error).message);
      }
    }
    for (const s of rows.signals) {
      try {
        const r = insertSignal.run(s.mint, s.type, s.strength, s.window, s.blockTime, s.slot, s.signature, JSON.stringify(s.inputs), at);
        if (r.changes === 0) d.signalsDuplicate++;
        else d.signalsWritten++;
      } catch (err) {
        reject('signal', s, (err as Error).message);
      }
    }
    for (const f of rows.flags) {
      const bot = f.isBot ? 1 : 0;
      const reasons = JSON.stringify(f.botReasons);
      const key = sigKey(f.signature);
      let n = updateFlags.run(bot, reasons, f.slot, key, f.ixPath, f.signature).changes;
      if (n === 0 && collided.has(key)) n = updateUnkeyedFlags.run(bot, reasons, f.slot, f.ixPath, f.signature).changes;
      d.flagsUpdated += n;
    }
  });

  const w = createBatchedWriter({ ...opts, defaultBatchSize: DEFAULT_BATCH_SIZE }, (rows, ctx): void => {
    try {
      writeBatch.immediate(rows, ctx);
    } catch (err) {
      // Ids handed out inside the rolled-back transaction are not in the table.
      addresses.forget();
      throw err;
    }
    addresses.committed();
  });

  return {
    write: w.write,
    flush: w.flush,
    exclusive(fn) {
      w.flush();
      return sqlite.transaction(() => fn(sqlite)).immediate();
    },
    counters: w.counters,
    close: w.close,
  };
}
