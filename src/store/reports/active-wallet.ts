/**
 * The wallet with the most stored transactions (ties: more trades, then address), for pointing
 * a newcomer at a wallet worth analysing (demo): many transactions say more about how it trades
 * than one multi-hop arbitrage with many legs. Null on an empty store.
 */
import type { Db } from './sql.js';

export async function mostActiveWallet(db: Db): Promise<string | null> {
  const r = await db
    .selectFrom((eb) =>
      eb
        .selectFrom('trade_rows')
        .select((e) => ['trader_id', e.fn.count('signature').distinct().as('txs'), e.fn.countAll().as('n')])
        .groupBy('trader_id')
        .as('w'),
    )
    .innerJoin('addresses as a', 'a.id', 'w.trader_id')
    .select('a.address')
    .orderBy('w.txs', 'desc')
    .orderBy('w.n', 'desc')
    .orderBy('a.address')
    .limit(1)
    .executeTakeFirst();
  return r ? r.address : null;
}
