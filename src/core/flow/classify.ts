/**
 * Bot classification: behavioural rules over the trade stream in canonical order. Each rule adds
 * a machine-readable reason; a trade with any reason is a bot trade. A trade's `platform`
 * (Photon, BullX, …) is deliberately not a rule: those are humans using a bot's interface.
 * Jupiter DCA and limit-order fills are executed by keepers for a human's order, so the wallet
 * rules skip them (they are counted as DCA, not as bots), but they still take part in pool
 * history as possible sandwich victims.
 *
 * Everything here looks backwards in time over bounded horizons, except the sandwich front-run,
 * which looks forward into trades the engine holds back for `lagSlots` (see engine.ts). State is
 * keyed by wallet and pool and is forgotten after the horizons pass; every rule compares
 * timestamps, so forgotten and stale state give the same answer (needed for determinism: the
 * sweep that frees memory runs at batch boundaries, which differ between runs).
 */
import type { BotOptions } from './options.js';
import type { ClassifiedTrade } from './types.js';

/** Timestamps in arrival order with a moving head: a cheap sliding window. */
interface TsQueue {
  ts: number[];
  head: number;
  lastSig: string;
}

const newQueue = (): TsQueue => ({ ts: [], head: 0, lastSig: '' });

function expireQueue(q: TsQueue, cutoff: number): void {
  while (q.head < q.ts.length && q.ts[q.head] <= cutoff) q.head++;
  if (q.head > 64 && q.head * 2 > q.ts.length) {
    q.ts = q.ts.slice(q.head);
    q.head = 0;
  }
}

interface LastTrade {
  trade: ClassifiedTrade;
  ts: number;
}

interface WalletState {
  lastTs: number;
  rate: TsQueue;
  byMint: Map<string, LastTrade>;
  /**
   * Keyed by raw amount (bigints compare by value as Map keys); buys by quote, sells by base.
   * Created on the wallet's first trade of that side: most wallets trade once in a horizon.
   */
  buySizes: Map<bigint, TsQueue> | null;
  sellSizes: Map<bigint, TsQueue> | null;
  /** Prune the maps when they pass these sizes (doubling, so pruning stays amortised O(1)). */
  byMintLimit: number;
  sizesLimit: number;
}

export interface PoolState {
  /** Classified trades of the last `sandwich.maxSlots` slots, in order. */
  recent: ClassifiedTrade[];
  /** Trades held back by the engine (not yet classified), in order from pendHead on. */
  pending: ClassifiedTrade[];
  pendHead: number;
  feeSamples: number;
  /** Running mean of log1p(priority fee) and log1p(Jito tip). */
  prioLog: number;
  tipLog: number;
  lastTs: number;
}

export interface ClassifierState {
  wallets: Map<string, WalletState>;
  pools: Map<string, PoolState>;
}

export const newClassifierState = (): ClassifierState => ({ wallets: new Map(), pools: new Map() });

/** Pools are keyed by account; venues that expose none fall back to venue + mint. */
export const poolKey = (t: ClassifiedTrade): string => t.pool ?? `${t.venue}:${t.baseMint}`;

export function pool(state: ClassifierState, key: string): PoolState {
  let p = state.pools.get(key);
  if (p === undefined) {
    p = { recent: [], pending: [], pendHead: 0, feeSamples: 0, prioLog: 0, tipLog: 0, lastTs: -Infinity };
    state.pools.set(key, p);
  }
  return p;
}

/** Shared by every unflagged trade until its first reason (saves an array per trade). */
export const NO_REASONS: string[] = Object.freeze([]) as unknown as string[];

function addReason(t: ClassifiedTrade, reason: string): void {
  if (t.botReasons === NO_REASONS) t.botReasons = [reason];
  else if (!t.botReasons.includes(reason)) t.botReasons.push(reason);
  t.isBot = true;
}

