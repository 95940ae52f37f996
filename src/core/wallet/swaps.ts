/**
 * From stored swap legs to what the wallet did per transaction.
 *
 * The trades table keeps one row per hop, so a Jupiter route SOL → USDC → TOKEN is two legs: a
 * "buy" of USDC and a "buy" of TOKEN with USDC. Read leg by leg, that wallet would hold USDC it
 * never had and a TOKEN position priced in USDC. PnL needs the user's view: per transaction,
 * net every mint the wallet gave and got, and read the result:
 *
 *  - one token (not a quote asset) moved and a quote asset moved the other way: one buy or sell
 *    of that token, priced in the most "quote" of those assets (SOL before USDC before USDT …);
 *  - only quote assets moved, two of them in opposite directions: a buy or sell of the less
 *    quote-like one (USDC bought with SOL), as the decoder orients such a leg;
 *  - several tokens moved and every leg is quoted in a quote asset (a bundle of separate
 *    buys): each leg on its own;
 *  - anything else (token-to-token trades, arbitrage loops that end where they started): not
 *    priced. Counted and listed, kept out of positions rather than guessed at.
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

function readTransaction(legs: WalletTrade[], quoteRank: ReadonlyMap<string, number>): Swap[] | UnpricedTx {
  const first = legs[0];
  const unpriced = (reason: string): UnpricedTx => ({ signature: first.signature, slot: first.slot, blockTime: first.blockTime, reason });
  const isQuote = (mint: string) => quoteRank.has(mint);
  if (legs.length === 1) return isQuote(first.quoteMint) ? [legSwap(first)] : unpriced('token-to-token trade');

  const flows = new Map<string, Flow>();
  // Native SOL is stored as the WSOL mint, so SOL and WSOL already net against each other.
  const add = (mint: string, delta: bigint, decimals: number) => {
    const f = flows.get(mint);
    if (f) f.delta += delta;
    else flows.set(mint, { mint, delta, decimals });
  };
  for (const t of legs) {
    const sign = t.side === 'buy' ? 1n : -1n;
    add(t.baseMint, sign * t.baseAmount, t.baseDecimals);
    add(t.quoteMint, -sign * t.quoteAmount, t.quoteDecimals);
  }
  const moved = [...flows.values()].filter((f) => f.delta !== 0n);
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
  if (legs.every((t) => isQuote(t.quoteMint))) return legs.map(legSwap);
  return unpriced('several tokens traded against each other');
}

const abs = (x: bigint) => (x < 0n ? -x : x);
