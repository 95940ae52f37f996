/**
 * Rolling windows of one token: exact sums and distinct-wallet counts over (now - W, now] for
 * every W in WINDOWS, updated in O(windows) per trade.
 *
 * One time-ordered list of entries is shared by all windows; each window keeps the index of its
 * oldest entry and moves it forward as the chain clock advances (expire). Distinct counts avoid
 * per-window sets: a wallet's record remembers the sequence number of its latest entry of each
 * kind (any, buy, sell, bot, dca); the wallet is inside window W iff that entry is, so it is
 * counted when a new entry finds its previous one already outside W, and uncounted when the entry
 * that leaves W is its latest. Memory is one entry per trade of the last 4 hours plus one record
 * per wallet active in them; an idle token empties completely and is evicted by the engine.
 *
 * Entries are columns (typed arrays for time, SOL and kind, one array of wallet records) rather
 * than an object per trade: ~25 bytes per trade of the last 4 hours instead of ~90, nothing for
 * the garbage collector to trace or move, and expiry reads times without chasing pointers.
 *
 * Volumes are lamports in `number` (exact below 2^53). A trade without a SOL quote adds to
 * counts and wallets, never to volumes.
 */
import { WINDOWS, type WindowMetrics, type WindowName } from './types.js';

const NW = WINDOWS.length;
const W_SECONDS = WINDOWS.map((w) => w.seconds);
/** Index of the 5m window: FOCUSED_BUYERS needs per-wallet buy volume there. */
export const W5M = WINDOWS.findIndex((w) => w.name === '5m');
export const windowIndex = (name: WindowName): number => WINDOWS.findIndex((w) => w.name === name);

export interface WalletRec {
  wallet: string;
  lastAny: number;
  lastBuy: number;
  lastSell: number;
  lastBot: number;
  lastDca: number;
  /** Lamports bought in the 5m window. */
  buy5m: number;
}

/** Bits of an entry's kind. */
const BUY = 1;
const BOT = 2;
const DCA = 4;
const MIN_CAPACITY = 8;

export interface Agg {
  buyVol: number;
  sellVol: number;
  buyCnt: number;
  sellCnt: number;
  botVol: number;
  botTrades: number;
  dcaVol: number;
  dcaBuyVol: number;
  dcaTrades: number;
  wallets: number;
  buyers: number;
  sellers: number;
  botWallets: number;
  dcaWallets: number;
}

const newAgg = (): Agg => ({
  buyVol: 0, sellVol: 0, buyCnt: 0, sellCnt: 0, botVol: 0, botTrades: 0, dcaVol: 0, dcaBuyVol: 0, dcaTrades: 0,
  wallets: 0, buyers: 0, sellers: 0, botWallets: 0, dcaWallets: 0,
});

export interface TokenWindows {
  mint: string;
  /**
   * Entries in time order, as columns; entry i (0 <= i < len) has sequence number base + i.
   * Entries below heads[last window] have left every window (kept until compaction).
   */
  ts: Float64Array;
  sol: Float64Array;
  kind: Uint8Array;
  rec: (WalletRec | null)[];
  len: number;
  base: number;
  /** Per window, the index of its oldest entry (len when the window is empty). */
  heads: number[];
  aggs: Agg[];
  recs: Map<string, WalletRec>;
  /** Wallets with a buy inside the 5m window (for the buyer-concentration signal). */
  buyers5m: Set<WalletRec>;
  /** Time the windows were last advanced to. */
  now: number;
  /**
   * The earliest time at which some window's oldest entry falls out (its time + the window's
   * length; Infinity when empty): until then advance() only moves `now`, touching no entry.
   */
  nextExpiry: number;
  /** Something changed since the last snapshot was taken. */
  changed: boolean;
}

export function newTokenWindows(mint: string): TokenWindows {
  return {
    mint,
    ts: new Float64Array(MIN_CAPACITY),
    sol: new Float64Array(MIN_CAPACITY),
    kind: new Uint8Array(MIN_CAPACITY),
    rec: new Array<WalletRec | null>(MIN_CAPACITY).fill(null),
    len: 0,
    base: 0,
    heads: new Array<number>(NW).fill(0),
    aggs: Array.from({ length: NW }, newAgg),
    recs: new Map(),
    buyers5m: new Set(),
    now: -Infinity,
    nextExpiry: Infinity,
    changed: false,
  };
}

export const isEmpty = (t: TokenWindows): boolean => t.heads[NW - 1] >= t.len;

/**
 * Move the live entries (from the last window's head on) to the front, into columns of
 * `capacity` (new ones when it differs), renumbering by the dropped count.
 */
