/**
 * Reading stored trades back in the flow engine's order, page by page (bounded memory), for
 * recomputing flags/metrics/signals and for warming the engine after a restart.
 */
import type Database from 'better-sqlite3';
import type { ClassifiedTrade } from '../../core/flow/types.js';
import { rowToTrade, TRADE_COLUMNS, type TradeRow } from './rows.js';

const COLS = `id, ${TRADE_COLUMNS.join(', ')}`;

/**
 * Pages of trades ordered by slot (NULL slots first, as compareTrades orders them). Within a
 * slot the page order is arbitrary: the engine sorts whole slots itself. `fromSlot` starts the
 * read at that slot and skips slot-less trades (warm start).
 */
export function* readTradesInOrder(
  sqlite: Database.Database,
  opts: { pageSize?: number; fromSlot?: number | null } = {},
): Generator<ClassifiedTrade[]> {
  const pageSize = opts.pageSize ?? 20_000;
  const fromSlot = opts.fromSlot ?? null;
  const nulls = sqlite.prepare(`SELECT ${COLS} FROM trades WHERE slot IS NULL AND id > @id ORDER BY id LIMIT @n`).safeIntegers(true);
  const bySlot = sqlite
    .prepare(`SELECT ${COLS} FROM trades WHERE (slot > @slot OR (slot = @slot AND id > @id)) ORDER BY slot, id LIMIT @n`)
    .safeIntegers(true);

  let id = -1n;
  while (fromSlot === null) {
    const rows = nulls.all({ id, n: pageSize }) as (TradeRow & { id: bigint })[];
    if (rows.length === 0) break;
    id = rows[rows.length - 1].id;
    yield rows.map(rowToTrade);
  }
  let slot = fromSlot === null ? -1n : BigInt(fromSlot);
  id = -1n;
  for (;;) {
    const rows = bySlot.all({ slot, id, n: pageSize }) as (TradeRow & { id: bigint; slot: bigint })[];
    if (rows.length === 0) break;
    const last = rows[rows.length - 1];
    slot = last.slot;
    id = last.id;
    yield rows.map(rowToTrade);
  }
}

/**
 * Highest stored slot and block time (null on an empty database). One subquery each: SQLite
 * answers a lone max() from its index, but two aggregates in one SELECT scan the whole table.
 * Aggregates that need no address read trade_rows: through the trades view every row would be
 * joined to its addresses first.
 */
export function storedExtent(sqlite: Database.Database): { maxSlot: number | null; maxTime: number | null } {
  const r = sqlite.prepare('SELECT (SELECT max(slot) FROM trade_rows) AS s, (SELECT max(block_time) FROM trade_rows) AS t').get() as {
    s: number | null;
    t: number | null;
  };
  return { maxSlot: r.s, maxTime: r.t };
}

/**
 * The first slot at or after a block time (null if none). `+slot` keeps SQLite off the slot
 * index, which would walk every older trade to find the first recent one; through the time index
 * it reads only the trades from `blockTime` on, which the warm start reads next anyway.
 */
export function firstSlotFrom(sqlite: Database.Database, blockTime: number): number | null {
  return sqlite.prepare('SELECT min(+slot) FROM trade_rows WHERE block_time >= ?').pluck().get(blockTime) as number | null;
}
