/**
 * What a wallet did per transaction, read from real routed transactions (Jupiter, OKX, Raydium
 * route) as the decoder stores them: the intermediate hops are the route, not the wallet's
 * trades. Every expected swap is checked against the transaction's own balance changes for the
 * wallet (pre/post token balances, lamports), quoted in the comments.
 */
import { describe, expect, it } from 'vitest';
import { decodeTransaction } from '../../src/core/decode/index.js';
import { defaultLabels } from '../../src/core/labels.js';
import { WSOL_MINT, compareTrades, type Trade } from '../../src/core/trade.js';
import { analyzeWallet, toSwaps } from '../../src/core/wallet/index.js';
import { loadTx, sig } from '../decode/support.js';

const USDC = 'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v';
const USDT = 'Es9vMFrzaCERmJfrF4H2FYD4KCoNkY11McCe8BenwNYB';

function legsOf(prefix: string): Trade[] {
  const trades = decodeTransaction(loadTx(sig(prefix)));
  const trader = trades.length ? trades[trades.length - 1].trader : '';
  return trades.filter((t) => t.trader === trader).sort(compareTrades);
}

/** The wallet's balance change per mint from the transaction itself (SOL: lamports + WSOL, fee added back). */
function chainChanges(prefix: string, owner: string): Map<string, bigint> {
  const raw = loadTx(sig(prefix)) as any;
  const out = new Map<string, bigint>();
  const add = (mint: string, d: bigint) => out.set(mint, (out.get(mint) ?? 0n) + d);
  for (const b of raw.meta.postTokenBalances ?? []) if (b.owner === owner) add(b.mint, BigInt(b.uiTokenAmount.amount));
  for (const b of raw.meta.preTokenBalances ?? []) if (b.owner === owner) add(b.mint, -BigInt(b.uiTokenAmount.amount));
  const keys = [
    ...raw.transaction.message.accountKeys.map((k: any) => (typeof k === 'string' ? k : k.pubkey)),
    ...(raw.meta.loadedAddresses?.writable ?? []),
    ...(raw.meta.loadedAddresses?.readonly ?? []),
  ];
  const i = keys.indexOf(owner);
  if (i >= 0) add(WSOL_MINT, BigInt(raw.meta.postBalances[i]) - BigInt(raw.meta.preBalances[i]) + (i === 0 ? BigInt(raw.meta.fee) : 0n));
  return out;
}

const short = (s: { side: string; mint: string; baseAmount: bigint; quoteMint: string; quoteAmount: bigint }) =>
  `${s.side} ${s.mint.slice(0, 4)} ${s.baseAmount} for ${s.quoteMint.slice(0, 4)} ${s.quoteAmount}`;

/**
 * Expected swap per transaction. Amounts are the decoder's legs; where the chain differs it is
 * by the router's fee taken from the input or output outside the pools (noted), never by a hop.
 */
const CASES: Array<{ prefix: string; route: string; swaps: string[]; hops: string[] }> = [
  // Jupiter split route USDC → {oreo; 85VB → SOL → oreo}: 85VB left over 5141 of 126665141 (dust).
  // Chain: USDC −100000000, oreo +944945170, 85VB 0.
  { prefix: '51SfoFAgv3', route: 'jupiter', swaps: ['buy oreo 944945170 for EPjF 100000000'], hops: ['85VB'] },
  // Jupiter 6p6x → USDC → SOL → JUPy: each token by its own legs. Chain: 6p6x −50000 (437 Jupiter fee), JUPy +1265445.
  { prefix: '4VhDRLUK5Q', route: 'jupiter', swaps: ['sell 6p6x 49563 for EPjF 543506', 'buy JUPy 1265445 for So11 3679489'], hops: [] },
  // Jupiter EPCz → mSOL → SOL → USDT. Chain: EPCz −20000000000, USDT +2994093354, mSOL 0, SOL 0.
  { prefix: '3LF4ABXfbE', route: 'jupiter', swaps: [`sell EPCz 20000000000 for ${USDT.slice(0, 4)} 2994093354`], hops: ['mSoL'] },
  // Jupiter CMjf → SOL → DezX → USDC. Chain: CMjf −634862142081, USDC +47461249 (286486 platform fee), SOL/DezX 0.
  { prefix: 'rNMFZpBmbr', route: 'jupiter', swaps: ['sell CMjf 634862142081 for EPjF 47747735'], hops: ['DezX'] },
  // OKX USDC → SOL → DKu9. Chain: USDC −250000000 (756889 OKX fee), DKu9 +6373264828, SOL: only the ATA rent.
  { prefix: '3p36wGRa19', route: 'okx', swaps: ['buy DKu9 6373264828 for EPjF 249243111'], hops: [] },
  // OKX 7atg → SOL → ED5n: both tokens valued at the SOL that passed between them. Chain: ED5n +74619, 7atg −358800 (fee).
  { prefix: '2bhr1FWqeL', route: 'okx', swaps: ['sell 7atg 344448 for So11 15742', 'buy ED5n 74619 for So11 15742'], hops: [] },
  // Raydium route 7tTM → SOL → 6EXC. Chain: 7tTM −252006264295, 6EXC +1115250260749, SOL 0.
  { prefix: 'VYDwTuhxqa', route: 'raydium-route', swaps: ['sell 7tTM 252006264295 for So11 74924914', 'buy 6EXC 1115250260749 for So11 74924914'], hops: [] },
  // Raydium route HeLp → USDT → SOL. Chain: HeLp −21898077, SOL +28168, USDT 0.
  { prefix: 'JiqYGkWcYu', route: 'raydium-route', swaps: ['sell HeLp 21898077 for So11 28168'], hops: [USDT.slice(0, 4)] },
];

