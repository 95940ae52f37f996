/**
 * Wallet analysis arithmetic on constructed trades: average cost vs FIFO on a hand-computed
 * history, route netting, sells without a buy, rounding, and invariants over random histories.
 */
import { describe, expect, it } from 'vitest';
import { analyzeWallet, buildPositions, toSwaps, type LastPrice, type Swap } from '../../src/core/wallet/index.js';
import { defaultLabels } from '../../src/core/labels.js';
import { WSOL_MINT } from '../../src/core/trade.js';
import { seededRandom } from '../support/rng.js';
import { A, B, C, D, E, F, G, H, OTHER, T0, USDC, W, classified, lamports, scenario } from './scenario.js';

/** The last trade of a mint in a quote among all trades (what store/wallet.ts answers from SQL). */
function lastPriceFrom(all: ReturnType<typeof scenario>) {
  return (mint: string, quote: string): LastPrice | null => {
    const hits = all.filter((t) => t.baseMint === mint && t.quoteMint === quote);
    const t = hits[hits.length - 1];
    return t ? { baseAmount: t.baseAmount, quoteAmount: t.quoteAmount, blockTime: t.blockTime, slot: t.slot, signature: t.signature } : null;
  };
}

function analyse(costBasis: 'avg' | 'fifo', token: string | null = null) {
  const all = scenario();
  return analyzeWallet(W, classified(all), { costBasis, token, lastPrice: lastPriceFrom(all) });
}

const pos = (a: ReturnType<typeof analyse>, mint: string) => a.positions.find((p) => p.mint === mint)!;

