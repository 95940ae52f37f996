/**
 * Tailing reads for `solflow watch`: trades past a rowid, and the newest few. Both walk
 * trade_rows' integer primary key (the rowid, which SQLite assigns in insert order), so a poll
 * costs the rows it returns plus one index probe for the highest key, whatever the table holds.
 */
import type Database from 'better-sqlite3';
import type { KeyedTrade, TradePage } from '../../core/store/types.js';
import { rowToTrade, TRADE_COLUMNS, type TradeRow } from './rows.js';

const COLS = `id, ${TRADE_COLUMNS.join(', ')}`;

type KeyedRow = TradeRow & { id: number; inserted_at: number };

interface TailStatements {
  after: Database.Statement;
  latest: Database.Statement;
  maxKey: Database.Statement;
}

const cache = new WeakMap<Database.Database, TailStatements>();

function statements(sqlite: Database.Database): TailStatements {
  let s = cache.get(sqlite);
  if (!s) {
    s = {
      // Through the trades view (for the addresses); `id > ?` on its rowid is a range seek.
      after: sqlite.prepare(`SELECT ${COLS} FROM trades WHERE id > ? ORDER BY id LIMIT ?`).safeIntegers(true),
      latest: sqlite.prepare(`SELECT ${COLS} FROM trades ORDER BY id DESC LIMIT ?`).safeIntegers(true),
      maxKey: sqlite.prepare('SELECT max(id) FROM trade_rows').pluck(),
    };
    cache.set(sqlite, s);
  }
  return s;
}

function keyed(r: KeyedRow): KeyedTrade {
  return { key: Number(r.id), insertedAt: Number(r.inserted_at), trade: rowToTrade(r) };
}

function checkLimit(limit: number, min: number): void {
  if (!Number.isInteger(limit) || limit < min) throw new RangeError(`limit must be an integer >= ${min}, got ${limit}`);
}

export function tradesAfter(sqlite: Database.Database, key: number, limit: number): TradePage {
  checkLimit(limit, 1);
  const s = statements(sqlite);
  // Both reads in one read transaction: maxKey then describes the same snapshot as the rows.
  return sqlite.transaction(() => {
    const rows = s.after.all(BigInt(Math.max(0, Math.floor(key))), limit) as KeyedRow[];
    return { trades: rows.map(keyed), maxKey: s.maxKey.get() as number | null };
  })();
}

export function latestTrades(sqlite: Database.Database, limit: number): TradePage {
  checkLimit(limit, 0);
  const s = statements(sqlite);
  return sqlite.transaction(() => {
    const rows = limit === 0 ? [] : (s.latest.all(limit) as KeyedRow[]);
    return { trades: rows.reverse().map(keyed), maxKey: s.maxKey.get() as number | null };
  })();
}
