/**
 * `query bots`: wallets with flagged trades, most flagged first, with the kinds of reason that
 * flagged them. Walking the JSON array of reasons is spelled per dialect (ReportSql).
 */
import { sql } from 'kysely';
import type { BotQuery, BotWallet } from '../../core/store/reports.js';
import { big, num, numOrNull } from '../values.js';
import { filterOn, notBlocked, rowsOf, timeClauses, whereAll, type Db, type ReportSql } from './sql.js';

export async function botWallets(db: Db, dialect: ReportSql, q: BotQuery): Promise<BotWallet[]> {
  const clauses = [...timeClauses('t.block_time', q), notBlocked('t.base_mint', q), filterOn('t.base_mint', q.mint)];
  const rows = await rowsOf(
    db,
    sql`SELECT t.trader, count(*) AS trades, sum(t.is_bot) AS bot_trades,
            coalesce(sum(CASE WHEN t.is_bot = 1 THEN t.sol_amount END), 0) AS bot_sol,
            count(DISTINCT CASE WHEN t.is_bot = 1 THEN t.base_mint END) AS tokens,
            max(CASE WHEN t.is_bot = 1 THEN t.block_time END) AS last
       FROM trades t ${whereAll(clauses)}
      GROUP BY t.trader
     HAVING sum(t.is_bot) > 0
      ORDER BY bot_trades DESC, bot_sol DESC, t.trader
      LIMIT ${q.limit}`,
  );
  if (rows.length === 0) return [];
  // Reasons for the wallets on this page only, under the same filters: one row per (wallet, kind).
  const wallets = rows.map((r) => r.trader as string);
  const reasons = await rowsOf(
    db,
    sql`SELECT t.trader, ${dialect.textBefore('j.value', ':')} AS kind, count(DISTINCT t.id) AS n
       FROM trades t, ${dialect.jsonTextItems('t.bot_reasons', 'j')}
       ${whereAll([sql`t.is_bot = 1`, dialect.inTexts('t.trader', wallets), ...clauses])}
      GROUP BY t.trader, kind
      ORDER BY n DESC, kind`,
  );
  const byWallet = new Map<string, { kind: string; trades: number }[]>();
  for (const r of reasons) {
    const list = byWallet.get(r.trader as string) ?? [];
    list.push({ kind: r.kind as string, trades: num(r.n) });
    byWallet.set(r.trader as string, list);
  }
  return rows.map((r) => ({
    wallet: r.trader as string,
    trades: num(r.trades),
    botTrades: num(r.bot_trades),
    botSolVolume: big(r.bot_sol),
    tokens: num(r.tokens),
    lastTime: numOrNull(r.last),
    reasons: byWallet.get(r.trader as string) ?? [],
  }));
}
