/**
 * One token's trades for a few nested windows, kept as steps: the trades of one time are one
 * step (its sums and counts) with one mark per wallet that traded then. A window's edge is a time
 * and all trades of a step enter and leave every window together, so nothing is kept per trade.
 *
 * A list has a granularity: a step holds the trades of one block time (granularity 1, exact
 * edges) or of one whole minute (60: the window's edge moves a minute at a time). Its windows
 * are measured in steps of that size: a trade is inside window W while its step key (the time,
 * or the minute number) is greater than the current key minus W's length in keys.
 *
 * Each window keeps the index of its oldest step and moves it forward as the chain clock advances
 * (expire). Distinct counts avoid per-window sets: a wallet's record remembers the sequence
 * number of its latest step of each kind (any, buy, sell, bot, dca); the wallet is inside window
 * W iff that step is, so it is counted when a trade finds its previous step already outside W,
 * and uncounted when the step that leaves W is its latest.
 *
 * Steps and marks are columns (typed arrays; one array of wallet records), nothing for the
 * garbage collector to trace but the records. Volumes are lamports in `number` (exact below 2^53).
 */
import type { Agg } from './agg.js';

export interface WalletRec {
  wallet: string;
  /** Sequence numbers of the wallet's latest step of each kind (-1: none). */
  lastAny: number;
  lastBuy: number;
  lastSell: number;
  lastBot: number;
  lastDca: number;
  /** Sequence number of the wallet's mark in its latest step. */
  mark: number;
  /** Lamports bought inside the list's `buyWindow` (lists that keep one). */
  buyInWindow: number;
}

/** A step's fields, STRIDE numbers per step in one Float64Array. */
const KEY = 0;
const BUY_VOL = 1;
const SELL_VOL = 2;
const BOT_VOL = 3;
const DCA_VOL = 4;
const DCA_BUY_VOL = 5;
const BUY_CNT = 6;
const SELL_CNT = 7;
const BOT_CNT = 8;
const DCA_CNT = 9;
/** Sequence number of the step's first mark; its marks run to the next step's first. */
const MARK0 = 10;
const STRIDE = 11;
const MIN_CAPACITY = 8;

export interface StepList {
  /** Seconds per step key: 1 (a step per block time) or 60 (per minute). */
  granularity: number;
  /** Each window's length in step keys, shortest first. */
  lengths: number[];
  /** The aggregates this list keeps up, one per window (shared with the token's snapshot). */
  aggs: Agg[];
  /**
   * Index of the window whose per-wallet buy volume is kept (buyInWindow, buyers), or -1.
   * Only then do marks carry what their wallet bought.
   */
  buyWindow: number;
  /** Wallets with a buy inside buyWindow. */
  buyers: Set<WalletRec>;
  /**
   * Steps in key order, STRIDE numbers each; step i (0 <= i < len) has sequence number base + i.
   * Steps below the last window's head have left every window (kept until compaction).
   */
  steps: Float64Array;
  len: number;
  base: number;
  /** Marks in step order: mark j (0 <= j < marks) has sequence number markBase + j. */
  markRec: (WalletRec | null)[];
  /** Lamports the mark's wallet bought in the mark's step (only with a buyWindow). */
  markBuy: Float64Array;
  marks: number;
  markBase: number;
  /** Per window, the index of its oldest step (len when the window is empty). */
  heads: number[];
  recs: Map<string, WalletRec>;
  /** Key the list was last advanced to. */
  now: number;
  /**
   * The earliest key at which some window's oldest step falls out (its key + the window's
   * length; Infinity when empty): until then advance() only moves `now`.
   */
  nextExpiry: number;
}

export function newStepList(granularity: number, seconds: number[], aggs: Agg[], buyWindow: number): StepList {
  return {
    granularity,
    lengths: seconds.map((s) => s / granularity),
    aggs,
    buyWindow,
    buyers: new Set(),
    steps: new Float64Array(MIN_CAPACITY * STRIDE),
    len: 0,
    base: 0,
    markRec: new Array<WalletRec | null>(MIN_CAPACITY).fill(null),
    markBuy: new Float64Array(buyWindow < 0 ? 0 : MIN_CAPACITY),
    marks: 0,
    markBase: 0,
    heads: seconds.map(() => 0),
    recs: new Map(),
    now: -Infinity,
    nextExpiry: Infinity,
  };
}

/** The step key of chain time `ts`. */
export const keyOf = (l: StepList, ts: number): number => (l.granularity === 1 ? ts : Math.floor(ts / l.granularity));

/** Every window of the list is empty. */
export const listEmpty = (l: StepList): boolean => l.heads[l.heads.length - 1] >= l.len;

