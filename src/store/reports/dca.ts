/**
 * `query dca`: Jupiter DCA fills per token, by SOL volume, with their share of the token's volume.
 * tk.symbol is grouped by, not only selected: Postgres refuses a column outside GROUP BY (one
 * symbol per mint either way: tokens is keyed by mint).
 */
import { sql } from 'kysely';
import type { DcaQuery, DcaToken } from '../../core/store/reports.js';
import { big, bigOrNull, num, numOrNull, text } from '../values.js';
import { filterOn, notBlocked, rowsOf, timeClauses, whereAll, type Db, type ReportSql } from './sql.js';

export async function dcaByToken(db: Db, dialect: ReportSql, q: DcaQuery): Promise<DcaToken[]> {
  const clauses = [sql`d.is_dca = 1`, ...timeClauses('d.block_time', q), notBlocked('d.base_mint', q), filterOn('d.base_mint', q.mint)];
  const allTime = whereAll([sql`a.base_mint = d.base_mint`, ...timeClauses('a.block_time', q)]);
  const rows = await rowsOf(
    db,
    sql`SELECT d.base_mint AS mint, tk.symbol, count(*) AS fills,
            ${dialect.countIf("d.side = 'buy'")} AS buys, ${dialect.countIf("d.side = 'sell'")} AS sells, count(DISTINCT d.trader) AS wallets,
            coalesce(sum(d.sol_amount), 0) AS sol,
            coalesce(sum(CASE WHEN d.side = 'buy' THEN d.sol_amount END), 0) AS buy_sol,
            (SELECT sum(a.sol_amount) FROM trades a ${allTime}) AS total_sol,
            max(d.block_time) AS last
       FROM trades d LEFT JOIN tokens tk ON tk.mint = d.base_mint
       ${whereAll(clauses)}
      GROUP BY d.base_mint, tk.symbol
      ORDER BY sol DESC, fills DESC, d.base_mint
      LIMIT ${q.limit}`,
  );
  return rows.map((r) => {
    const total = bigOrNull(r.total_sol);
    const sol = big(r.sol);
    return {
      mint: r.mint as string,
      symbol: text(r.symbol),
      fills: num(r.fills),
      buyFills: num(r.buys),
      sellFills: num(r.sells),
      wallets: num(r.wallets),
      solVolume: sol,
      buySolVolume: big(r.buy_sol),
      share: total === null || total === 0n ? null : Number(sol) / Number(total),
      lastTime: numOrNull(r.last),
    };
  });
}
