/**
 * From stored swap legs to what the wallet did per transaction.
 *
 * The trades table keeps one row per hop, so a Jupiter route SOL → USDC → TOKEN is two legs: a
 * "buy" of USDC and a "buy" of TOKEN with USDC. Read leg by leg, that wallet would hold USDC it
 * never had and a TOKEN position priced in USDC, and its SOL in/out and trade sizes would count
 * every hop. A swap is what the wallet gave and what it got in one transaction; the hops in
 * between are the route. So, per transaction, net every mint over the wallet's legs:
 *
 *  - a mint that nets to zero is a route hop and is no trade of the wallet's;
 *  - route dust: a token (not a quote asset) the wallet both received and paid out in the
 *    transaction, left over at most DUST_PERMILLE/1000 of what it received (a split route's
 *    remainder), is a hop as well: no position is opened for a few leftover units;
 *  - one token left and a quote asset moved the other way: one buy or sell of that token,
 *    priced in the most "quote" of those assets (SOL before USDC before USDT …);
 *  - only quote assets left, two of them in opposite directions: a quote↔quote conversion, read
 *    as a buy or sell of the less quote-like one (USDC bought with SOL), as the decoder orients
 *    such a leg;
 *  - several tokens left (a bundle of separate buys, or token A → SOL → token B): each token's
 *    own legs, netted, against the one quote asset they all trade in — A sold for the SOL its
 *    legs yielded, B bought for the SOL its legs paid, whatever hops lie between;
 *  - anything else (a token whose legs trade against another token or several quote assets,
 *    arbitrage loops that end where they started): not priced. Counted and listed, kept out of
 *    positions rather than guessed at.
 *
 * Swaps are also what the wallet's summary (buys, sells, SOL in/out) and behaviour (typical
 * trade size) count, so hops never show as the wallet's own trades anywhere in analyze.
 */
import type { Swap, UnpricedTx, WalletTrade } from './types.js';

export interface SwapsResult {
  swaps: Swap[];
  unpriced: UnpricedTx[];
}

/** Legs in canonical order (compareTrades) → swaps in the same order. */
export function toSwaps(legs: readonly WalletTrade[], quoteRank: ReadonlyMap<string, number>): SwapsResult {
  const swaps: Swap[] = [];
  const unpriced: UnpricedTx[] = [];
  for (const group of bySignature(legs)) {
    const r = readTransaction(group, quoteRank);
    if ('reason' in r) unpriced.push(r);
    else swaps.push(...r);
  }
  return { swaps, unpriced };
}

/** Canonical order keeps a transaction's legs together (same slot, same position in it). */
function bySignature(legs: readonly WalletTrade[]): WalletTrade[][] {
  const groups: WalletTrade[][] = [];
  let current: WalletTrade[] | null = null;
  for (const t of legs) {
    if (current && current[0].signature === t.signature) current.push(t);
    else groups.push((current = [t]));
  }
  return groups;
}

function legSwap(t: WalletTrade): Swap {
  return {
    signature: t.signature,
    slot: t.slot,
    blockTime: t.blockTime,
    side: t.side,
    mint: t.baseMint,
    baseAmount: t.baseAmount,
    baseDecimals: t.baseDecimals,
    quoteMint: t.quoteMint,
    quoteAmount: t.quoteAmount,
    quoteDecimals: t.quoteDecimals,
    isDca: t.isDca,
  };
}

interface Flow {
  mint: string;
  delta: bigint;
  decimals: number;
}

/** A token left over at most this many thousandths of what it brought in is route dust. */
export const DUST_PERMILLE = 10n;

function readTransaction(legs: WalletTrade[], quoteRank: ReadonlyMap<string, number>): Swap[] | UnpricedTx {
  const first = legs[0];
  const unpriced = (reason: string): UnpricedTx => ({ signature: first.signature, slot: first.slot, blockTime: first.blockTime, reason });
  const isQuote = (mint: string) => quoteRank.has(mint);
  if (legs.length === 1) return isQuote(first.quoteMint) ? [legSwap(first)] : unpriced('token-to-token trade');

  const flows = netFlows(legs);
  const moved = [...flows.values()].filter((f) => f.delta !== 0n && !(isQuote(f.mint) ? false : isDust(f)));
  const tokens = moved.filter((f) => !isQuote(f.mint));
  const quotes = moved.filter((f) => isQuote(f.mint)).sort((a, b) => quoteRank.get(a.mint)! - quoteRank.get(b.mint)!);
  const isDca = legs.some((t) => t.isDca);
  const swap = (base: Flow, quote: Flow): Swap => ({
    signature: first.signature,
    slot: first.slot,
    blockTime: first.blockTime,
    side: base.delta > 0n ? 'buy' : 'sell',
    mint: base.mint,
    baseAmount: abs(base.delta),
    baseDecimals: base.decimals,
    quoteMint: quote.mint,
    quoteAmount: abs(quote.delta),
    quoteDecimals: quote.decimals,
    isDca,
  });

  if (tokens.length === 1) {
    const token = tokens[0];
    const against = quotes.find((q) => q.delta > 0n !== token.delta > 0n);
    return against ? [swap(token, against)] : unpriced('no quote asset paid or received for the token');
  }
  if (tokens.length === 0) {
    if (quotes.length === 2 && quotes[0].delta > 0n !== quotes[1].delta > 0n) return [swap(quotes[1], quotes[0])];
    if (quotes.length === 0) return unpriced('legs net to nothing');
    return unpriced(quotes.length === 1 ? 'a loop back to the asset it started from (arbitrage)' : 'quote assets only, no clear pair');
  }
  // Several tokens: each priced by its own legs, which must all trade it against one quote asset.
  const out: Swap[] = [];
  for (const token of tokens) {
    const own = legs.filter((t) => t.baseMint === token.mint || t.quoteMint === token.mint);
    const quoteMints = new Set(own.map((t) => (t.baseMint === token.mint ? t.quoteMint : t.baseMint)));
    if (quoteMints.size !== 1 || !isQuote([...quoteMints][0])) return unpriced('several tokens traded against each other');
    const quote = netFlows(own).get([...quoteMints][0])!;
    if (quote.delta === 0n || quote.delta > 0n === token.delta > 0n) return unpriced('several tokens traded against each other');
    out.push(swap(token, quote));
  }
  return out;
}

interface NetFlow extends Flow {
  /** Everything the legs brought in of this mint (positive). */
  gross: bigint;
}

function netFlows(legs: readonly WalletTrade[]): Map<string, NetFlow> {
  const flows = new Map<string, NetFlow>();
  // Native SOL is stored as the WSOL mint, so SOL and WSOL already net against each other.
  const add = (mint: string, delta: bigint, decimals: number) => {
    let f = flows.get(mint);
    if (!f) flows.set(mint, (f = { mint, delta: 0n, decimals, gross: 0n }));
    f.delta += delta;
    if (delta > 0n) f.gross += delta;
  };
  for (const t of legs) {
    const sign = t.side === 'buy' ? 1n : -1n;
    add(t.baseMint, sign * t.baseAmount, t.baseDecimals);
    add(t.quoteMint, -sign * t.quoteAmount, t.quoteDecimals);
  }
  return flows;
}

/** Received and paid out in one transaction, with only a sliver of what came in left over. */
function isDust(f: NetFlow): boolean {
  const paidOut = f.gross - f.delta;
  return f.gross > 0n && paidOut > 0n && abs(f.delta) * 1000n <= f.gross * DUST_PERMILLE;
}

const abs = (x: bigint) => (x < 0n ? -x : x);