function compact(t: TokenWindows, capacity: number): void {
  const dead = t.heads[NW - 1];
  const live = t.len - dead;
  if (capacity !== t.ts.length) {
    const ts = new Float64Array(capacity);
    const sol = new Float64Array(capacity);
    const kind = new Uint8Array(capacity);
    ts.set(t.ts.subarray(dead, t.len));
    sol.set(t.sol.subarray(dead, t.len));
    kind.set(t.kind.subarray(dead, t.len));
    const rec = new Array<WalletRec | null>(capacity).fill(null);
    for (let i = 0; i < live; i++) rec[i] = t.rec[dead + i];
    t.ts = ts;
    t.sol = sol;
    t.kind = kind;
    t.rec = rec;
  } else if (dead > 0) {
    t.ts.copyWithin(0, dead, t.len);
    t.sol.copyWithin(0, dead, t.len);
    t.kind.copyWithin(0, dead, t.len);
    t.rec.copyWithin(0, dead, t.len);
    t.rec.fill(null, live, t.len);
  }
  t.len = live;
  t.base += dead;
  for (let w = 0; w < NW; w++) t.heads[w] -= dead;
}

/** Move the windows to `now` (never backwards), dropping entries that fell out. */
export function advance(t: TokenWindows, now: number): void {
  if (now <= t.now) return;
  t.now = now;
  if (now < t.nextExpiry) return;
  const { ts, sol, kind, rec, len, base } = t;
  for (let w = 0; w < NW; w++) {
    const cutoff = now - W_SECONDS[w];
    let h = t.heads[w];
    if (h >= len || ts[h] > cutoff) continue;
    const a = t.aggs[w];
    const last = w === NW - 1;
    while (h < len && ts[h] <= cutoff) {
      const seq = base + h;
      const r = rec[h] as WalletRec;
      const k = kind[h];
      const v = sol[h];
      if (k & BUY) {
        a.buyCnt--;
        a.buyVol -= v;
        if (r.lastBuy === seq) {
          a.buyers--;
          if (w === W5M) t.buyers5m.delete(r);
        }
        if (w === W5M) r.buy5m -= v;
      } else {
        a.sellCnt--;
        a.sellVol -= v;
        if (r.lastSell === seq) a.sellers--;
      }
      if (k & BOT) {
        a.botTrades--;
        a.botVol -= v;
        if (r.lastBot === seq) a.botWallets--;
      }
      if (k & DCA) {
        a.dcaTrades--;
        a.dcaVol -= v;
        if (k & BUY) a.dcaBuyVol -= v;
        if (r.lastDca === seq) a.dcaWallets--;
      }
      if (r.lastAny === seq) {
        a.wallets--;
        if (last) t.recs.delete(r.wallet);
      }
      // Out of every window now: let the record go with its last entry.
      if (last) rec[h] = null;
      h++;
    }
    t.heads[w] = h;
    t.changed = true;
  }
  let next = Infinity;
  for (let w = 0; w < NW; w++) {
    const h = t.heads[w];
    if (h < len && ts[h] + W_SECONDS[w] < next) next = ts[h] + W_SECONDS[w];
  }
  t.nextExpiry = next;
  // Once the dead prefix dominates, drop it (shrinking the columns of a token that cooled down).
  const dead = t.heads[NW - 1];
  if (dead > 1024 && dead * 2 > len) {
    const live = len - dead;
    compact(t, live * 4 < t.ts.length ? Math.max(MIN_CAPACITY, 2 * live) : t.ts.length);
  }
}

/** Add one trade at time `ts` (>= every earlier ts; call advance(ts) first). */
export function add(t: TokenWindows, ts: number, wallet: string, buy: boolean, sol: number, bot: boolean, dca: boolean): void {
  let r = t.recs.get(wallet);
  if (r === undefined) {
    r = { wallet, lastAny: -1, lastBuy: -1, lastSell: -1, lastBot: -1, lastDca: -1, buy5m: 0 };
    t.recs.set(wallet, r);
  }
  if (t.len === t.ts.length) {
    // Full: reuse the dead prefix when it is at least half, else double.
    const dead = t.heads[NW - 1];
    compact(t, dead * 2 >= t.len ? t.ts.length : 2 * t.ts.length);
  }
  const i = t.len;
  const seq = t.base + i;
  for (let w = 0; w < NW; w++) {
    const a = t.aggs[w];
    // Sequence number of the window's oldest entry (or of this one, when it is empty).
    const head = t.base + t.heads[w];
    if (r.lastAny < head) a.wallets++;
    if (buy) {
      a.buyCnt++;
      a.buyVol += sol;
      if (r.lastBuy < head) {
        a.buyers++;
        if (w === W5M) t.buyers5m.add(r);
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
  r.lastAny = seq;
  if (buy) {
    r.lastBuy = seq;
    r.buy5m += sol;
  } else r.lastSell = seq;
  if (bot) r.lastBot = seq;
  if (dca) r.lastDca = seq;
  // Windows are nested: if the shortest one was empty the new entry heads it (and maybe longer
  // ones), and it falls out of the shortest first; otherwise every head is older than it.
  if (t.heads[0] === i && ts + W_SECONDS[0] < t.nextExpiry) t.nextExpiry = ts + W_SECONDS[0];
  t.ts[i] = ts;
  t.sol[i] = sol;
  t.kind[i] = (buy ? BUY : 0) | (bot ? BOT : 0) | (dca ? DCA : 0);
  t.rec[i] = r;
  t.len = i + 1;
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
