/** token_metrics-shaped rows read back: the totals both flow reports share, and the window row. */
import type { SpanFlowRow, WindowFlow } from '../../core/store/reports.js';
import type { WindowName } from '../../core/flow/types.js';
import { big, num, numOrNull } from '../values.js';
import type { Row } from './sql.js';

type Totals = Omit<SpanFlowRow, 'symbol' | 'name' | 'blocked' | 'firstTrade' | 'lastTrade' | 'mint'>;

/**
 * The volume and count columns every flow row has, under their token_metrics names (in the
 * order JSON output has always had); the shares are the caller's: stored or computed.
 */
export function flowTotals(r: Row, share: (r: Row) => { bot: number; dca: number }): Totals {
  const { bot, dca } = share(r);
  return {
    buyVolume: big(r.buy_volume),
    sellVolume: big(r.sell_volume),
    netFlow: big(r.net_flow),
    buyCount: num(r.buy_count),
    sellCount: num(r.sell_count),
    uniqueWallets: num(r.unique_wallets),
    uniqueBuyers: num(r.unique_buyers),
    uniqueSellers: num(r.unique_sellers),
    botVolume: big(r.bot_volume),
    botTrades: num(r.bot_trades),
    botWallets: num(r.bot_wallets),
    botShare: bot,
    dcaVolume: big(r.dca_volume),
    dcaBuyVolume: big(r.dca_buy_volume),
    dcaTrades: num(r.dca_trades),
    dcaWallets: num(r.dca_wallets),
    dcaShare: dca,
  };
}

export function windowFlow(r: Row): WindowFlow {
  return {
    mint: r.mint as string,
    window: r.window as WindowName,
    asOf: num(r.as_of),
    asOfSlot: numOrNull(r.as_of_slot),
    ...flowTotals(r, (x) => ({ bot: num(x.bot_share), dca: num(x.dca_share) })),
  };
}
