/**
 * Wallet analysis over a wallet's stored trades: summary, positions and PnL (average cost or
 * FIFO, exact integers), totals per quote asset, behaviour, a daily series. Pure: the caller
 * reads the trades and answers last-price lookups (see store/wallet.ts); nothing here does I/O.
 */
import { defaultLabels } from '../labels.js';
import { compareTrades } from '../trade.js';
import { describeBehaviour } from './behaviour.js';
import { buildPositions, FAST_CLOSE_SECONDS, markToPrice } from './positions.js';
import { dailySeries, summarize } from './summary.js';
import { toSwaps } from './swaps.js';
import { totalsByQuote } from './totals.js';
import type { CostBasis, LastPrice, WalletAnalysis, WalletTrade } from './types.js';

export type * from './types.js';
export { toSwaps } from './swaps.js';
export { buildPositions } from './positions.js';

export interface AnalyzeOptions {
  /** 'avg' (default) or 'fifo'. */
  costBasis?: CostBasis;
  /**
   * Only this token. Pass every leg of the transactions that touched it (routes need their
   * other hops to be read as one swap); the rest is filtered here.
   */
  token?: string | null;
  /** Quote assets and their order (SOL before USDC …); default: the shipped labels. */
  quoteRank?: ReadonlyMap<string, number>;
  /** The price to mark held tokens at: the last trade of `mint` quoted in `quoteMint`. */
  lastPrice?: (mint: string, quoteMint: string) => LastPrice | null;
  /** A position closed within this many seconds of opening counts as a fast close (60). */
  fastCloseSeconds?: number;
}

export function analyzeWallet(wallet: string, trades: readonly WalletTrade[], opts: AnalyzeOptions = {}): WalletAnalysis {
  const costBasis = opts.costBasis ?? 'avg';
  const token = opts.token ?? null;
  const fast = opts.fastCloseSeconds ?? FAST_CLOSE_SECONDS;
  const legs = trades.filter((t) => t.trader === wallet).sort(compareTrades);
  const { swaps: allSwaps, unpriced: allUnpriced } = toSwaps(legs, opts.quoteRank ?? defaultLabels.quoteRank);
  const own = token ? legs.filter((t) => t.baseMint === token) : legs;
  const swaps = token ? allSwaps.filter((s) => s.mint === token) : allSwaps;
  const ownSigs = token ? new Set(own.map((t) => t.signature)) : null;
  const unpriced = ownSigs ? allUnpriced.filter((u) => ownSigs.has(u.signature)) : allUnpriced;

  const { positions, realizedEvents, rounds } = buildPositions(swaps, costBasis, fast);
  for (const p of positions) markToPrice(p, p.held > 0n && opts.lastPrice ? opts.lastPrice(p.mint, p.quoteMint) : null);
  positions.sort((a, b) => (b.cost > a.cost ? 1 : b.cost < a.cost ? -1 : 0) || (b.proceeds > a.proceeds ? 1 : b.proceeds < a.proceeds ? -1 : 0) || (a.mint < b.mint ? -1 : 1));

  return {
    wallet,
    costBasis,
    token,
    summary: summarize(own, swaps, unpriced),
    positions,
    totals: totalsByQuote(positions),
    behaviour: describeBehaviour(own, swaps, rounds, fast),
    daily: dailySeries(swaps, realizedEvents),
  };
}