describe('cost basis on a hand-computed history', () => {
  it('average cost: realized, open cost and unrealized at the last traded price', () => {
    const a = analyse('avg');
    const p = pos(a, A);
    expect(p.realized).toBe(lamports('3.5'));
    expect(p.costOfSold).toBe(lamports('3'));
    expect(p.openCost).toBe(lamports('1'));
    expect(p.held).toBe(50_000_000n);
    expect(p.lastPrice?.signature).toBe(scenario()[4].signature); // the other wallet's later buy
    expect(p.value).toBe(lamports('2.5'));
    expect(p.unrealized).toBe(lamports('1.5'));
    expect(p.status).toBe('open');
    expect(p.roi).toBeCloseTo(5 / 4, 12);
  });

  it('FIFO: oldest lots first, per-lot holding times', () => {
    const a = analyse('fifo');
    const p = pos(a, A);
    expect(p.realized).toBe(lamports('4'));
    expect(p.openCost).toBe(lamports('1.5'));
    expect(p.unrealized).toBe(lamports('1'));
    expect(p.realized + p.unrealized!).toBe(lamports('5')); // same total as average cost
    expect(p.lots!.map((l) => [l.qty, l.soldQty, l.realized, l.holdSeconds])).toEqual([
      // Lot 1: 50 sold for 2.5 and 50 for 2.0 against 0.5 + 0.5 → 3.5; lot 2: 50 for 2.0 against 1.5.
      [100_000_000n, 100_000_000n, lamports('3.5'), 250],
      [100_000_000n, 50_000_000n, lamports('0.5'), 200],
    ]);
    expect(p.holdSeconds).toBeCloseTo(700 / 3, 9);
  });

  it('a sell without a recorded buy is flagged, realizes nothing and stays out of the win rate', () => {
    for (const basis of ['avg', 'fifo'] as const) {
      const a = analyse(basis);
      const p = pos(a, B);
      expect(p.status).toBe('no-buy');
      expect(p.flags).toEqual(['sold without a recorded buy']);
      expect(p.realized).toBe(0n);
      expect(p.proceedsWithoutBuy).toBe(lamports('1'));
      expect(p.soldWithoutBuy).toBe(10_000_000n);
      const sol = a.totals.find((t) => t.quoteMint === WSOL_MINT)!;
      expect(sol.noBuyPositions).toBe(1);
      expect(sol.closedPositions).toBe(4); // C, D, E, H
      expect(sol.wins).toBe(2); // D, H
      expect(sol.winRate).toBe(0.5);
    }
  });

  it('totals per quote asset, kept apart, with the PnL distribution', () => {
    const avg = analyse('avg');
    const sol = avg.totals.find((t) => t.quoteMint === WSOL_MINT)!;
    expect(sol.realized).toBe(lamports('7.9'));
    expect(sol.unrealized).toBe(lamports('1.5'));
    expect(sol.unpricedPositions).toBe(1); // G: only ever traded against USDC
    expect(Object.fromEntries(sol.distribution.map((b) => [b.label, b.count]))).toEqual({ '<-50%': 1, '-50–0%': 1, '0–2x': 1, '2–5x': 0, '>5x': 1 });
    const fifo = analyse('fifo').totals.find((t) => t.quoteMint === WSOL_MINT)!;
    expect(fifo.realized).toBe(lamports('8.4'));
    expect(fifo.unrealized).toBe(lamports('1'));
    const usdc = avg.totals.find((t) => t.quoteMint === USDC)!;
    expect([usdc.positions, usdc.realized, usdc.closedPositions, usdc.wins]).toEqual([1, 1_000_000n, 1, 1]);
    expect(pos(avg, C).realizedRoi).toBe(-0.75);
    expect(pos(avg, D).realizedRoi).toBe(6);
    expect(pos(avg, D).holdSeconds).toBe(2 * 86_400 - 700);
  });

  it('nets a route into one swap: SOL → USDC → G is a buy of G for SOL, no USDC position', () => {
    const a = analyse('avg');
    expect(a.positions.find((p) => p.mint === USDC)).toBeUndefined();
    const g = pos(a, G);
    expect([g.quoteMint, g.bought, g.cost, g.unrealized]).toEqual([WSOL_MINT, 1_000_000_000n, lamports('0.1'), null]);
    // The summary still counts both stored legs.
    expect(a.summary.trades).toBe(17);
    expect(a.summary.transactions).toBe(16);
  });

  it('behaviour: same-slot round trip across transactions, fast closes', () => {
    const b = analyse('avg').behaviour;
    expect(b.sameSlotRoundTrips).toBe(1);
    expect(b.closedRounds).toBe(5); // C, D, E, F, H (A and G are open; B never held anything)
    expect(b.fastCloses).toBe(2); // C (30 s) and H (0 s)
    expect(b.bot.evidence.map((e) => e.rule)).toContain('same-slot-round-trip');
  });

  it('behaviour: a buy and a sell of one token inside one transaction are no same-slot round trip', () => {
    const [t] = classified(scenario());
    // One transaction with two tokens moved, every leg quoted in SOL (a bundle): buy C, buy D,
    // sell part of C again. C nets to one buy of 6 for 70, D to one buy; no round trip inside it.
    const bundle = [
      { ...t, signature: 'b1', ixPath: '1.1', side: 'buy' as const, baseMint: C, baseAmount: 10n, quoteAmount: 100n },
      { ...t, signature: 'b1', ixPath: '1.2', side: 'buy' as const, baseMint: D, baseAmount: 5n, quoteAmount: 100n },
      { ...t, signature: 'b1', ixPath: '1.3', side: 'sell' as const, baseMint: C, baseAmount: 4n, quoteAmount: 30n },
    ];
    const alone = analyzeWallet(W, bundle);
    expect(alone.summary.swaps).toBe(2);
    expect(alone.positions.map((p) => [p.mint, p.bought, p.cost])).toEqual([[C, 6n, 100n - 30n], [D, 5n, 100n]].sort((a, b) => (b[2] > a[2] ? 1 : -1)));
    expect(alone.behaviour.sameSlotRoundTrips).toBe(0);
    // A sell of C in another transaction of the same slot is one.
    const other = { ...t, signature: 'b2', txIndex: 1, side: 'sell' as const, baseMint: C, baseAmount: 11n, quoteAmount: 90n };
    const both = analyzeWallet(W, [...bundle, other]).behaviour;
    expect([both.sameSlotRoundTrips, both.sameSlotExamples]).toEqual([1, ['b1', 'b2']]);
  });

  it('--token keeps one token, its legs and its position', () => {
    const a = analyse('fifo', A);
    expect(a.positions.map((p) => p.mint)).toEqual([A]);
    expect(a.summary.trades).toBe(4);
    expect(a.summary.tokens).toBe(1);
    expect(a.positions[0].realized).toBe(lamports('4'));
  });

  it('takes plain trades too (no bot flags), as decodeTransaction gives them', () => {
    const all = scenario();
    const plain = analyzeWallet(W, all, { lastPrice: lastPriceFrom(all) });
    expect(plain.totals).toEqual(analyse('avg').totals);
    expect(plain.summary).toEqual(analyse('avg').summary);
  });

  it('platforms count transactions: the route SOL → USDC → G through Jupiter is one trade of 0.1 SOL', () => {
    const a = analyse('avg');
    expect(a.behaviour.platforms).toEqual([{ name: 'jupiter', trades: 1, sol: lamports('0.1') }]);
  });

  it('leaves out trades of other wallets', () => {
    const a = analyse('avg');
    // Buys and sells count swaps (a route's hops are not trades), trades count stored legs.
    expect(a.summary.buys + a.summary.sells).toBe(a.summary.swaps);
    expect(a.summary.trades).toBe(scenario().filter((t) => t.trader === W).length);
    expect(a.positions.every((p) => p.mint !== OTHER)).toBe(true);
  });
});

