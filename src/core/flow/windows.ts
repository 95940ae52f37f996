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

interface Entry {
  seq: number;
  ts: number;
  rec: WalletRec;
  buy: boolean;
  sol: number;
  bot: boolean;
  dca: boolean;
}

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
  entries: Entry[];
  heads: number[];
  aggs: Agg[];
  recs: Map<string, WalletRec>;
  /** Wallets with a buy inside the 5m window (for the buyer-concentration signal). */
  buyers5m: Set<WalletRec>;
  nextSeq: number;
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
    entries: [],
    heads: new Array<number>(NW).fill(0),
    aggs: Array.from({ length: NW }, newAgg),
    recs: new Map(),
    buyers5m: new Set(),
    nextSeq: 0,
    now: -Infinity,
    nextExpiry: Infinity,
    changed: false,
  };
}

export const isEmpty = (t: TokenWindows): boolean => t.heads[NW - 1] >= t.entries.length;

function seqAt(t: TokenWindows, w: number): number {
  const h = t.heads[w];
  return h < t.entries.length ? t.entries[h].seq : t.nextSeq;
}

/** Move the windows to `now` (never backwards), dropping entries that fell out. */
export function advance(t: TokenWindows, now: number): void {
  if (now <= t.now) return;
  t.now = now;
  if (now < t.nextExpiry) return;
  const entries = t.entries;
  for (let w = 0; w < NW; w++) {
    const cutoff = now - W_SECONDS[w];
    let h = t.heads[w];
    if (h >= entries.length || entries[h].ts > cutoff) continue;
    const a = t.aggs[w];
    const last = w === NW - 1;
    while (h < entries.length && entries[h].ts <= cutoff) {
      const e = entries[h];
      const r = e.rec;
      if (e.buy) {
        a.buyCnt--;
        a.buyVol -= e.sol;
        if (r.lastBuy === e.seq) {
          a.buyers--;
          if (w === W5M) t.buyers5m.delete(r);
        }
        if (w === W5M) r.buy5m -= e.sol;
      } else {
        a.sellCnt--;
        a.sellVol -= e.sol;
        if (r.lastSell === e.seq) a.sellers--;
      }
      if (e.bot) {
        a.botTrades--;
        a.botVol -= e.sol;
        if (r.lastBot === e.seq) a.botWallets--;
      }
      if (e.dca) {
        a.dcaTrades--;
        a.dcaVol -= e.sol;
        if (e.buy) a.dcaBuyVol -= e.sol;
        if (r.lastDca === e.seq) a.dcaWallets--;
      }
      if (r.lastAny === e.seq) {
        a.wallets--;
        if (last) t.recs.delete(r.wallet);
      }
      h++;
    }
    t.heads[w] = h;
    t.changed = true;
  }
  let next = Infinity;
  for (let w = 0; w < NW; w++) {
    const h = t.heads[w];
    if (h < entries.length && entries[h].ts + W_SECONDS[w] < next) next = entries[h].ts + W_SECONDS[w];
  }
  t.nextExpiry = next;
  // Compact once the dead prefix dominates, so the array does not grow forever.
  const dead = t.heads[NW - 1];
  if (dead > 1024 && dead * 2 > entries.length) {
    t.entries = entries.slice(dead);
    for (let w = 0; w < NW; w++) t.heads[w] -= dead;
  }
}

/** Add one trade at time `ts` (>= every earlier ts; call advance(ts) first). */
export function add(t: TokenWindows, ts: number, wallet: string, buy: boolean, sol: number, bot: boolean, dca: boolean): void {
  let r = t.recs.get(wallet);
  if (r === undefined) {
    r = { wallet, lastAny: -1, lastBuy: -1, lastSell: -1, lastBot: -1, lastDca: -1, buy5m: 0 };
    t.recs.set(wallet, r);
  }
  const seq = t.nextSeq++;
  for (let w = 0; w < NW; w++) {
    const a = t.aggs[w];
    const head = seqAt(t, w);
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
  if (t.heads[0] === t.entries.length && ts + W_SECONDS[0] < t.nextExpiry) t.nextExpiry = ts + W_SECONDS[0];
  t.entries.push({ seq, ts, rec: r, buy, sol, bot, dca });
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
