/**
 * Positions and realized PnL from a wallet's swaps, one position per (token, quote asset), in
 * exact integers.
 *
 * Cost basis (REFERENCE E 1.2):
 *  - avg (default, as Birdeye and Bitquery compute it): a sell takes cost × sold / held from the
 *    running cost; a full exit takes all of it, so re-entering starts a fresh average.
 *  - fifo: a sell takes from the oldest lots first; each lot keeps its own cost, what was sold
 *    from it and how long that was held.
 * Integer division floors once per sell (or per lot piece); the remainder stays in the held
 * cost, so cost of sold + cost held always equals what the buys cost, to the unit.
 *
 * A sell larger than what recorded buys hold (the tokens came in by transfer, an airdrop, or a
 * buy before --since) sells what is held against its cost; the rest is "sold without buy", its
 * share of the proceeds is kept apart (no cost is invented for it) and the position is flagged,
 * which keeps it out of the win rate.
 */
import type { CostBasis, Lot, Position, Swap } from './types.js';

export interface RealizedEvent {
  blockTime: number | null;
  quoteMint: string;
  amount: bigint;
}

export interface Round {
  openedAt: number | null;
  closedAt: number | null;
}

interface OpenLot {
  lot: Lot;
  /** Still held from this lot, and its remaining cost. */
  qty: bigint;
  cost: bigint;
  holdWeight: number;
  holdQty: number;
}

interface State {
  p: Position;
  /** fifo only: lots still (partly) held, oldest first, and every lot for the report. */
  lots: OpenLot[];
  lotHead: number;
  allLots: Lot[];
  /** fifo: seconds × quantity over every piece sold from a lot, and that quantity. */
  holdWeight: number;
  holdQty: number;
  roundOpenedAt: number | null;
  roundDurations: number[];
}

export interface PositionsResult {
  positions: Position[];
  realizedEvents: RealizedEvent[];
  rounds: Array<Round & { mint: string }>;
}

export const FAST_CLOSE_SECONDS = 60;

export function buildPositions(swaps: readonly Swap[], costBasis: CostBasis, fastCloseSeconds = FAST_CLOSE_SECONDS): PositionsResult {
  const states = new Map<string, State>();
  const realizedEvents: RealizedEvent[] = [];
  const rounds: Array<Round & { mint: string }> = [];
  for (const s of swaps) {
    const key = `${s.mint}\u0000${s.quoteMint}`;
    let st = states.get(key);
    if (!st) {
      st = { p: emptyPosition(s), lots: [], lotHead: 0, allLots: [], holdWeight: 0, holdQty: 0, roundOpenedAt: null, roundDurations: [] };
      states.set(key, st);
    }
    const p = st.p;
    p.firstTime ??= s.blockTime;
    if (s.blockTime !== null) p.lastTime = s.blockTime;
    if (s.side === 'buy') buy(st, s, costBasis);
    else {
      const r = sell(st, s, costBasis);
      realizedEvents.push({ blockTime: s.blockTime, quoteMint: s.quoteMint, amount: r.realized });
      if (r.closedRound) {
        rounds.push({ mint: s.mint, openedAt: r.closedRound.openedAt, closedAt: r.closedRound.closedAt });
        const d = duration(r.closedRound.openedAt, r.closedRound.closedAt);
        if (d !== null) {
          st.roundDurations.push(d);
          if (d <= fastCloseSeconds) p.fastCloses++;
        }
      }
    }
  }
  const positions = [...states.values()].map((st) => finish(st, costBasis));
  return { positions, realizedEvents, rounds };
}

function emptyPosition(s: Swap): Position {
  return {
    mint: s.mint,
    quoteMint: s.quoteMint,
    baseDecimals: s.baseDecimals,
    quoteDecimals: s.quoteDecimals,
    buys: 0,
    sells: 0,
    bought: 0n,
    sold: 0n,
    held: 0n,
    cost: 0n,
    proceeds: 0n,
    costOfSold: 0n,
    realized: 0n,
    soldWithoutBuy: 0n,
    proceedsWithoutBuy: 0n,
    openCost: 0n,
    lastPrice: null,
    value: null,
    unrealized: null,
    realizedRoi: null,
    roi: null,
    status: 'open',
    flags: [],
    firstTime: null,
    lastTime: null,
    holdSeconds: null,
    closedRounds: 0,
    fastCloses: 0,
  };
}

function buy(st: State, s: Swap, costBasis: CostBasis): void {
  const p = st.p;
  if (p.held === 0n) st.roundOpenedAt = s.blockTime;
  p.buys++;
  p.bought += s.baseAmount;
  p.cost += s.quoteAmount;
  p.held += s.baseAmount;
  p.openCost += s.quoteAmount;
  if (costBasis !== 'fifo') return;
  const lot: Lot = { signature: s.signature, blockTime: s.blockTime, qty: s.baseAmount, cost: s.quoteAmount, soldQty: 0n, realized: 0n, holdSeconds: null };
  st.allLots.push(lot);
  st.lots.push({ lot, qty: s.baseAmount, cost: s.quoteAmount, holdWeight: 0, holdQty: 0 });
}

