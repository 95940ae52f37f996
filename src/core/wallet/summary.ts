/**
 * The wallet's activity as stored: counted per leg (one row of the trades table), so every
 * figure here equals a plain count or sum over the wallet's rows.
 */
import type { ClassifiedTrade } from '../flow/types.js';
import type { Count, DayPoint, Summary, TradeRef, UnpricedTx } from './types.js';
import type { RealizedEvent } from './positions.js';
import { WSOL_MINT } from '../trade.js';

const UNPRICED_EXAMPLES = 5;

export function summarize(legs: readonly ClassifiedTrade[], swaps: number, unpriced: readonly UnpricedTx[]): Summary {
  let buys = 0;
  let solIn = 0n;
  let solOut = 0n;
  const signatures = new Set<string>();
  const mints = new Set<string>();
  const days = new Set<string>();
  const venues = new Map<string, number>();
  const routers = new Map<string, number>();
  for (const t of legs) {
    signatures.add(t.signature);
    mints.add(t.baseMint);
    if (t.blockTime !== null) days.add(utcDay(t.blockTime));
    venues.set(t.venue, (venues.get(t.venue) ?? 0) + 1);
    if (t.router) routers.set(t.router, (routers.get(t.router) ?? 0) + 1);
    if (t.side === 'buy') {
      buys++;
      if (t.solAmount !== null) solOut += t.solAmount;
    } else if (t.solAmount !== null) solIn += t.solAmount;
  }
  return {
    trades: legs.length,
    transactions: signatures.size,
    buys,
    sells: legs.length - buys,
    solIn,
    solOut,
    tokens: mints.size,
    venues: ranked(venues),
    routers: ranked(routers),
    first: legs.length ? ref(legs[0]) : null,
    last: legs.length ? ref(legs[legs.length - 1]) : null,
    activeDays: days.size,
    swaps,
    unpriced: unpriced.length,
    unpricedExamples: unpriced.slice(0, UNPRICED_EXAMPLES),
  };
}

/** Trades and SOL volume per UTC day, with the SOL PnL realized that day. */
export function dailySeries(legs: readonly ClassifiedTrade[], realized: readonly RealizedEvent[]): DayPoint[] {
  const days = new Map<string, DayPoint>();
  const day = (blockTime: number) => {
    const key = utcDay(blockTime);
    let d = days.get(key);
    if (!d) {
      d = { day: key, trades: 0, solVolume: 0n, realized: 0n };
      days.set(key, d);
    }
    return d;
  };
  for (const t of legs) {
    if (t.blockTime === null) continue;
    const d = day(t.blockTime);
    d.trades++;
    if (t.solAmount !== null) d.solVolume += t.solAmount;
  }
  for (const e of realized) {
    if (e.blockTime === null || e.quoteMint !== WSOL_MINT || e.amount === 0n) continue;
    day(e.blockTime).realized += e.amount;
  }
  return [...days.values()].sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
}

export function utcDay(blockTime: number): string {
  return new Date(blockTime * 1000).toISOString().slice(0, 10);
}

export function ranked(counts: ReadonlyMap<string, number>): Count[] {
  return [...counts.entries()].map(([name, trades]) => ({ name, trades })).sort((a, b) => b.trades - a.trades || (a.name < b.name ? -1 : 1));
}

function ref(t: ClassifiedTrade): TradeRef {
  return { signature: t.signature, slot: t.slot, blockTime: t.blockTime };
}
