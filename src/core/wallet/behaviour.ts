/**
 * How the wallet trades: bot evidence, platforms, DCA use, trade size and pace, quick flips.
 *
 * The bot score combines independent pieces of evidence, each with a strength in 0..1:
 * score = 1 − Π(1 − strength). Every piece names its rule, the numbers behind it and example
 * signatures, so a reader can check it (REFERENCE E: labels must carry reason and confidence).
 *  - the flow engine's per-trade flags as stored (rate, round trip within seconds, fixed size,
 *    fee outliers, sandwich): strength = share of the wallet's own trades carrying that flag;
 *  - Dune's frequency rule: ≥100 trades and ≥25 trades per hour → 1;
 *  - more than 250 trades on one UTC day (dashboards' bot line) → 0.8;
 *  - positions closed within a minute of opening (copy-trade filters want < 3%): the share,
 *    scaled down until there are 10 closed rounds to judge from;
 *  - same-slot round trips across transactions (see sameSlotRoundTrips for why the engine's
 *    flag is not read instead): count / 5, capped at 1.
 * Jupiter DCA and limit-order fills are executed by keepers for the owner; like the engine,
 * the pace rules leave them out.
 *
 * Sizes and pace count what the wallet did, not the route: the typical trade is over swaps
 * (swaps.ts) with a SOL quote, the pace over transactions, so a three-hop route is one trade of
 * the size the wallet paid. Without any block time the pace is unknown (null), not 0.
 */
import { ranked } from './summary.js';
import type { Behaviour, BotEvidence, Swap, WalletTrade } from './types.js';
import type { Round } from './positions.js';
import { FAST_CLOSE_SECONDS } from './positions.js';
import { WSOL_MINT } from '../trade.js';

const EXAMPLES = 3;
const DUNE_MIN_TRADES = 100;
const DUNE_MIN_PER_HOUR = 25;
const BOT_DAY_TRADES = 250;
const FAST_CLOSE_NORM = 0.03;
const FAST_CLOSE_SAMPLE = 10;
const SAME_SLOT_FULL = 5;
const SAME_SLOT_FLAG = 'round-trip:same-slot';

