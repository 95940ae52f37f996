/**
 * For feeds, not the screen: the flow engine's (or token_metrics') numbers shaped and ranked
 * into the panel's rows. Ranking only; every number, sparklines' slices included
 * (core/flow/slices.ts), comes from the engine or the store.
 */
import type { Signal, WindowMetrics } from '../core/flow/types.js';
import { isQuoteMint } from '../core/quote-mints.js';
import type { FlowRow, FlowSnapshot, WatchWindow } from './feed.js';

export interface RankOptions {
  limit?: number;
  lastSignal?: (mint: string) => Pick<Signal, 'type' | 'blockTime'> | null;
  spark?: (mint: string) => number[] | null;
  symbolOf?: (mint: string) => string | null;
}

/** Tokens that traded inside `window`, highest net SOL flow first (ties by mint, as query top-flows); quote assets left out. */
export function rankFlows(metrics: readonly WindowMetrics[], window: WatchWindow, o: RankOptions = {}): FlowSnapshot {
  let asOf = 0;
  const rows: FlowRow[] = [];
  for (const m of metrics) {
    if (m.window !== window) continue;
    if (m.asOf > asOf) asOf = m.asOf;
    if (m.buyCount + m.sellCount === 0) continue;
    // SOL and the stablecoins are what tokens are priced in, not tokens: left out as `query top-flows` leaves them.
    if (isQuoteMint(m.mint)) continue;
    rows.push({
      mint: m.mint,
      symbol: o.symbolOf?.(m.mint) ?? null,
      netFlow: m.netFlow,
      buyVolume: m.buyVolume,
      sellVolume: m.sellVolume,
      buyCount: m.buyCount,
      sellCount: m.sellCount,
      uniqueWallets: m.uniqueWallets,
      botShare: m.botShare,
      dcaShare: m.dcaShare,
      lastSignal: o.lastSignal?.(m.mint) ?? null,
      spark: o.spark?.(m.mint) ?? null,
    });
  }
  rows.sort((a, b) => b.netFlow - a.netFlow || (a.mint < b.mint ? -1 : a.mint > b.mint ? 1 : 0));
  return { window, asOf, rows: rows.slice(0, o.limit ?? 20) };
}
