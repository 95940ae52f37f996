/**
 * Reading stored trades back on Postgres (TradeReads): pages in the flow engine's order for a
 * recompute or a warm start, keyset-paged on (slot, id) so each page is an index range scan.
 */
import type pg from 'pg';
import type { TradeReads } from '../../core/store/types.js';
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
    async firstSlotFrom(blockTime) {
      const r = await pool.query<{ s: number | null }>('SELECT min(slot) AS s FROM trade_rows WHERE block_time >= $1', [blockTime]);
      return r.rows[0].s === null ? null : Number(r.rows[0].s);
    },
  };
}