function walletRules(s: ClassifierState, o: BotOptions, t: ClassifiedTrade, ts: number): void {
  let w = s.wallets.get(t.trader);
  if (w === undefined) {
    w = { lastTs: ts, rate: newQueue(), byMint: new Map(), buySizes: null, sellSizes: null, byMintLimit: 64, sizesLimit: 64 };
    s.wallets.set(t.trader, w);
  }
  w.lastTs = ts;

  // 1. True sliding rate: distinct transactions in (ts - T, ts], across all tokens.
  const q = w.rate;
  if (q.lastSig !== t.signature) {
    q.ts.push(ts);
    q.lastSig = t.signature;
  }
  expireQueue(q, ts - o.rate.seconds);
  const n = q.ts.length - q.head;
  if (n >= o.rate.trades) addReason(t, `rate:${n} tx/${o.rate.seconds}s`);

  // 2. Round trip: the opposite side of the same token shortly after. Same slot flags both
  //    legs (the engine classifies a whole slot before counting any of it).
  //    Inside one transaction a buy and a sell of the same token are a route through it
  //    (SOL → X → USDC), which people do; only when both legs settle in the same quote
  //    (SOL → X → SOL) is it a cycle, i.e. atomic arbitrage.
  const prev = w.byMint.get(t.baseMint);
  if (prev !== undefined && prev.trade.side !== t.side && prev.trade.signature === t.signature) {
    if (prev.trade.quoteMint === t.quoteMint) {
      addReason(t, 'arbitrage:same-tx');
      addReason(prev.trade, 'arbitrage:same-tx');
    }
  } else if (prev !== undefined && prev.trade.side !== t.side) {
    if (t.slot !== null && prev.trade.slot === t.slot) {
      addReason(t, 'round-trip:same-slot');
      addReason(prev.trade, 'round-trip:same-slot');
    } else if (ts - prev.ts <= o.roundTrip.seconds) {
      addReason(t, `round-trip:${ts - prev.ts}s`);
    }
  }
  if (prev === undefined) w.byMint.set(t.baseMint, { trade: t, ts });
  else {
    prev.trade = t;
    prev.ts = ts;
  }
  if (w.byMint.size > w.byMintLimit) {
    const byMint = w.byMint;
    byMint.forEach((lt, m) => {
      if (ts - lt.ts > o.roundTrip.seconds) byMint.delete(m);
    });
    w.byMintLimit = Math.max(64, 2 * w.byMint.size);
  }

  // 3. Fixed-size repeats: the identical raw amount on the side the wallet chose (what it
  //    spends on a buy, what it sells on a sell). Two mints with the same raw amount share a
  //    key; that is rare and still a repeated size.
  const buy = t.side === 'buy';
  let sizes = buy ? w.buySizes : w.sellSizes;
  if (sizes === null) {
    sizes = new Map();
    if (buy) w.buySizes = sizes;
    else w.sellSizes = sizes;
  }
  const amount = buy ? t.quoteAmount : t.baseAmount;
  let sq = sizes.get(amount);
  if (sq === undefined) {
    sq = newQueue();
    sizes.set(amount, sq);
  }
  if (sq.lastSig !== t.signature) {
    sq.ts.push(ts);
    sq.lastSig = t.signature;
  }
  expireQueue(sq, ts - o.fixedSize.seconds);
  const k = sq.ts.length - sq.head;
  if (k >= o.fixedSize.count) addReason(t, `fixed-size:${k}x${amount}/${o.fixedSize.seconds}s`);
  if (sizes.size > w.sizesLimit) {
    const all = sizes;
    all.forEach((qq, key) => {
      const last = qq.ts[qq.ts.length - 1];
      if (last === undefined || ts - last > o.fixedSize.seconds) all.delete(key);
    });
    w.sizesLimit = Math.max(64, 2 * sizes.size);
  }
}

const ALPHA = 1 / 16;

function feeRules(p: PoolState, o: BotOptions, t: ClassifiedTrade, ts: number, judge: boolean): void {
  const f = o.feeOutlier;
  if (ts - p.lastTs > o.poolIdleSeconds) p.feeSamples = 0; // same answer as a pool evicted by the sweep
  p.lastTs = ts;
  const prio = Math.log1p(t.priorityFee);
  const tip = Math.log1p(t.jitoTip);
  if (judge && f.multiple > 0 && p.feeSamples >= f.minSample) {
    const limit = Math.log(f.multiple);
    if (t.priorityFee >= f.minPriorityFee && prio - p.prioLog >= limit) {
      addReason(t, `priority-fee:${Math.round(Math.exp(prio - p.prioLog))}x pool`);
    }
    if (t.jitoTip >= f.minJitoTip && tip - p.tipLog >= limit) {
      addReason(t, `jito-tip:${Math.round(Math.exp(tip - p.tipLog))}x pool`);
    }
  }
  if (p.feeSamples === 0) {
    p.prioLog = prio;
    p.tipLog = tip;
  } else {
    p.prioLog += ALPHA * (prio - p.prioLog);
    p.tipLog += ALPHA * (tip - p.tipLog);
  }
  p.feeSamples++;
}

const abs = (x: bigint) => (x < 0n ? -x : x);

/** Front and back legs of one attacker: same base size (within tolerance) and a profit. */
function legsMatch(front: ClassifiedTrade, back: ClassifiedTrade, tolBps: number): boolean {
  if (front.side === back.side || front.quoteMint !== back.quoteMint || front.baseMint !== back.baseMint) return false;
  const big = front.baseAmount > back.baseAmount ? front.baseAmount : back.baseAmount;
  if (big === 0n || abs(front.baseAmount - back.baseAmount) * 10000n > BigInt(tolBps) * big) return false;
  // Buy-front: gets back at least the quote it paid. Sell-front: buys back for no more than it got.
  return front.side === 'buy' ? back.quoteAmount >= front.quoteAmount : back.quoteAmount <= front.quoteAmount;
}

