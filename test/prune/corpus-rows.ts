/** The rows the prune suites fill both backends with: every decoded corpus trade, unflagged. */
import type { ClassifiedTrade, WindowMetrics } from '../../src/core/flow/types.js';
import { decodedCorpusTrades } from '../decode/support.js';

export const DAY = 86_400;
export const trades: ClassifiedTrade[] = decodedCorpusTrades().map((t) => ({ ...t, isBot: false, botReasons: [] }));
export const dated = trades.filter((t) => t.blockTime !== null);

/** A token_metrics row as of the trade's time (one buy, no bots): enough for prune to age. */
export function metricsFor(t: ClassifiedTrade, window: '5m' | '1h'): WindowMetrics {
  return {
    mint: t.baseMint, window, asOf: t.blockTime!, asOfSlot: t.slot, buyVolume: 1, sellVolume: 0, buyCount: 1, sellCount: 0, netFlow: 1,
    uniqueWallets: 1, uniqueBuyers: 1, uniqueSellers: 0, botVolume: 0, botTrades: 0, botWallets: 0, botShare: 0,
    dcaVolume: 0, dcaBuyVolume: 0, dcaTrades: 0, dcaWallets: 0, dcaShare: 0,
  };
}