function sell(st: State, s: Swap, costBasis: CostBasis): { realized: bigint; closedRound: Round | null } {
  const p = st.p;
  p.sells++;
  p.sold += s.baseAmount;
  p.proceeds += s.quoteAmount;
  const matched = s.baseAmount < p.held ? s.baseAmount : p.held;
  const unmatched = s.baseAmount - matched;
  // Proceeds split by quantity; the matched part takes the floor, the rest goes without buy.
  const matchedProceeds = unmatched === 0n ? s.quoteAmount : s.baseAmount === 0n ? 0n : (s.quoteAmount * matched) / s.baseAmount;
  if (unmatched > 0n) {
    p.soldWithoutBuy += unmatched;
    p.proceedsWithoutBuy += s.quoteAmount - matchedProceeds;
  }
  if (matched === 0n) return { realized: 0n, closedRound: null };

  const costOut = costBasis === 'avg' ? takeAverage(st, matched) : takeFifo(st, s, matched, matchedProceeds);
  const realized = matchedProceeds - costOut;
  p.held -= matched;
  p.openCost -= costOut;
  p.costOfSold += costOut;
  p.realized += realized;
  if (p.held !== 0n) return { realized, closedRound: null };
  p.closedRounds++;
  const round = { openedAt: st.roundOpenedAt, closedAt: s.blockTime };
  st.roundOpenedAt = null;
  return { realized, closedRound: round };
}

function takeAverage(st: State, qty: bigint): bigint {
  const p = st.p;
  return qty === p.held ? p.openCost : (p.openCost * qty) / p.held;
}

/** Takes `qty` from the oldest lots and books each piece on its lot; answers their cost. */
function takeFifo(st: State, s: Swap, qty: bigint, proceeds: bigint): bigint {
  let left = qty;
  let costOut = 0n;
  let proceedsLeft = proceeds;
  while (left > 0n && st.lotHead < st.lots.length) {
    const open = st.lots[st.lotHead];
    const take = left < open.qty ? left : open.qty;
    const cost = take === open.qty ? open.cost : (open.cost * take) / open.qty;
    // The last piece of a sell takes the proceeds' remainder, so pieces sum to the sell.
    const piece = left === take ? proceedsLeft : (proceeds * take) / qty;
    open.qty -= take;
    open.cost -= cost;
    left -= take;
    costOut += cost;
    proceedsLeft -= piece;
    open.lot.soldQty += take;
    open.lot.realized += piece - cost;
    const d = duration(open.lot.blockTime, s.blockTime);
    if (d !== null) {
      open.holdWeight += d * Number(take);
      open.holdQty += Number(take);
      open.lot.holdSeconds = open.holdWeight / open.holdQty;
      st.holdWeight += d * Number(take);
      st.holdQty += Number(take);
    }
    if (open.qty === 0n) st.lotHead++;
  }
  return costOut;
}

function finish(st: State, costBasis: CostBasis): Position {
  const p = st.p;
  if (p.soldWithoutBuy > 0n) p.flags.push(p.bought === 0n ? 'sold without a recorded buy' : 'sold more than recorded buys');
  p.status = p.soldWithoutBuy > 0n ? 'no-buy' : p.held === 0n && p.bought > 0n ? 'closed' : 'open';
  p.realizedRoi = p.costOfSold > 0n ? ratio(p.realized, p.costOfSold) : null;
  if (costBasis === 'fifo') {
    p.lots = st.allLots;
    p.holdSeconds = st.holdQty > 0 ? st.holdWeight / st.holdQty : null;
  } else {
    p.holdSeconds = st.roundDurations.length > 0 ? st.roundDurations.reduce((a, b) => a + b, 0) / st.roundDurations.length : null;
  }
  return p;
}

/** Marks held quantity at a price (quote per base, as one trade's amounts): value, unrealized, ROI. */
export function markToPrice(p: Position, price: Position['lastPrice']): void {
  p.lastPrice = price;
  if (p.held === 0n) {
    p.value = 0n;
    p.unrealized = 0n;
  } else if (price && price.baseAmount > 0n) {
    p.value = (p.held * price.quoteAmount) / price.baseAmount;
    p.unrealized = p.value - p.openCost;
  } else {
    p.value = null;
    p.unrealized = null;
  }
  // Without a price for what is still held, a total return would silently count it as zero.
  p.roi = p.cost > 0n && p.unrealized !== null ? ratio(p.realized + p.unrealized, p.cost) : null;
}

function duration(from: number | null, to: number | null): number | null {
  return from === null || to === null ? null : Math.max(0, to - from);
}

/** a / b as a float without losing the magnitude of large bigints first. */
function ratio(a: bigint, b: bigint): number {
  if (b === 0n) return NaN;
  // Scale to keep ~15 significant digits, then divide as numbers.
  const scale = 10n ** 15n;
  return Number((a * scale) / b) / 1e15;
}