function isVictim(v: ClassifiedTrade, front: ClassifiedTrade, back: ClassifiedTrade): boolean {
  return (
    v.side === front.side &&
    v.baseMint === front.baseMint &&
    v.trader !== front.trader &&
    v.trader !== back.trader &&
    v.signer !== front.signer &&
    v.signer !== back.signer
  );
}

/** Is t the back leg of a sandwich whose front and victim are in `recent`? */
function isBackLeg(recent: ClassifiedTrade[], t: ClassifiedTrade, o: BotOptions): boolean {
  const minSlot = (t.slot as number) - o.sandwich.maxSlots;
  const stop = Math.max(0, recent.length - o.sandwich.maxScan);
  for (let i = recent.length - 1; i >= stop; i--) {
    const f = recent[i];
    if ((f.slot as number) < minSlot) break;
    if (!legsMatch(f, t, o.sandwich.amountToleranceBps)) continue;
    for (let j = i + 1; j < recent.length; j++) if (isVictim(recent[j], f, t)) return true;
  }
  return false;
}

/** Is t the front leg of a sandwich whose victim and back are still pending? */
function isFrontLeg(pending: ClassifiedTrade[], head: number, t: ClassifiedTrade, o: BotOptions): boolean {
  const maxSlot = (t.slot as number) + o.sandwich.maxSlots;
  const end = Math.min(pending.length, head + o.sandwich.maxScan);
  for (let i = head; i < end; i++) {
    const b = pending[i];
    if ((b.slot as number) > maxSlot) break;
    if (!legsMatch(t, b, o.sandwich.amountToleranceBps)) continue;
    for (let j = head; j < i; j++) if (isVictim(pending[j], t, b)) return true;
  }
  return false;
}

/** The engine releases trades in order, so a released trade is at the pool's pending head. */
export function takePending(p: PoolState, t: ClassifiedTrade): void {
  if (p.pending[p.pendHead] === t) p.pendHead++;
  else {
    const at = p.pending.indexOf(t, p.pendHead);
    if (at >= 0) p.pending.splice(at, 1);
  }
  if (p.pendHead === p.pending.length) {
    p.pending = [];
    p.pendHead = 0;
  } else if (p.pendHead > 64 && p.pendHead * 2 > p.pending.length) {
    p.pending = p.pending.slice(p.pendHead);
    p.pendHead = 0;
  }
}

/** Re-sort after out-of-order arrivals. */
export function sortPending(p: PoolState, cmp: (a: ClassifiedTrade, b: ClassifiedTrade) => number): void {
  if (p.pendHead > 0) {
    p.pending = p.pending.slice(p.pendHead);
    p.pendHead = 0;
  }
  if (p.pending.length > 1) p.pending.sort(cmp);
}

/**
 * Classify one trade at chain time `ts`. The engine calls this in canonical order, after taking
 * the trade out of its pool's pending list (`p`, pool(s, poolKey(t))) and before any later trade.
 */
export function classify(s: ClassifierState, o: BotOptions, t: ClassifiedTrade, ts: number, p: PoolState): void {
  const automatedOrder = t.isDca || t.isLimitOrder;
  if (!automatedOrder) walletRules(s, o, t, ts);
  feeRules(p, o, t, ts, !automatedOrder);
  if (t.slot !== null) {
    const minSlot = t.slot - o.sandwich.maxSlots;
    let drop = 0;
    while (drop < p.recent.length && (p.recent[drop].slot as number) < minSlot) drop++;
    if (drop > 0) p.recent.splice(0, drop);
    if (!automatedOrder) {
      if (isBackLeg(p.recent, t, o)) addReason(t, 'sandwich:back');
      if (isFrontLeg(p.pending, p.pendHead, t, o)) addReason(t, 'sandwich:front');
    }
    p.recent.push(t);
  }
}

/** Free state whose horizons have passed (memory only: results do not depend on when). */
export function sweepClassifier(s: ClassifierState, o: BotOptions, now: number): void {
  const walletHorizon = Math.max(o.rate.seconds, o.roundTrip.seconds, o.fixedSize.seconds);
  // forEach rather than for-of over entries: no [key, value] array per entry on every sweep.
  s.wallets.forEach((w, k) => {
    if (now - w.lastTs > walletHorizon) s.wallets.delete(k);
  });
  s.pools.forEach((p, k) => {
    if (p.pending.length === p.pendHead && now - p.lastTs > o.poolIdleSeconds) s.pools.delete(k);
  });
}
