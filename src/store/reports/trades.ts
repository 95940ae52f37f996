/** `query trades`: stored trades matching every given filter, newest first. */
import type { StoredTrade, TradeFilter } from '../../core/store/reports.js';
import { sql, type RawBuilder } from 'kysely';
import { sigKey } from '../sig-key.js';
import { rowToTrade, TRADE_COLUMNS, type TradeRow } from '../trade-row.js';
import { num, text } from '../values.js';
import type { Db } from './sql.js';

const SELECT = TRADE_COLUMNS.map((c) => `t.${c}` as const);

export async function findTrades(db: Db, f: TradeFilter): Promise<StoredTrade[]> {
  let q = db.selectFrom('trades as t').leftJoin('tokens as tk', 'tk.mint', 't.base_mint').select(['t.id', ...SELECT, 'tk.symbol']);
  if (f.mint !== undefined) q = q.where('t.base_mint', '=', f.mint);
  if (f.wallet !== undefined) q = q.where('t.trader', '=', f.wallet);
  if (f.venue !== undefined) q = q.where('t.venue', '=', f.venue);
  if (f.side !== undefined) q = q.where('t.side', '=', f.side);
  if (f.bot !== undefined) q = q.where('t.is_bot', '=', f.bot ? 1 : 0);
  if (f.dca !== undefined) q = q.where('t.is_dca', '=', f.dca ? 1 : 0);
  if (f.signature !== undefined) q = q.where('t.id', 'in', idsOfSignature(f.signature));
  if (f.since !== undefined) q = q.where('t.block_time', '>=', f.since);
  if (f.until !== undefined) q = q.where('t.block_time', '<=', f.until);
  if (!f.includeBlocked) q = q.where('t.base_mint', 'not in', db.selectFrom('blocklist').select('mint'));
  // NULLS LAST spelled out: SQLite sorts NULL lowest and Postgres highest, so without it a
  // trade with no block time, slot or position would lead the list on Postgres only.
  const rows = await q
    .orderBy('t.block_time', (o) => o.desc().nullsLast())
    .orderBy('t.slot', (o) => o.desc().nullsLast())
    .orderBy('t.tx_index', (o) => o.desc().nullsLast())
    .orderBy('t.id', 'desc')
    .limit(f.limit)
    .execute();
  return rows.map((r) => ({ ...rowToTrade(r as unknown as TradeRow), id: num(r.id), symbol: text(r.symbol) }));
}

/**
 * The ids of a signature's trades. The trade key leads with the slot (sql/006), so a signature
 * alone is found by visiting each stored slot and seeking (slot, sig_key) in it: two index seeks
 * per slot (~4 µs each on SQLite), not a read of the whole table. A trade whose key another
 * signature took in its slot is stored with sig_key NULL, and its key is listed in
 * sig_collisions; a trade with no slot is found among the few such rows.
 */
function idsOfSignature(signature: string): RawBuilder<number> {
  const key = sigKey(signature);
  return sql<number>`(WITH RECURSIVE s(slot) AS (
      SELECT min(slot) FROM trade_rows
      UNION ALL
      SELECT (SELECT r.slot FROM trade_rows r WHERE r.slot > s.slot ORDER BY r.slot LIMIT 1) FROM s WHERE s.slot IS NOT NULL
    )
    SELECT r.id FROM s JOIN trade_rows r ON r.slot = s.slot AND r.sig_key = ${key} WHERE r.signature = ${signature}
    UNION ALL
    SELECT r.id FROM s JOIN trade_rows r ON r.slot = s.slot AND r.sig_key IS NULL
      WHERE r.signature = ${signature} AND EXISTS (SELECT 1 FROM sig_collisions c WHERE c.sig_key = ${key})
    UNION ALL
    SELECT r.id FROM trade_rows r WHERE r.slot IS NULL AND r.signature = ${signature})`;
}