/** Index (in the mark columns) of step i's first mark. */
const markStart = (l: StepList, i: number): number => (i < l.len ? l.steps[i * STRIDE + MARK0] - l.markBase : l.marks);

/** New capacity for columns holding `live` of `capacity`: shrink a cooled-down token's, else keep. */
const fitted = (live: number, capacity: number): number =>
  live * 4 < capacity ? Math.max(MIN_CAPACITY, 2 * live) : capacity;

/**
 * Move the live steps (from the last window's head on) to the front of columns of `capacity`
 * steps (new ones when it differs), renumbering by the dropped count.
 */
function compactSteps(l: StepList, capacity: number): void {
  const last = l.heads.length - 1;
  const dead = l.heads[last];
  if (capacity * STRIDE !== l.steps.length) {
    const steps = new Float64Array(capacity * STRIDE);
    steps.set(l.steps.subarray(dead * STRIDE, l.len * STRIDE));
    l.steps = steps;
  } else if (dead > 0) l.steps.copyWithin(0, dead * STRIDE, l.len * STRIDE);
  l.len -= dead;
  l.base += dead;
  for (let w = 0; w <= last; w++) l.heads[w] -= dead;
}

/** The same for the marks: the live ones are those of live steps. */
function compactMarks(l: StepList, capacity: number): void {
  const dead = markStart(l, l.heads[l.heads.length - 1]);
  const live = l.marks - dead;
  const withBuy = l.buyWindow >= 0;
  if (capacity !== l.markRec.length) {
    const rec = new Array<WalletRec | null>(capacity).fill(null);
    for (let j = 0; j < live; j++) rec[j] = l.markRec[dead + j];
    l.markRec = rec;
    if (withBuy) {
      const buy = new Float64Array(capacity);
      buy.set(l.markBuy.subarray(dead, l.marks));
      l.markBuy = buy;
    }
  } else if (dead > 0) {
    l.markRec.copyWithin(0, dead, l.marks);
    l.markRec.fill(null, live, l.marks);
    if (withBuy) l.markBuy.copyWithin(0, dead, l.marks);
  }
  l.marks = live;
  l.markBase += dead;
}

/** Take step h's trades out of window w. */
function expireStep(l: StepList, w: number, h: number): void {
  const a = l.aggs[w];
  const s = h * STRIDE;
  const st = l.steps;
  a.buyVol -= st[s + BUY_VOL];
  a.sellVol -= st[s + SELL_VOL];
  a.botVol -= st[s + BOT_VOL];
  a.dcaVol -= st[s + DCA_VOL];
  a.dcaBuyVol -= st[s + DCA_BUY_VOL];
  a.buyCnt -= st[s + BUY_CNT];
  a.sellCnt -= st[s + SELL_CNT];
  a.botTrades -= st[s + BOT_CNT];
  a.dcaTrades -= st[s + DCA_CNT];
  const seq = l.base + h;
  const last = w === l.heads.length - 1;
  const inBuyWindow = w === l.buyWindow;
  const end = markStart(l, h + 1);
  for (let j = markStart(l, h); j < end; j++) {
    const r = l.markRec[j] as WalletRec;
    if (r.lastBuy === seq) {
      a.buyers--;
      if (inBuyWindow) l.buyers.delete(r);
    }
    if (inBuyWindow) r.buyInWindow -= l.markBuy[j];
    if (r.lastSell === seq) a.sellers--;
    if (r.lastBot === seq) a.botWallets--;
    if (r.lastDca === seq) a.dcaWallets--;
    if (r.lastAny === seq) {
      a.wallets--;
      if (last) l.recs.delete(r.wallet);
    }
    // Out of every window now: let the record go with its last mark.
    if (last) l.markRec[j] = null;
  }
}

/**
 * Move the list's windows to chain time `ts` (never backwards), dropping steps that fell out.
 * Returns whether any window changed.
 */
export function advanceList(l: StepList, ts: number): boolean {
  const now = keyOf(l, ts);
  if (now <= l.now) return false;
  l.now = now;
  if (now < l.nextExpiry) return false;
  const { steps, len, lengths } = l;
  const nw = lengths.length;
  let changed = false;
  for (let w = 0; w < nw; w++) {
    const cutoff = now - lengths[w];
    let h = l.heads[w];
    if (h >= len || steps[h * STRIDE + KEY] > cutoff) continue;
    while (h < len && steps[h * STRIDE + KEY] <= cutoff) expireStep(l, w, h++);
    l.heads[w] = h;
    changed = true;
  }
  let next = Infinity;
  for (let w = 0; w < nw; w++) {
    const h = l.heads[w];
    if (h < len && steps[h * STRIDE + KEY] + lengths[w] < next) next = steps[h * STRIDE + KEY] + lengths[w];
  }
  l.nextExpiry = next;
  // Once the dead prefix dominates, drop it (shrinking the columns of a token that cooled down).
  const dead = l.heads[nw - 1];
  if (dead > 1024 && dead * 2 > len) {
    compactMarks(l, fitted(l.marks - markStart(l, dead), l.markRec.length));
    compactSteps(l, fitted(len - dead, l.steps.length / STRIDE));
  }
  return changed;
}

