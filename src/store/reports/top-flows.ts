/** `query top-flows`: tokens ranked over one rolling window, from token_metrics; quote assets left out unless asked for. */
import { sql } from 'kysely';
import type { FlowOrder, TopFlowRow, TopFlowsQuery } from '../../core/store/reports.js';
import type { WindowName } from '../../core/flow/types.js';
import { bigOrNull, num, text } from '../values.js';
import { windowFlow } from './flow-row.js';
import { notBlocked, notQuote, rowsOf, whereAll, type Db } from './sql.js';

const ORDER_SQL: Record<FlowOrder, string> = {
  net: 'm.net_flow DESC',
  outflow: 'm.net_flow ASC',
  volume: '(m.buy_volume + m.sell_volume) DESC',
  trades: '(m.buy_count + m.sell_count) DESC',
  wallets: 'm.unique_wallets DESC',
};

export async function topFlows(db: Db, q: TopFlowsQuery): Promise<TopFlowRow[]> {
  const where = whereAll([sql`m.window = ${q.window}`, sql`(m.buy_count + m.sell_count) > 0`, notBlocked('m.mint', q), notQuote('m.mint', q)]);
  const net = (w: WindowName) => sql`(SELECT x.net_flow FROM token_metrics x WHERE x.mint = m.mint AND x.window = ${w})`;
  const rows = await rowsOf(
    db,
    sql`SELECT m.*, tk.symbol, tk.name,
            ${net('15m')} AS net_15m, ${net('1h')} AS net_1h, ${net('4h')} AS net_4h,
            s.type AS signal_type, s.strength AS signal_strength, s.block_time AS signal_time,
            m.mint IN (SELECT mint FROM blocklist) AS blocked
       FROM token_metrics m
       LEFT JOIN tokens tk ON tk.mint = m.mint
       LEFT JOIN signals s ON s.id = (SELECT id FROM signals WHERE mint = m.mint ORDER BY block_time DESC, id DESC LIMIT 1)
       ${where}
      ORDER BY ${sql.raw(ORDER_SQL[q.order ?? 'net'])}, m.mint
      LIMIT ${q.limit}`,
  );
  return rows.map((r) => ({
    ...windowFlow(r),
    symbol: text(r.symbol),
    name: text(r.name),
    net15m: bigOrNull(r.net_15m),
    net1h: bigOrNull(r.net_1h),
    net4h: bigOrNull(r.net_4h),
    lastSignal: r.signal_type === null ? null : { type: r.signal_type as string, strength: num(r.signal_strength), blockTime: num(r.signal_time) },
    blocked: num(r.blocked) === 1,
  }));
}
