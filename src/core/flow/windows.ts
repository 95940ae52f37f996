/**
 * Rolling windows of one token: sums and distinct-wallet counts for every window in WINDOWS,
 * updated in O(windows) per trade, kept in two step lists (step-list.ts):
 *
 *  - 1m, 5m and 15m are exact over (now - W, now]: a step per block time (block times are whole
 *    seconds, so at most W steps), one mark per wallet and step.
 *  - 1h, 2h and 4h move a minute at a time: they hold the trades of the current minute of chain
 *    time and of the 59, 119 or 239 minutes before it, a step per minute, one mark per wallet
 *    and minute.
 *
 * Why not one entry per trade, as these windows first were: the 4 h window then held every trade
 * of the last 4 hours, ~43 bytes each (test/bench/flow-memory.ts), which an hour's soak at 7,000
 * tx/s saw as memory rising by ~143 MB every 10 minutes (flat with steps: README, Benchmarks).
 * Now a token keeps at most 900 + 240 steps, and marks only for each wallet's distinct seconds
 * (15 minutes) and minutes (4 hours): a wallet trading a token twenty times a minute costs one
 * long mark. The long windows' edges are a minute coarse; being part of the engine, the same
 * trades give the same figures in a backfill, a live ingest and a recompute.
 *
 * An idle token empties completely and is evicted by the engine. A trade without a SOL quote adds
 * to counts and wallets, never to volumes.
 */
import { newAgg, type Agg } from './agg.js';
import { addToList, advanceList, listEmpty, newStepList, type StepList, type WalletRec } from './step-list.js';
import { WINDOWS, type WindowMetrics, type WindowName } from './types.js';

export type { Agg, WalletRec };

const NW = WINDOWS.length;
/** Windows up to this long are exact (a step per block time); longer ones move by minutes. */
const EXACT_SECONDS = 900;
const N_EXACT = WINDOWS.filter((w) => w.seconds <= EXACT_SECONDS).length;
/** Index of the 5m window: FOCUSED_BUYERS needs per-wallet buy volume there. */
export const W5M = WINDOWS.findIndex((w) => w.name === '5m');
export const windowIndex = (name: WindowName): number => WINDOWS.findIndex((w) => w.name === name);

export interface TokenWindows {
  mint: string;
  /** One per window of WINDOWS, in its order. */
  aggs: Agg[];
  /** The exact windows (1m, 5m, 15m). */
  short: StepList;
  /** The minute windows (1h, 2h, 4h). */
  long: StepList;
  /** Wallets with a buy inside the 5m window, each with its `buyInWindow` lamports there. */
  buyers5m: Set<WalletRec>;
  /** Time the windows were last advanced to. */
  now: number;
  /** Something changed since the last snapshot was taken. */
  changed: boolean;
}

export function newTokenWindows(mint: string): TokenWindows {
  const aggs = Array.from({ length: NW }, newAgg);
  const seconds = WINDOWS.map((w) => w.seconds);
  const short = newStepList(1, seconds.slice(0, N_EXACT), aggs.slice(0, N_EXACT), W5M);
  const long = newStepList(60, seconds.slice(N_EXACT), aggs.slice(N_EXACT), -1);
  return { mint, aggs, short, long, buyers5m: short.buyers, now: -Infinity, changed: false };
}

export const isEmpty = (t: TokenWindows): boolean => listEmpty(t.long);

/** Move the windows to `now` (never backwards), dropping what fell out. */
export function advance(t: TokenWindows, now: number): void {
  if (now <= t.now) return;
  t.now = now;
  const short = advanceList(t.short, now);
  const long = advanceList(t.long, now);
  if (short || long) t.changed = true;
}

/** Add one trade at time `ts` (>= every earlier ts; call advance(ts) first). */
export function add(t: TokenWindows, ts: number, wallet: string, buy: boolean, sol: number, bot: boolean, dca: boolean): void {
  addToList(t.short, ts, wallet, buy, sol, bot, dca);
  addToList(t.long, ts, wallet, buy, sol, bot, dca);
  t.changed = true;
}

export function snapshot(t: TokenWindows, w: number, asOf: number, asOfSlot: number | null): WindowMetrics {
  const a = t.aggs[w];
  const gross = a.buyVol + a.sellVol;
  return {
    mint: t.mint,
    window: WINDOWS[w].name,
    asOf,
    asOfSlot,
    buyVolume: a.buyVol,
    sellVolume: a.sellVol,
    buyCount: a.buyCnt,
    sellCount: a.sellCnt,
    netFlow: a.buyVol - a.sellVol,
    uniqueWallets: a.wallets,
    uniqueBuyers: a.buyers,
    uniqueSellers: a.sellers,
    botVolume: a.botVol,
    botTrades: a.botTrades,
    botWallets: a.botWallets,
    botShare: gross > 0 ? a.botVol / gross : 0,
    dcaVolume: a.dcaVol,
    dcaBuyVolume: a.dcaBuyVol,
    dcaTrades: a.dcaTrades,
    dcaWallets: a.dcaWallets,
    dcaShare: gross > 0 ? a.dcaVol / gross : 0,
  };
}

export function snapshots(t: TokenWindows, asOfSlot: number | null): WindowMetrics[] {
  const out: WindowMetrics[] = [];
  for (let w = 0; w < NW; w++) out.push(snapshot(t, w, t.now, asOfSlot));
  return out;
}
