/** `query token`: one mint's facts, its windows, and who bought or sold the most of it. */
import { sql } from 'kysely';
import type { Blockable, TokenInfo, TopTradersQuery, TraderTotal, WindowFlow } from '../../core/store/reports.js';
import { WINDOWS } from '../../core/flow/types.js';
import { big, num, numOrNull, text } from '../values.js';
import { windowFlow } from './flow-row.js';
import type { Db } from './sql.js';

export async function tokenInfo(db: Db, mint: string): Promise<TokenInfo> {
  const t = await db
    .selectFrom('tokens')
    .select(['symbol', 'name', 'decimals', 'first_seen_time', 'last_seen_time'])
    .where('mint', '=', mint)
    .executeTakeFirst();
  const b = await db.selectFrom('blocklist').select(['reason', 'added_at']).where('mint', '=', mint).executeTakeFirst();
  const c = await db
    .selectFrom('trades')
    .select((eb) => [
      eb.fn.countAll().as('n'),
      eb.fn.max('block_time').as('t'),
      eb.selectFrom('token_metrics').select((e) => e.fn.countAll().as('m')).where('mint', '=', mint).as('m'),
      eb.selectFrom('signals').select((e) => e.fn.countAll().as('s')).where('mint', '=', mint).as('s'),
    ])
    .where('base_mint', '=', mint)
    .executeTakeFirstOrThrow();
  return {
    mint,
    symbol: text(t?.symbol),
    name: text(t?.name),
    decimals: t ? num(t.decimals) : null,
    firstSeenTime: t ? numOrNull(t.first_seen_time) : null,
    lastSeenTime: t ? numOrNull(t.last_seen_time) : null,
    blocked: b ? { reason: text(b.reason), addedAt: num(b.added_at) } : null,
    trades: num(c.n),
    metricRows: num(c.m),
    signals: num(c.s),
    newestTradeTime: numOrNull(c.t),
  };
}

const WINDOW_ORDER = new Map(WINDOWS.map((w, i) => [w.name as string, i]));

/** Every window's latest numbers for one mint, shortest window first. */
export async function tokenWindows(db: Db, mint: string, opts: Blockable = {}): Promise<WindowFlow[]> {
  let q = db.selectFrom('token_metrics as m').selectAll('m').where('m.mint', '=', mint);
  if (!opts.includeBlocked) q = q.where('m.mint', 'not in', db.selectFrom('blocklist').select('mint'));
  const rows = await q.execute();
  return rows.map(windowFlow).sort((a, b) => (WINDOW_ORDER.get(a.window) ?? 99) - (WINDOW_ORDER.get(b.window) ?? 99));
}

/** The wallets that bought (or sold) the most SOL worth of one mint over a span. */
export async function topTraders(db: Db, q: TopTradersQuery): Promise<TraderTotal[]> {
  let query = db
    .selectFrom('trades')
    .select((eb) => [
      'trader',
      eb.fn.countAll().as('trades'),
      eb.fn.coalesce(eb.fn.sum('sol_amount'), sql.lit(0)).as('sol'),
      eb.fn.sum('is_bot').as('bots'),
      eb.fn.sum('is_dca').as('dcas'),
      eb.fn.min('block_time').as('first'),
      eb.fn.max('block_time').as('last'),
    ])
    .where('base_mint', '=', q.mint)
    .where('side', '=', q.side);
  if (q.since !== undefined) query = query.where('block_time', '>=', q.since);
  if (q.until !== undefined) query = query.where('block_time', '<=', q.until);
  if (!q.includeBlocked) query = query.where('base_mint', 'not in', db.selectFrom('blocklist').select('mint'));
  const rows = await query.groupBy('trader').orderBy('sol', 'desc').orderBy('trades', 'desc').orderBy('trader').limit(q.limit).execute();
  return rows.map((r) => ({
    trader: r.trader,
    trades: num(r.trades),
    solVolume: big(r.sol),
    botTrades: num(r.bots),
    dcaTrades: num(r.dcas),
    firstTime: numOrNull(r.first),
    lastTime: numOrNull(r.last),
  }));
}