export function describeBehaviour(legs: readonly WalletTrade[], swaps: readonly Swap[], rounds: readonly Round[], fastCloseSeconds = FAST_CLOSE_SECONDS): Behaviour {
  const own = legs.filter((t) => !t.isDca && !t.isLimitOrder);
  const ownTxs = oneLegPerTransaction(own);
  const pace = tradePace(ownTxs);
  const closed = rounds.filter((r) => r.openedAt !== null && r.closedAt !== null);
  const fastCloses = closed.filter((r) => r.closedAt! - r.openedAt! <= fastCloseSeconds).length;
  const sameSlot = sameSlotRoundTrips(swaps);
  const fastCloseShare = closed.length > 0 ? fastCloses / closed.length : null;

  const evidence: BotEvidence[] = [...engineFlags(own)];
  if (ownTxs.length >= DUNE_MIN_TRADES && pace.perHour !== null && pace.perHour >= DUNE_MIN_PER_HOUR) {
    evidence.push({ rule: 'frequency', strength: 1, detail: `${ownTxs.length} trades at ${pace.perHour.toFixed(1)}/hour (Dune: ≥${DUNE_MIN_TRADES} trades and ≥${DUNE_MIN_PER_HOUR}/hour)`, trades: ownTxs.length, examples: [] });
  }
  if (pace.peakDay > BOT_DAY_TRADES) {
    evidence.push({ rule: 'busy-day', strength: 0.8, detail: `${pace.peakDay} trades on ${pace.peakDayName} (more than ${BOT_DAY_TRADES} a day)`, trades: pace.peakDay, examples: [] });
  }
  if (fastCloseShare !== null && fastCloseShare >= FAST_CLOSE_NORM && fastCloses > 0) {
    evidence.push({
      rule: 'fast-close',
      strength: round2(fastCloseShare * Math.min(1, closed.length / FAST_CLOSE_SAMPLE)),
      detail: `${fastCloses} of ${closed.length} positions closed within ${fastCloseSeconds}s of opening`,
      trades: fastCloses,
      examples: [],
    });
  }
  if (sameSlot.count > 0) {
    evidence.push({ rule: 'same-slot-round-trip', strength: Math.min(1, sameSlot.count / SAME_SLOT_FULL), detail: `${sameSlot.count} buy+sell of one token in the same slot`, trades: sameSlot.count * 2, examples: sameSlot.examples });
  }
  evidence.sort((a, b) => b.strength - a.strength || (a.rule < b.rule ? -1 : 1));
  const score = round2(1 - evidence.reduce((keep, e) => keep * (1 - e.strength), 1));

  // Per transaction, at the SOL its swaps paid or received: a route's hops are one trade, and
  // SOL that only passed through the route is no volume.
  const swapSol = new Map<string, bigint>();
  for (const s of swaps) if (s.quoteMint === WSOL_MINT) swapSol.set(s.signature, (swapSol.get(s.signature) ?? 0n) + s.quoteAmount);
  const platforms = new Map<string, { trades: number; sol: bigint }>();
  let dcaFills = 0;
  let dcaSol = 0n;
  let limitFills = 0;
  let limitSol = 0n;
  const sizes: bigint[] = [];
  // Legs come in chain order: one transaction's legs are adjacent.
  for (let i = 0, j = 0; i < legs.length; i = j) {
    while (j < legs.length && legs[j].signature === legs[i].signature) j++;
    const txLegs = legs.slice(i, j);
    const sol = swapSol.get(legs[i].signature) ?? 0n;
    const platform = txLegs.find((l) => l.platform)?.platform;
    if (platform) {
      const p = platforms.get(platform) ?? { trades: 0, sol: 0n };
      p.trades++;
      p.sol += sol;
      platforms.set(platform, p);
    }
    if (txLegs.some((l) => l.isDca)) {
      dcaFills++;
      dcaSol += sol;
    }
    if (txLegs.some((l) => l.isLimitOrder)) {
      limitFills++;
      limitSol += sol;
    }
  }
  for (const s of swaps) if (s.quoteMint === WSOL_MINT) sizes.push(s.quoteAmount);
  // Lamports are < 2^63 (the schema's INTEGER), so a typed array sorts them natively.
  const sorted = BigInt64Array.from(sizes).sort();
  const platformCounts = ranked(new Map([...platforms].map(([k, v]) => [k, v.trades])));

  return {
    bot: { score, verdict: score >= 0.7 ? 'likely bot' : score >= 0.3 ? 'some automation' : 'no bot pattern', evidence },
    platforms: platformCounts.map((c) => ({ ...c, sol: platforms.get(c.name)!.sol })),
    dca: { fills: dcaFills, sol: dcaSol, limitFills, limitSol },
    tradeSize: {
      median: sorted.length ? median(sorted) : null,
      mean: sizes.length ? sizes.reduce((a, b) => a + b, 0n) / BigInt(sizes.length) : null,
      trades: sizes.length,
    },
    tradesPerHour: pace.perHour === null ? null : round2(pace.perHour),
    peakHourTrades: pace.peakHour,
    peakDayTrades: pace.peakDay,
    closedRounds: closed.length,
    fastCloses,
    fastCloseShare,
    sameSlotRoundTrips: sameSlot.count,
    sameSlotExamples: sameSlot.examples,
  };
}

/**
 * The engine's stored reasons, grouped by rule ("round-trip:12s" → round-trip). Its
 * round-trip:same-slot flags are left out: the same-slot rule below counts that evidence, and
 * counting it twice would inflate the score.
 */
