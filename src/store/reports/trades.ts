/** `query trades`: stored trades matching every given filter, newest first. */
import type { StoredTrade, TradeFilter } from '../../core/store/reports.js';
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
  if (f.signature !== undefined) {
    // Through the key index (sql/004): a trade whose key another signature took is unkeyed.
    const key = sigKey(f.signature);
    q = q.where(
      't.id',
      'in',
      db
        .selectFrom('trade_rows')
        .select('id')
        .where((eb) => eb.or([eb('sig_key', '=', key), eb('sig_key', 'is', null)]))
        .where('signature', '=', f.signature),
    );
  }
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