/** Append an empty step for key `key`, making room first: reuse the dead prefix when it is at least half, else double. */
function pushStep(l: StepList, key: number): void {
  const capacity = l.steps.length / STRIDE;
  if (l.len === capacity) compactSteps(l, l.heads[l.heads.length - 1] * 2 >= l.len ? capacity : 2 * capacity);
  const s = l.len * STRIDE;
  l.steps.fill(0, s, s + STRIDE);
  l.steps[s + KEY] = key;
  l.steps[s + MARK0] = l.markBase + l.marks;
  // Windows are nested: if the shortest one was empty the new step heads it (and maybe longer
  // ones), and it falls out of the shortest first; otherwise every head is older than it.
  if (l.heads[0] === l.len && key + l.lengths[0] < l.nextExpiry) l.nextExpiry = key + l.lengths[0];
  l.len++;
}

/** Append a mark for `r` in the newest step, making room as pushStep does. */
function pushMark(l: StepList, r: WalletRec): void {
  if (l.marks === l.markRec.length) {
    const dead = markStart(l, l.heads[l.heads.length - 1]);
    compactMarks(l, dead * 2 >= l.marks ? l.marks : 2 * l.marks);
  }
  l.markRec[l.marks] = r;
  if (l.buyWindow >= 0) l.markBuy[l.marks] = 0;
  r.mark = l.markBase + l.marks;
  l.marks++;
}

/** Add one trade at chain time `ts` (>= every earlier ts; advance the list to it first). */
export function addToList(l: StepList, ts: number, wallet: string, buy: boolean, sol: number, bot: boolean, dca: boolean): void {
  let r = l.recs.get(wallet);
  if (r === undefined) {
    r = { wallet, lastAny: -1, lastBuy: -1, lastSell: -1, lastBot: -1, lastDca: -1, mark: -1, buyInWindow: 0 };
    l.recs.set(wallet, r);
  }
  const key = keyOf(l, ts);
  if (l.len === 0 || l.steps[(l.len - 1) * STRIDE + KEY] !== key) pushStep(l, key);
  const i = l.len - 1;
  const seq = l.base + i;
  const nw = l.heads.length;
  for (let w = 0; w < nw; w++) {
    const a = l.aggs[w];
    // Sequence number of the window's oldest step (this one's, when it was empty before it).
    const head = l.base + l.heads[w];
    if (r.lastAny < head) a.wallets++;
    if (buy) {
      a.buyCnt++;
      a.buyVol += sol;
      if (r.lastBuy < head) {
        a.buyers++;
        if (w === l.buyWindow) l.buyers.add(r);
      }
    } else {
      a.sellCnt++;
      a.sellVol += sol;
      if (r.lastSell < head) a.sellers++;
    }
    if (bot) {
      a.botTrades++;
      a.botVol += sol;
      if (r.lastBot < head) a.botWallets++;
    }
    if (dca) {
      a.dcaTrades++;
      a.dcaVol += sol;
      if (buy) a.dcaBuyVol += sol;
      if (r.lastDca < head) a.dcaWallets++;
    }
  }
  if (r.lastAny !== seq) pushMark(l, r);
  const s = i * STRIDE;
  const st = l.steps;
  if (buy) {
    st[s + BUY_CNT]++;
    st[s + BUY_VOL] += sol;
    if (l.buyWindow >= 0) {
      l.markBuy[r.mark - l.markBase] += sol;
      r.buyInWindow += sol;
    }
    r.lastBuy = seq;
  } else {
    st[s + SELL_CNT]++;
    st[s + SELL_VOL] += sol;
    r.lastSell = seq;
  }
  if (bot) {
    st[s + BOT_CNT]++;
    st[s + BOT_VOL] += sol;
    r.lastBot = seq;
  }
  if (dca) {
    st[s + DCA_CNT]++;
    st[s + DCA_VOL] += sol;
    if (buy) st[s + DCA_BUY_VOL] += sol;
    r.lastDca = seq;
  }
  r.lastAny = seq;
}