function engineFlags(own: readonly WalletTrade[]): BotEvidence[] {
  const byRule = new Map<string, { trades: number; reasons: Map<string, number>; examples: string[] }>();
  for (const t of own) {
    if (!t.isBot || !t.botReasons || t.botReasons.length === 0) continue;
    const rules = new Set<string>();
    for (const reason of t.botReasons) {
      if (reason === SAME_SLOT_FLAG) continue;
      const rule = reason.split(':')[0];
      const r = byRule.get(rule) ?? { trades: 0, reasons: new Map<string, number>(), examples: [] as string[] };
      r.reasons.set(reason, (r.reasons.get(reason) ?? 0) + 1);
      if (!rules.has(rule)) {
        rules.add(rule);
        r.trades++;
        if (r.examples.length < EXAMPLES && !r.examples.includes(t.signature)) r.examples.push(t.signature);
      }
      byRule.set(rule, r);
    }
  }
  const out: BotEvidence[] = [];
  for (const [rule, r] of byRule) {
    const top = [...r.reasons.entries()].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([reason, n]) => `${reason} ×${n}`);
    const detail = `${r.trades} of ${own.length} trades flagged: ${top.join(', ')}`;
    out.push({ rule, strength: round2(Math.min(1, r.trades / Math.max(1, own.length))), detail, trades: r.trades, examples: r.examples });
  }
  return out;
}

/** Legs come in chain order, so one transaction's legs are adjacent. */
function oneLegPerTransaction(legs: readonly WalletTrade[]): WalletTrade[] {
  return legs.filter((t, i) => i === 0 || legs[i - 1].signature !== t.signature);
}

function tradePace(own: readonly WalletTrade[]) {
  const hours = new Map<number, number>();
  const days = new Map<number, number>();
  let first = Infinity;
  let last = -Infinity;
  for (const t of own) {
    if (t.blockTime === null) continue;
    first = Math.min(first, t.blockTime);
    last = Math.max(last, t.blockTime);
    const h = Math.floor(t.blockTime / 3600);
    const d = Math.floor(t.blockTime / 86400);
    hours.set(h, (hours.get(h) ?? 0) + 1);
    days.set(d, (days.get(d) ?? 0) + 1);
  }
  const timed = [...hours.values()].reduce((a, b) => a + b, 0);
  const spanHours = Math.max(1, (last - first) / 3600);
  let peakHour = 0;
  for (const n of hours.values()) peakHour = Math.max(peakHour, n);
  let peakDay = 0;
  let peakDayKey = 0;
  for (const [d, n] of days) if (n > peakDay) [peakDay, peakDayKey] = [n, d];
  return {
    perHour: timed > 0 ? timed / spanHours : own.length > 0 ? null : 0,
    peakHour,
    peakDay,
    peakDayName: new Date(peakDayKey * 86400_000).toISOString().slice(0, 10),
  };
}

/**
 * A buy and a sell of one token in one slot, in two transactions: one pair per (slot, token).
 *
 * The engine flags the same thing on stored legs (round-trip:same-slot), but this rule is kept
 * because it reads differently: it counts netted swaps, so a route's intermediate hop is not a
 * buy of that token (the engine compares legs, hop by hop), and it needs no stored flags, so
 * plain trades (decodeTransaction's output, library callers) get it too. Like the engine, a
 * buy and a sell inside one transaction (a bundle of legs read one by one) are not a round trip.
 *
 * Swaps come in chain order, so one slot's swaps are adjacent, and so are one transaction's:
 * the first swap of the other side is enough to tell whether it came from another transaction.
 */
function sameSlotRoundTrips(swaps: readonly Swap[]): { count: number; examples: string[] } {
  let count = 0;
  const examples: string[] = [];
  let slot: number | null = null;
  let sides = new Map<string, { buy?: string; sell?: string; counted?: boolean }>();
  for (const s of swaps) {
    if (s.slot === null) continue;
    if (s.slot !== slot) {
      slot = s.slot;
      sides = new Map();
    }
    const e = sides.get(s.mint) ?? {};
    e[s.side] ??= s.signature;
    sides.set(s.mint, e);
    const other = e[s.side === 'buy' ? 'sell' : 'buy'];
    if (other !== undefined && other !== s.signature && !e.counted) {
      e.counted = true;
      count++;
      if (examples.length < EXAMPLES * 2) examples.push(...(s.side === 'buy' ? [s.signature, other] : [other, s.signature]));
    }
  }
  return { count, examples };
}

function median(sorted: BigInt64Array): bigint {
  const m = sorted.length >> 1;
  return sorted.length % 2 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2n;
}

const round2 = (x: number) => Math.round(x * 100) / 100;
