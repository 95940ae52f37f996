/**
 * Brute-force reference for the rolling windows: recompute every window of every token from the
 * full list of trades, the slow obvious way. The engine must agree with it exactly.
 */
import { compareTrades } from '../../src/core/trade.js';
import { WINDOWS, type ClassifiedTrade, type WindowMetrics } from '../../src/core/flow/types.js';

/** The engine's chain clock: running max of block times in canonical order. */
export function effectiveTimes(sorted: readonly ClassifiedTrade[]): number[] {
  let clock = -Infinity;
  return sorted.map((t) => {
    if (t.blockTime !== null && t.blockTime > clock) clock = t.blockTime;
    return clock === -Infinity ? 0 : clock;
  });
}

/**
 * Whether a trade at chain time `time` is inside a window of `seconds` at `now`: windows up to
 * 15 minutes are exact, (now - W, now]; longer ones move by whole minutes of chain time (the
 * current minute and the W/60 - 1 before it).
 */
export function inWindow(time: number, now: number, seconds: number): boolean {
  if (time > now) return false;
  return seconds <= 900 ? time > now - seconds : Math.floor(time / 60) > Math.floor(now / 60) - seconds / 60;
}

export function bruteMetrics(trades: readonly ClassifiedTrade[], now: number): Map<string, WindowMetrics[]> {
  const sorted = trades.slice().sort(compareTrades);
  const times = effectiveTimes(sorted);
  const out = new Map<string, WindowMetrics[]>();
  const mints = [...new Set(sorted.map((t) => t.baseMint))];
  for (const mint of mints) {
    const rows: WindowMetrics[] = [];
    for (const w of WINDOWS) {
      const inW = sorted.filter((t, i) => t.baseMint === mint && inWindow(times[i], now, w.seconds));
      const vol = (xs: ClassifiedTrade[]) => xs.reduce((s, t) => s + (t.solAmount === null ? 0 : Number(t.solAmount)), 0);
      const buys = inW.filter((t) => t.side === 'buy');
      const sells = inW.filter((t) => t.side === 'sell');
      const bots = inW.filter((t) => t.isBot);
      const dca = inW.filter((t) => t.isDca);
      const distinct = (xs: ClassifiedTrade[]) => new Set(xs.map((t) => t.trader)).size;
      const gross = vol(buys) + vol(sells);
      rows.push({
        mint, window: w.name, asOf: now, asOfSlot: null,
        buyVolume: vol(buys), sellVolume: vol(sells), buyCount: buys.length, sellCount: sells.length,
        netFlow: vol(buys) - vol(sells), uniqueWallets: distinct(inW), uniqueBuyers: distinct(buys), uniqueSellers: distinct(sells),
        botVolume: vol(bots), botTrades: bots.length, botWallets: distinct(bots), botShare: gross > 0 ? vol(bots) / gross : 0,
        dcaVolume: vol(dca), dcaBuyVolume: vol(dca.filter((t) => t.side === 'buy')), dcaTrades: dca.length, dcaWallets: distinct(dca),
        dcaShare: gross > 0 ? vol(dca) / gross : 0,
      });
    }
    out.set(mint, rows);
  }
  return out;
}