describe('swaps from legs', () => {
  it('token-to-token legs and loops that end where they started are not priced', () => {
    const all = classified(scenario());
    const tokenToToken = { ...all[0], signature: 'x1', baseMint: C, quoteMint: D, quoteDecimals: 6, solAmount: null };
    const loop = (signature: string, back: bigint) => [
      { ...all[0], signature, ixPath: '1.1', side: 'buy' as const, baseMint: C, baseAmount: 5n, quoteAmount: 100n },
      { ...all[0], signature, ixPath: '1.2', side: 'sell' as const, baseMint: C, baseAmount: 5n, quoteAmount: back },
    ];
    const r = toSwaps([tokenToToken, ...loop('x2', 100n), ...loop('x3', 101n)], defaultLabels.quoteRank);
    expect(r.swaps).toEqual([]);
    expect(r.unpriced.map((u) => [u.signature, u.reason])).toEqual([
      ['x1', 'token-to-token trade'],
      ['x2', 'legs net to nothing'],
      ['x3', 'a loop back to the asset it started from (arbitrage)'],
    ]);
  });

  it('two separate buys in one transaction stay two swaps', () => {
    const all = classified(scenario());
    const r = toSwaps([{ ...all[0], signature: 'y' }, { ...all[6], signature: 'y', ixPath: '3.0' }], defaultLabels.quoteRank);
    expect(r.swaps.map((s) => [s.mint, s.side, s.quoteAmount])).toEqual([
      [A, 'buy', lamports('1')],
      [C, 'buy', lamports('2')],
    ]);
  });
});

describe('exact integers', () => {
  const swap = (side: 'buy' | 'sell', base: bigint, quote: bigint, t: number): Swap => ({
    signature: `s${t}`, slot: t, blockTime: T0 + t, side, mint: A, baseAmount: base, baseDecimals: 0, quoteMint: WSOL_MINT, quoteAmount: quote, quoteDecimals: 9, isDca: false,
  });

  it('floors once per sell and keeps the remainder in the held cost', () => {
    // 3 units for 10: selling 1 takes floor(10/3) = 3, selling the last 2 takes the 7 left.
    const seq = [swap('buy', 3n, 10n, 1), swap('sell', 1n, 5n, 2), swap('sell', 2n, 8n, 3)];
    for (const basis of ['avg', 'fifo'] as const) {
      const [p] = buildPositions(seq, basis).positions;
      expect([p.costOfSold, p.realized, p.openCost]).toEqual([10n, 3n, 0n]);
    }
    const [half] = buildPositions(seq.slice(0, 2), 'avg').positions;
    expect([half.costOfSold, half.realized, half.openCost]).toEqual([3n, 2n, 7n]);
  });

  it('splits the proceeds of a sell larger than the holding by quantity', () => {
    const [p] = buildPositions([swap('buy', 4n, 40n, 1), swap('sell', 10n, 1001n, 2)], 'fifo').positions;
    // 4 of 10 units matched: floor(1001 × 4 / 10) = 400 against cost 40; 601 without a buy.
    expect([p.realized, p.proceedsWithoutBuy, p.soldWithoutBuy, p.status]).toEqual([360n, 601n, 6n, 'no-buy']);
  });

  it('random histories: cost is conserved to the unit, and avg and FIFO agree once everything is sold', () => {
    const r = seededRandom(42);
    for (let round = 0; round < 200; round++) {
      const seq: Swap[] = [];
      let held = 0n;
      for (let i = 0; i < 30; i++) {
        if (held > 0n && r() < 0.45) {
          const q = 1n + BigInt(Math.floor(r() * Number(held)));
          seq.push(swap('sell', q, BigInt(Math.floor(r() * 1e12)), i));
          held -= q;
        } else {
          const q = 1n + BigInt(Math.floor(r() * 1e15));
          seq.push(swap('buy', q, 1n + BigInt(Math.floor(r() * 1e12)), i));
          held += q;
        }
      }
      if (held > 0n) seq.push(swap('sell', held, 12345n, 99));
      const [avg] = buildPositions(seq, 'avg').positions;
      const [fifo] = buildPositions(seq, 'fifo').positions;
      for (const p of [avg, fifo]) {
        expect(p.costOfSold + p.openCost).toBe(p.cost);
        expect(p.held).toBe(0n);
        expect(p.realized).toBe(p.proceeds - p.cost);
      }
      expect(avg.realized).toBe(fifo.realized);
    }
  });
});
