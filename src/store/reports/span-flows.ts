/**
 * `query top-flows --since/--until`: tokens ranked over any chain-time span, aggregated from the
 * trades themselves, for what the rolling windows (at most 4h, as of the newest trade) cannot
 * answer. Volumes count only SOL-quoted trades, as the windows do; shares are of gross SOL volume.
 * Quote assets (SOL, stablecoins) are left out unless `includeQuotes`.
 *
 * Postgres sorts NULL highest and SQLite lowest: every ORDER BY key here is a sum or count that
 * is never NULL, so both give the same order.
 */
import { sql } from 'kysely';
import type { FlowOrder, SpanFlowRow, SpanFlowsQuery } from '../../core/store/reports.js';
import { big, num, numOrNull, text } from '../values.js';
import { flowTotals } from './flow-row.js';
import { notBlocked, notQuote, rowsOf, timeClauses, whereAll, type Db, type ReportSql, type Row } from './sql.js';

const ORDER_SQL: Record<FlowOrder, string> = {
  net: 'net_flow DESC',
  outflow: 'net_flow ASC',
  volume: '(buy_volume + sell_volume) DESC',
  trades: '(buy_count + sell_count) DESC',
  wallets: 'unique_wallets DESC',
};

/** Bot and DCA shares of gross SOL volume (0 without volume). */
function shareOfGross(r: Row): { bot: number; dca: number } {
  const gross = Number(big(r.buy_volume) + big(r.sell_volume));
  return gross > 0 ? { bot: Number(big(r.bot_volume)) / gross, dca: Number(big(r.dca_volume)) / gross } : { bot: 0, dca: 0 };
}

export async function flowsOverSpan(db: Db, dialect: ReportSql, q: SpanFlowsQuery): Promise<SpanFlowRow[]> {
  const where = whereAll([...timeClauses('t.block_time', q), notBlocked('t.base_mint', q), notQuote('t.base_mint', q)]);
  const vol = (cond: string) => sql.raw(`coalesce(sum(CASE WHEN ${cond} THEN t.sol_amount END), 0)`);
  const rows = await rowsOf(
    db,
    sql`SELECT f.*, tk.symbol, tk.name, f.mint IN (SELECT mint FROM blocklist) AS blocked
       FROM (SELECT t.base_mint AS mint,
                    ${vol("t.side = 'buy'")} AS buy_volume,
                    ${vol("t.side = 'sell'")} AS sell_volume,
                    ${vol("t.side = 'buy'")} - ${vol("t.side = 'sell'")} AS net_flow,
                    ${dialect.countIf("t.side = 'buy'")} AS buy_count,
                    ${dialect.countIf("t.side = 'sell'")} AS sell_count,
                    count(DISTINCT t.trader) AS unique_wallets,
                    count(DISTINCT CASE WHEN t.side = 'buy' THEN t.trader END) AS unique_buyers,
                    count(DISTINCT CASE WHEN t.side = 'sell' THEN t.trader END) AS unique_sellers,
                    ${vol('t.is_bot = 1')} AS bot_volume,
                    sum(t.is_bot) AS bot_trades,
                    count(DISTINCT CASE WHEN t.is_bot = 1 THEN t.trader END) AS bot_wallets,
                    ${vol('t.is_dca = 1')} AS dca_volume,
                    ${vol("t.is_dca = 1 AND t.side = 'buy'")} AS dca_buy_volume,
                    sum(t.is_dca) AS dca_trades,
                    count(DISTINCT CASE WHEN t.is_dca = 1 THEN t.trader END) AS dca_wallets,
                    min(t.block_time) AS first_trade,
                    max(t.block_time) AS last_trade
               FROM trades t ${where}
              GROUP BY t.base_mint) f
       LEFT JOIN tokens tk ON tk.mint = f.mint
      ORDER BY ${sql.raw(ORDER_SQL[q.order ?? 'net'])}, f.mint
      LIMIT ${q.limit}`,
  );
  return rows.map((r) => {
    return {
      mint: r.mint as string,
      ...flowTotals(r, shareOfGross),
      symbol: text(r.symbol),
      name: text(r.name),
      blocked: num(r.blocked) === 1,
      firstTrade: numOrNull(r.first_trade),
      lastTrade: numOrNull(r.last_trade),
    };
  });
}
