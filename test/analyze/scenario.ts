/**
 * A constructed wallet history with every PnL figure worked out by hand (in the comments), used
 * by the core tests and by the CLI tests (stored through the real pipeline first).
 */
import { PublicKey } from '@solana/web3.js';
import { WSOL_MINT, type Trade } from '../../src/core/trade.js';
import type { ClassifiedTrade } from '../../src/core/flow/types.js';
import { makeTrade } from '../flow/gen.js';

export const USDC = 'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v';

/** A valid address from one byte value (the CLI checks addresses). */
export const addr = (n: number) => new PublicKey(new Uint8Array(32).fill(n)).toBase58();
/** A unique 88-character base58 string standing in for a signature. */
export const sig = (n: number) => `${n}`.replace(/0/g, 'o').padStart(8, 'z') + 'S'.repeat(80);

export const W = addr(7);
export const OTHER = addr(8);
export const A = addr(11);
export const B = addr(12);
export const C = addr(13);
export const D = addr(14);
export const E = addr(15);
export const F = addr(16);
export const G = addr(17);
export const H = addr(18);

export const T0 = 1_700_000_000;
const SOL = 1_000_000_000n;
const TOKEN = 1_000_000n; // 6 decimals

let n = 0;
function trade(o: Partial<Trade> & { blockTime: number; side: 'buy' | 'sell'; baseMint: string; baseAmount: bigint; quoteAmount: bigint }): Trade {
  n++;
  const quoteMint = o.quoteMint ?? WSOL_MINT;
  return makeTrade({
    signature: sig(n),
    slot: 250_000_000 + (o.blockTime - T0) * 2,
    ixPath: '2.0',
    pool: `pool-${o.baseMint.slice(0, 6)}-${quoteMint.slice(0, 4)}`,
    trader: W,
    signer: o.trader ?? W,
    quoteDecimals: quoteMint === WSOL_MINT ? 9 : 6,
    ...o,
  });
}

/**
 * Token A, SOL:  buy 100 for 1 SOL (t0), buy 100 for 3 SOL (t0+100), sell 50 for 2.5 (t0+200),
 *                sell 100 for 4 (t0+300); another wallet buys 10 for 0.5 at t0+400 (last price
 *                0.05 SOL per A, so the 50 still held are worth 2.5 SOL).
 *   avg:  cost/unit 0.02 → sell 1 realizes 2.5 − 1.0 = 1.5; held 150 cost 3.0 → sell 2 takes
 *         2.0, realizes 2.0. Realized 3.5, open cost 1.0, unrealized 2.5 − 1.0 = 1.5.
 *   fifo: sell 1 takes 50 of lot 1 (0.5) → 2.0; sell 2 takes 50 of lot 1 (0.5) + 50 of lot 2
 *         (1.5) → 2.0. Realized 4.0, open cost 1.5, unrealized 1.0. Both total 5.0.
 *         Hold: lot 1 pieces 200 s and 300 s, lot 2 piece 200 s → (200+300+200)/3 s.
 * Token B, SOL:  sell 10 with no buy for 1 SOL → flagged, out of the win rate, no realized PnL.
 * Token C, SOL:  buy 10 for 2, sell 10 for 0.5 thirty seconds later → −1.5 (−75%, "<-50%"), fast close.
 * Token D, SOL:  buy 10 for 1, sell 10 for 7 two days later → +6 (+600%, ">5x").
 * Token E, SOL:  buy 10 for 1, sell 10 for 0.8 → −0.2 (−20%, "-50–0%").
 * Token F, USDC: buy 10 for 5 USDC, sell 10 for 6 USDC → +1 USDC, its own totals row.
 * Token G, route SOL → USDC → G in one transaction: one buy of 1000 G for 0.1 SOL (no USDC
 *                position); G never trades against SOL, so it has no price (unrealized null).
 * Token H, SOL:  buy 10 for 1 and sell 10 for 1.1 in the same slot, two transactions → +0.1,
 *                a same-slot round trip and a fast close ("0–2x").
 * SOL totals: realized avg 3.5 − 1.5 + 6 − 0.2 + 0.1 = 7.9, fifo 8.4; unrealized avg 1.5, fifo 1.0.
 * Closed (win rate): C, D, E, H → 2 wins of 4.
 */