describe('a swap is what the wallet gave and got; hops are the route', () => {
  for (const c of CASES) {
    it(`${c.route} ${c.prefix}: ${c.swaps.join('; ')}`, () => {
      const legs = legsOf(c.prefix);
      expect(legs.length).toBeGreaterThan(1);
      const { swaps, unpriced } = toSwaps(legs, defaultLabels.quoteRank);
      expect(unpriced).toEqual([]);
      expect(swaps.map(short)).toEqual(c.swaps);
      const chain = chainChanges(c.prefix, legs[0].trader);
      for (const s of swaps) {
        // The token moved on chain the way the swap says; a got side matches it to the unit.
        const d = chain.get(s.mint) ?? 0n;
        expect(d > 0n, `${s.mint} on chain ${d}`).toBe(s.side === 'buy');
        if (s.side === 'buy') expect(d).toBe(s.baseAmount);
      }
      for (const hop of c.hops) {
        const mint = [...new Set(legs.flatMap((t) => [t.baseMint, t.quoteMint]))].find((m) => m.startsWith(hop))!;
        expect(chain.get(mint) ?? 0n, `hop ${hop}`).toBe(0n);
        expect(swaps.some((s) => s.mint === mint)).toBe(false);
      }
    });
  }
});

describe("the issue's wallet: USDC → SOL → DKu9 (OKX), then CMjf → SOL → DezX → USDC (Jupiter)", () => {
  const W = 'GKj54MVFppoYsxPU9jMn7CMniVRAuveFadyTtFhn1vXy';
  const legs = [...legsOf('3p36wGRa19'), ...legsOf('rNMFZpBmbr')];
  const a = analyzeWallet(W, legs);

  it('SOL only passed through its routes: no SOL in or out, no SOL-sized typical trade', () => {
    expect(legs.every((t) => t.trader === W)).toBe(true);
    // Leg by leg this read 1.3515 SOL from sells and 1.3515 SOL on buys.
    expect(legs.filter((t) => t.solAmount !== null).reduce((s, t) => s + t.solAmount!, 0n)).toBe(2n * 1_351_585_565n);
    expect(a.summary.solIn).toBe(0n);
    expect(a.summary.solOut).toBe(0n);
    expect(a.behaviour.tradeSize).toEqual({ median: null, mean: null, trades: 0 });
    expect(a.daily.reduce((s, d) => s + d.solVolume, 0n)).toBe(0n);
  });

  it('one buy and one sell, of the two tokens it gave or got; the legs stay counted as stored', () => {
    expect([a.summary.buys, a.summary.sells, a.summary.tokens, a.summary.swaps]).toEqual([1, 1, 2, 2]);
    expect([a.summary.trades, a.summary.transactions]).toEqual([5, 2]);
    expect(a.positions.map((p) => `${p.mint.slice(0, 4)}/${p.quoteMint.slice(0, 4)}`).sort()).toEqual(['CMjf/EPjF', 'DKu9/EPjF']);
    expect(a.daily.map((d) => d.trades)).toEqual([1, 1]); // two UTC days
    expect(a.totals.map((t) => t.quoteMint)).toEqual([USDC]);
  });
});

describe('unknown time is not zero', () => {
  it('a wallet whose only transaction has no block time: active days and pace unknown', () => {
    const legs = legsOf('2VfncBtq38');
    expect(legs.length).toBeGreaterThan(0);
    expect(legs.every((t) => t.blockTime === null && t.slot !== null)).toBe(true);
    const a = analyzeWallet(legs[0].trader, legs);
    expect(a.summary.activeDays).toBeNull();
    expect(a.summary.untimedTransactions).toBe(1);
    expect(a.behaviour.tradesPerHour).toBeNull();
  });

  it('timed and untimed together: days count the timed ones, the rest is counted apart', () => {
    const timed = legsOf('3p36wGRa19');
    const untimed = legsOf('2VfncBtq38').map((t) => ({ ...t, trader: timed[0].trader }));
    const a = analyzeWallet(timed[0].trader, [...timed, ...untimed]);
    expect(a.summary.activeDays).toBe(1);
    expect(a.summary.untimedTransactions).toBe(1);
    expect(a.behaviour.tradesPerHour).toBe(1);
  });
});
