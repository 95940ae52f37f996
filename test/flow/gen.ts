/**
 * Deterministic synthetic trades for tests and the benchmark: a seeded PRNG, many mints with a
 * skewed popularity, many wallets, a few fast bots, DCA fills, USDC-quoted trades and injected
 * sandwiches. Not mainnet data: just realistic shapes and volumes.
 */
import { WSOL_MINT, type Trade } from '../../src/core/trade.js';
import { seededRandom } from '../support/rng.js';
import { BASE58_ALPHABET as B58 } from '../../src/core/decode/base58.js';

export const USDC_MINT = 'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v';

export const rng = seededRandom;

/** Flat strings, like JSON.parse gives (string concatenation would build slow ropes). */
export function b58(r: () => number, len = 44): string {
  const codes = new Array<number>(len);
  for (let i = 0; i < len; i++) codes[i] = B58.charCodeAt(Math.floor(r() * 58));
  return String.fromCharCode(...codes);
}

let counter = 0;
/** One trade with sensible defaults; override what the test is about. */
export function makeTrade(o: Partial<Trade> = {}): Trade {
  counter++;
  return {
    signature: o.signature ?? `sig${counter}`,
    slot: 1000,
    blockTime: 1_700_000_000,
    txIndex: 0,
    ixPath: '0.0',
    venue: 'pumpswap',
    programId: 'pAMMBay6oceH9fJKBRHGP5D4bD4sWpmSwMn52FMfXEA',
    pool: 'pool1',
    trader: 'wallet1',
    side: 'buy',
    baseMint: 'mint1',
    baseAmount: 1_000_000n,
    baseDecimals: 6,
    quoteMint: WSOL_MINT,
    quoteAmount: 1_000_000_000n,
    quoteDecimals: 9,
    solAmount: o.quoteMint && o.quoteMint !== WSOL_MINT ? null : (o.quoteAmount ?? 1_000_000_000n),
    router: null,
    platform: null,
    isDca: false,
    isLimitOrder: false,
    fee: null,
    feeMint: null,
    txFee: 5000,
    priorityFee: 0,
    jitoTip: 0,
    signer: o.trader ?? 'wallet1',
    ...o,
  };
}

export interface SynthOptions {
  seed?: number;
  trades: number;
  mints?: number;
  wallets?: number;
  /** Fraction of wallets that behave like bots (fast, fixed sizes). */
  botWalletShare?: number;
  startSlot?: number;
  startTime?: number;
  /** Average trades per slot. */
  tradesPerSlot?: number;
}

/** A stream in canonical order (slot, txIndex, ixPath). */
export function synthTrades(o: SynthOptions): Trade[] {
  const r = rng(o.seed ?? 1);
  const nMints = o.mints ?? 500;
  const nWallets = o.wallets ?? 5000;
  const mints = Array.from({ length: nMints }, () => b58(r));
  const pools = mints.map(() => b58(r));
  const wallets = Array.from({ length: nWallets }, () => b58(r));
  const botCut = Math.floor(nWallets * (o.botWalletShare ?? 0.02));
  const perSlot = o.tradesPerSlot ?? 8;
  const startSlot = o.startSlot ?? 300_000_000;
  const startTime = o.startTime ?? 1_735_000_000;
  const out: Trade[] = [];
  let slot = startSlot;
  let txIndex = 0;
  let inSlot = 0;
  let slotSize = 1 + Math.floor(r() * perSlot * 2);
  while (out.length < o.trades) {
    if (inSlot >= slotSize) {
      slot += 1 + (r() < 0.1 ? Math.floor(r() * 20) : 0);
      txIndex = 0;
      inSlot = 0;
      slotSize = 1 + Math.floor(r() * perSlot * 2);
    }
    const blockTime = startTime + Math.floor(((slot - startSlot) * 2) / 5);
    // Skewed popularity: a few hot mints, a long tail.
    const mi = Math.floor(nMints * r() ** 3);
    const isBot = r() < 0.25 && botCut > 0;
    const wi = isBot ? Math.floor(r() * botCut) : botCut + Math.floor(r() * (nWallets - botCut));
    const trader = wallets[wi];
    const side = r() < 0.55 ? 'buy' : 'sell';
    const usdc = r() < 0.03;
    const dca = !usdc && r() < 0.02;
    const lamports = isBot ? BigInt(100_000_000 * (1 + (wi % 3))) : BigInt(Math.floor(1e7 + r() ** 2 * 5e10));
    const quoteAmount = usdc ? BigInt(Math.floor(1e6 + r() * 1e9)) : lamports;
    const ixCount = r() < 0.1 ? 2 : 1;
    const signature = b58(r, 88);
    for (let k = 0; k < ixCount && out.length < o.trades; k++) {
      out.push({
        signature,
        slot,
        blockTime,
        txIndex,
        ixPath: `${k}.${k === 0 ? 0 : 2}`,
        venue: 'pumpswap',
        programId: 'pAMMBay6oceH9fJKBRHGP5D4bD4sWpmSwMn52FMfXEA',
        pool: pools[mi],
        trader,
        side,
        baseMint: mints[mi],
        baseAmount: BigInt(Math.floor(1e6 + r() * 1e12)),
        baseDecimals: 6,
        quoteMint: usdc ? USDC_MINT : WSOL_MINT,
        quoteAmount,
        quoteDecimals: usdc ? 6 : 9,
        solAmount: usdc ? null : quoteAmount,
        router: r() < 0.3 ? 'jupiter-v6' : null,
        platform: r() < 0.2 ? 'photon' : null,
        isDca: dca,
        isLimitOrder: false,
        fee: r() < 0.5 ? BigInt(Math.floor(r() * 1e6)) : null,
        feeMint: WSOL_MINT,
        txFee: 5000 + Math.floor(r() * 100000),
        priorityFee: isBot ? 5_000_000 : Math.floor(r() * 200_000),
        jitoTip: isBot && r() < 0.5 ? 1_000_000 : 0,
        signer: dca ? 'DCAKuApAuZtVNYLk3KTAVW9GLWVvPbnb5CxxRRmVgcTr' : trader,
      });
    }
    txIndex += 1 + Math.floor(r() * 3);
    inSlot++;
  }
  return out;
}

/** Fisher-Yates with the seeded PRNG. */
export function shuffle<T>(xs: readonly T[], seed: number): T[] {
  const r = rng(seed);
  const a = xs.slice();
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}
