/**
 * The wallet's activity as stored: counted per leg (one row of the trades table), so every
 * figure here equals a plain count or sum over the wallet's rows.
 */
import type { Count, DayPoint, Summary, TradeRef, UnpricedTx, WalletTrade } from './types.js';
import type { RealizedEvent } from './positions.js';
import { WSOL_MINT } from '../trade.js';

const UNPRICED_EXAMPLES = 5;

/** Legs in canonical order (compareTrades). */
export function summarize(legs: readonly WalletTrade[], swaps: number, unpriced: readonly UnpricedTx[]): Summary {
  let buys = 0;
  let solIn = 0n;
  let solOut = 0n;
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
    mints.add(t.baseMint);
    if (t.blockTime !== null) days.add(Math.floor(t.blockTime / DAY));
    venues.set(t.venue, (venues.get(t.venue) ?? 0) + 1);
    if (t.router) routers.set(t.router, (routers.get(t.router) ?? 0) + 1);
    if (t.side === 'buy') {
      buys++;
      if (t.solAmount !== null) solOut += t.solAmount;
    } else if (t.solAmount !== null) solIn += t.solAmount;
  }
  return {
    trades: legs.length,
    transactions,
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
export function dailySeries(legs: readonly WalletTrade[], realized: readonly RealizedEvent[]): DayPoint[] {
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