export function scenario(): Trade[] {
  n = 0;
  return [
    trade({ blockTime: T0, side: 'buy', baseMint: A, baseAmount: 100n * TOKEN, quoteAmount: 1n * SOL }),
    trade({ blockTime: T0 + 100, side: 'buy', baseMint: A, baseAmount: 100n * TOKEN, quoteAmount: 3n * SOL }),
    trade({ blockTime: T0 + 200, side: 'sell', baseMint: A, baseAmount: 50n * TOKEN, quoteAmount: (5n * SOL) / 2n }),
    trade({ blockTime: T0 + 300, side: 'sell', baseMint: A, baseAmount: 100n * TOKEN, quoteAmount: 4n * SOL }),
    trade({ blockTime: T0 + 400, side: 'buy', baseMint: A, baseAmount: 10n * TOKEN, quoteAmount: SOL / 2n, trader: OTHER }),
    trade({ blockTime: T0 + 500, side: 'sell', baseMint: B, baseAmount: 10n * TOKEN, quoteAmount: SOL }),
    trade({ blockTime: T0 + 600, side: 'buy', baseMint: C, baseAmount: 10n * TOKEN, quoteAmount: 2n * SOL }),
    trade({ blockTime: T0 + 630, side: 'sell', baseMint: C, baseAmount: 10n * TOKEN, quoteAmount: SOL / 2n }),
    trade({ blockTime: T0 + 700, side: 'buy', baseMint: D, baseAmount: 10n * TOKEN, quoteAmount: SOL }),
    trade({ blockTime: T0 + 800, side: 'buy', baseMint: E, baseAmount: 10n * TOKEN, quoteAmount: SOL }),
    trade({ blockTime: T0 + 900, side: 'sell', baseMint: E, baseAmount: 10n * TOKEN, quoteAmount: (8n * SOL) / 10n }),
    trade({ blockTime: T0 + 1000, side: 'buy', baseMint: F, baseAmount: 10n * TOKEN, quoteMint: USDC, quoteAmount: 5n * TOKEN }),
    trade({ blockTime: T0 + 1100, side: 'sell', baseMint: F, baseAmount: 10n * TOKEN, quoteMint: USDC, quoteAmount: 6n * TOKEN }),
    // The route: two legs of one transaction.
    trade({ blockTime: T0 + 1200, side: 'buy', baseMint: USDC, baseAmount: 20n * TOKEN, quoteAmount: SOL / 10n, signature: sig(900), ixPath: '3.1', router: 'jupiter-v6', platform: 'jupiter' }),
    trade({ blockTime: T0 + 1200, side: 'buy', baseMint: G, baseAmount: 1000n * TOKEN, quoteMint: USDC, quoteAmount: 20n * TOKEN, signature: sig(900), ixPath: '3.2', router: 'jupiter-v6', platform: 'jupiter' }),
    trade({ blockTime: T0 + 1300, slot: 250_009_999, txIndex: 1, side: 'buy', baseMint: H, baseAmount: 10n * TOKEN, quoteAmount: SOL }),
    trade({ blockTime: T0 + 1300, slot: 250_009_999, txIndex: 2, side: 'sell', baseMint: H, baseAmount: 10n * TOKEN, quoteAmount: (11n * SOL) / 10n }),
    trade({ blockTime: T0 + 2 * 86_400, side: 'sell', baseMint: D, baseAmount: 10n * TOKEN, quoteAmount: 7n * SOL }),
  ];
}

export const classified = (ts: Trade[]): ClassifiedTrade[] => ts.map((t) => ({ ...t, isBot: false, botReasons: [] }));

export const lamports = (sol: string) => {
  const [i, f = ''] = sol.replace('-', '').split('.');
  const v = BigInt(i) * 1_000_000_000n + BigInt((f + '000000000').slice(0, 9));
  return sol.startsWith('-') ? -v : v;
};
