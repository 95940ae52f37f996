/**
 * Reading stored trades back on Postgres (TradeReads): pages in the flow engine's order for a
 * recompute or a warm start, keyset-paged on (slot, id) so each page is an index range scan.
 */
import type pg from 'pg';
import type { KeyedTrade, TradePage, TradeReads } from '../../core/store/types.js';
import { rowToTrade, TRADE_COLUMNS, type TradeRow } from '../trade-row.js';

const COLS = `id, ${TRADE_COLUMNS.join(', ')}`;

export function pgTradeReads(pool: pg.Pool): TradeReads {
  return {
    async *readInOrder(opts = {}) {
      const pageSize = opts.pageSize ?? 20_000;
      const fromSlot = opts.fromSlot ?? null;
      let id: number | bigint = -1;
      while (fromSlot === null) {
        const r: pg.QueryResult<TradeRow & { id: number }> = await pool.query(`SELECT ${COLS} FROM trades WHERE slot IS NULL AND id > $1 ORDER BY id LIMIT $2`, [id, pageSize]);
        if (r.rows.length === 0) break;
        id = r.rows[r.rows.length - 1].id;
        yield r.rows.map(rowToTrade);
      }
      let slot: number | bigint = fromSlot === null ? -1 : fromSlot;
      id = -1;
      for (;;) {
        const r: pg.QueryResult<TradeRow & { id: number; slot: number }> = await pool.query(
          `SELECT ${COLS} FROM trades WHERE (slot, id) > ($1, $2) ORDER BY slot, id LIMIT $3`,
          [slot, id, pageSize],
        );
        if (r.rows.length === 0) break;
        const last: TradeRow & { id: number; slot: number } = r.rows[r.rows.length - 1];
        slot = last.slot;
        id = last.id;
        yield r.rows.map(rowToTrade);
      }
    },
    async extent() {
      const r = await pool.query<{ s: number | null; t: number | null }>('SELECT max(slot) AS s, max(block_time) AS t FROM trade_rows');
      return { maxSlot: r.rows[0].s === null ? null : Number(r.rows[0].s), maxTime: r.rows[0].t === null ? null : Number(r.rows[0].t) };
    },
    after(key, limit) {
      checkLimit(limit, 1);
      return tailPage(pool, `SELECT ${COLS} FROM trades WHERE id > $1 ORDER BY id LIMIT $2`, [Math.max(0, Math.floor(key)), limit], false);
    },
    latest(limit) {
      checkLimit(limit, 0);
      return tailPage(pool, `SELECT ${COLS} FROM trades ORDER BY id DESC LIMIT $1`, [limit], true);
    },
    async firstSlotFrom(blockTime) {
      const r = await pool.query<{ s: number | null }>('SELECT min(slot) AS s FROM trade_rows WHERE block_time >= $1', [blockTime]);
      return r.rows[0].s === null ? null : Number(r.rows[0].s);
    },
  };
}

type KeyedRow = TradeRow & { id: number; inserted_at: number; max_key: number | null };

function checkLimit(limit: number, min: number): void {
  if (!Number.isInteger(limit) || limit < min) throw new RangeError(`limit must be an integer >= ${min}, got ${limit}`);
}

/**
 * Tailing reads for `solflow watch`: one statement (so one snapshot) answers both the rows past
 * a key, walked on the id's primary key, and the highest key at that moment.
 */
async function tailPage(pool: pg.Pool, rowsSql: string, params: unknown[], newestFirst: boolean): Promise<TradePage> {
  const r = await pool.query<KeyedRow>(
    `WITH m AS (SELECT max(id) AS max_key FROM trade_rows) SELECT m.max_key, t.* FROM m LEFT JOIN LATERAL (${rowsSql}) t ON true`,
    params,
  );
  const maxKey = r.rows.length === 0 || r.rows[0].max_key === null ? null : Number(r.rows[0].max_key);
  const rows = r.rows.filter((row) => row.id !== null && row.id !== undefined);
  if (newestFirst) rows.reverse();
  const trades: KeyedTrade[] = rows.map((row) => ({ key: Number(row.id), insertedAt: Number(row.inserted_at), trade: rowToTrade(row) }));
  return { trades, maxKey };
}
