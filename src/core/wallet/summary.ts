/**
 * The wallet's activity. What was stored (trades = legs, transactions, venues, routers, first
 * and last) is counted per leg, one row of the trades table each. What the wallet did (buys,
 * sells, SOL in/out, tokens, the daily series) is counted per swap (swaps.ts): a route's hops are
 * not the wallet's trades, so SOL that only passed through a route is neither in nor out.
 *
 * Time unknown is not zero: a transaction stored without a block time is counted in
 * `untimedTransactions` and left out of the day counts; with no block time at all, activeDays
 * is null ("unknown"), never 0. No time is guessed from the slot: slot times drift by days over
 * the chain's history (the corpus measures up to 6 days), too far for "active days".
 */
import type { Count, DayPoint, Summary, Swap, TradeRef, UnpricedTx, WalletTrade } from './types.js';
import type { RealizedEvent } from './positions.js';
import { WSOL_MINT } from '../trade.js';

const UNPRICED_EXAMPLES = 5;

/** Legs in canonical order (compareTrades). */
export function summarize(legs: readonly WalletTrade[], swaps: readonly Swap[], unpriced: readonly UnpricedTx[]): Summary {
  let buys = 0;
  let solIn = 0n;
  let solOut = 0n;
  const untimed = new Set<string>();
  // Legs come in chain order, so a transaction's legs are adjacent.
  let transactions = 0;
  let lastSignature = '';
  const mints = new Set<string>();
  const days = new Set<number>();
  const venues = new Map<string, number>();
  const routers = new Map<string, number>();
  for (const t of legs) {
    if (t.signature !== lastSignature) {
      transactions++;
      lastSignature = t.signature;
    }
    if (t.blockTime !== null) days.add(Math.floor(t.blockTime / DAY));
    else untimed.add(t.signature);
    venues.set(t.venue, (venues.get(t.venue) ?? 0) + 1);
    if (t.router) routers.set(t.router, (routers.get(t.router) ?? 0) + 1);
  }
  for (const s of swaps) {
    mints.add(s.mint);
    if (s.side === 'buy') buys++;
    if (s.quoteMint !== WSOL_MINT) continue;
    if (s.side === 'buy') solOut += s.quoteAmount;
    else solIn += s.quoteAmount;
  }
  return {
    trades: legs.length,
    transactions,
    buys,
    sells: swaps.length - buys,
    solIn,
    solOut,
    tokens: mints.size,
    venues: ranked(venues),
    routers: ranked(routers),
    first: legs.length ? ref(legs[0]) : null,
    last: legs.length ? ref(legs[legs.length - 1]) : null,
    activeDays: days.size === 0 && untimed.size > 0 ? null : days.size,
    untimedTransactions: untimed.size,
    swaps: swaps.length,
    unpriced: unpriced.length,
    unpricedExamples: unpriced.slice(0, UNPRICED_EXAMPLES),
  };
}

/** Swaps and their SOL volume per UTC day, with the SOL PnL realized that day. */
export function dailySeries(swaps: readonly Swap[], realized: readonly RealizedEvent[]): DayPoint[] {
  const days = new Map<number, DayPoint>();
  const day = (blockTime: number) => {
    const n = Math.floor(blockTime / DAY);
    let d = days.get(n);
    if (!d) {
      d = { day: '', trades: 0, solVolume: 0n, realized: 0n };
      days.set(n, d);
    }
    return d;
  };
  for (const s of swaps) {
    if (s.blockTime === null) continue;
    const d = day(s.blockTime);
    d.trades++;
    if (s.quoteMint === WSOL_MINT) d.solVolume += s.quoteAmount;
  }
  for (const e of realized) {
    if (e.blockTime === null || e.quoteMint !== WSOL_MINT || e.amount === 0n) continue;
    day(e.blockTime).realized += e.amount;
  }
  return [...days.entries()].sort((a, b) => a[0] - b[0]).map(([n, d]) => ({ ...d, day: utcDay(n * DAY) }));
}

const DAY = 86_400;

function utcDay(blockTime: number): string {
  return new Date(blockTime * 1000).toISOString().slice(0, 10);
}

export function ranked(counts: ReadonlyMap<string, number>): Count[] {
  return [...counts.entries()].map(([name, trades]) => ({ name, trades })).sort((a, b) => b.trades - a.trades || (a.name < b.name ? -1 : 1));
}

function ref(t: WalletTrade): TradeRef {
  return { signature: t.signature, slot: t.slot, blockTime: t.blockTime };
}
