/** How far the store has got on the chain clock (demo, `query` staleness notes). */
import type { StoreClock } from '../../core/store/reports.js';
import { numOrNull } from '../values.js';
import type { Db } from './sql.js';

export async function storeClock(db: Db): Promise<StoreClock> {
  // One subquery each: a lone max()/min() is answered from its index, two aggregates in one
  // SELECT scan the whole table. trade_rows, not the trades view: no address is needed.
  const r = await db
    .selectNoFrom((eb) => [
      eb.selectFrom('trade_rows').select((e) => e.fn.min('block_time').as('v')).as('t0'),
      eb.selectFrom('trade_rows').select((e) => e.fn.max('block_time').as('v')).as('t1'),
      eb.selectFrom('trade_rows').select((e) => e.fn.max('slot').as('v')).as('s1'),
      eb.selectFrom('token_metrics').select((e) => e.fn.max('as_of').as('v')).as('m'),
    ])
    .executeTakeFirstOrThrow();
  return { oldestTradeTime: numOrNull(r.t0), newestTradeTime: numOrNull(r.t1), newestTradeSlot: numOrNull(r.s1), metricsAsOf: numOrNull(r.m) };
}
