import { describe, expect, it } from 'vitest';
import { createFlowEngine } from '../../src/core/flow/index.js';
import type { ClassifiedTrade, FlowOutput, WindowMetrics } from '../../src/core/flow/types.js';
import { makeTrade, rng, synthTrades, USDC_MINT } from './gen.js';
import { bruteMetrics, inWindow } from './brute.js';

const strip = (m: WindowMetrics) => ({ ...m, asOfSlot: null });

function collect(outs: FlowOutput[]): ClassifiedTrade[] {
  return outs.flatMap((o) => o.trades);
}

describe('rolling windows', () => {
  it('match a brute-force recomputation at many points of a random stream', () => {
    const r = rng(42);
    for (let round = 0; round < 4; round++) {
      const trades = synthTrades({ trades: 3000, seed: 100 + round, mints: 12, wallets: 60, tradesPerSlot: 2 });
      const e = createFlowEngine({ lagSlots: 0 });
      const released: ClassifiedTrade[] = [];
      let i = 0;
      while (i < trades.length) {
        const n = 1 + Math.floor(r() * 300);
        released.push(...collect([e.push(trades.slice(i, i + n))]));
        i += n;
        e.takeMetrics();
        const now = e.stats().clock;
        if (now === null) continue;
        const brute = bruteMetrics(released, now);
        for (const [mint, rows] of brute) {
          const got = e.metricsFor(mint).map(strip);
          if (got.length === 0) {
            // Evicted: only allowed when every window is empty.
            expect(rows.every((w) => w.buyCount + w.sellCount === 0)).toBe(true);
            continue;
          }
          expect(got).toEqual(rows.map(strip));
        }
      }
      released.push(...e.flush().trades);
      expect(released.length).toBe(trades.length);
    }
  });

  it('stay exact over hours of one busy token (entry columns grow, drop their dead prefix, shrink)', () => {
    const r = rng(7);
    const e = createFlowEngine({ lagSlots: 0, bot: { sandwich: { maxSlots: 0 } } });
    const released: ClassifiedTrade[] = [];
    let t = 1_000_000;
    let checks = 0;
    // 3.3 hours at one trade per 1.5 s, then 16 hours at one per 5 s: the 4h window first fills
    // its columns, then sheds thousands of entries while far fewer stay live (they shrink), then
    // keeps reusing their dead prefix.
    for (let i = 0; i < 20_000; i++) {
      t += i < 8000 ? 1 + Math.floor(r() * 2) : 4 + Math.floor(r() * 3);
      const trader = `w${Math.floor(r() * 80)}`;
      const sol = BigInt(1 + Math.floor(r() * 1e9));
      const trade = makeTrade({
        signature: `hot${i}`, slot: i + 1, blockTime: t, baseMint: 'HOT', trader, signer: trader,
        side: r() < 0.5 ? 'buy' : 'sell', quoteAmount: sol, solAmount: sol, isDca: r() < 0.05,
      });
      released.push(...e.push([trade]).trades);
      if (i % 400 === 399) {
        // The engine holds the newest slot back; compare at its clock.
        const [rows] = [...bruteMetrics(released, e.stats().clock as number).values()];
        expect(e.metricsFor('HOT').map(strip)).toEqual(rows.map(strip));
        checks++;
      }
    }
    expect(checks).toBe(50);
  });

  it('count non-SOL-quoted trades in counts and wallets but not in SOL volume', () => {
    const e = createFlowEngine({ lagSlots: 0 });
    e.push([
      makeTrade({ signature: 'a', trader: 'w1', side: 'buy', solAmount: 2_000_000_000n, quoteAmount: 2_000_000_000n }),
      makeTrade({ signature: 'b', trader: 'w2', side: 'buy', quoteMint: USDC_MINT, quoteAmount: 50_000_000n, quoteDecimals: 6 }),
      makeTrade({ signature: 'c', trader: 'w3', side: 'sell', solAmount: 500_000_000n, quoteAmount: 500_000_000n }),
    ]);
    e.flush();
    const [m1] = e.metricsFor('mint1');
    expect(m1).toMatchObject({ buyCount: 2, sellCount: 1, buyVolume: 2e9, sellVolume: 5e8, netFlow: 1.5e9, uniqueWallets: 3, uniqueBuyers: 2, uniqueSellers: 1 });
  });

  it('decay to zero on the chain clock when a token stops trading, then evict it', () => {
    const e = createFlowEngine({ lagSlots: 0, bot: { sandwich: { maxSlots: 0 } } });
    e.push([makeTrade({ signature: 'a', baseMint: 'IDLE', slot: 10, blockTime: 1000 })]);
    // Another token keeps the chain clock moving.
    e.push([makeTrade({ signature: 'b', baseMint: 'BUSY', slot: 20, blockTime: 1030 })]);
    e.push([makeTrade({ signature: 'c', baseMint: 'BUSY', slot: 400, blockTime: 1120 })]);
    e.push([makeTrade({ signature: 'x', baseMint: 'BUSY', slot: 401, blockTime: 1121 })]);
    const after2m = e.takeMetrics().filter((m) => m.mint === 'IDLE');
    expect(after2m.find((m) => m.window === '1m')).toMatchObject({ buyCount: 0, buyVolume: 0, uniqueWallets: 0, asOf: 1120 });
    expect(after2m.find((m) => m.window === '5m')).toMatchObject({ buyCount: 1 });
    e.push([makeTrade({ signature: 'd', baseMint: 'BUSY', slot: 40_000, blockTime: 1000 + 4 * 3600 + 5 })]);
    e.push([makeTrade({ signature: 'e', baseMint: 'BUSY', slot: 40_001, blockTime: 1000 + 4 * 3600 + 6 })]);
    const after4h = e.takeMetrics().filter((m) => m.mint === 'IDLE');
    expect(after4h).toHaveLength(6);
    expect(after4h.every((m) => m.buyCount === 0 && m.uniqueWallets === 0 && m.netFlow === 0)).toBe(true);
    expect(e.metricsFor('IDLE')).toEqual([]); // evicted
    expect(e.stats().tokens).toBe(1);
  });

  it('computes bot and DCA shares of gross volume', () => {
    const e = createFlowEngine({ lagSlots: 0, bot: { sandwich: { maxSlots: 0 }, rate: { trades: 2, seconds: 60 } } });
    e.push([
      makeTrade({ signature: 'a', trader: 'bot', slot: 1, blockTime: 100, quoteAmount: 1_000_000_000n }),
      makeTrade({ signature: 'b', trader: 'bot', slot: 2, blockTime: 101, side: 'sell', quoteAmount: 1_000_000_000n }),
      makeTrade({ signature: 'c', trader: 'dca', slot: 3, blockTime: 102, isDca: true, quoteAmount: 2_000_000_000n }),
    ]);
    e.flush();
    const m5 = e.metricsFor('mint1')[1];
    expect(m5).toMatchObject({ botTrades: 1, botWallets: 1, botVolume: 1e9, botShare: 0.25, dcaTrades: 1, dcaWallets: 1, dcaVolume: 2e9, dcaBuyVolume: 2e9, dcaShare: 0.5 });
  });
});

describe('window steps (the trades of one time kept together)', () => {
  interface T { ts: number; wallet: string; buy: boolean; sol: number; bot: boolean; dca: boolean }

  /** The 5m window's per-wallet buy volume and the windows' sums, recomputed from every trade. */
  function bruteWindow(trades: T[], now: number, seconds: number) {
    const inW = trades.filter((t) => inWindow(t.ts, now, seconds));
    const sum = (xs: T[]) => xs.reduce((s, t) => s + t.sol, 0);
    const distinct = (xs: T[]) => new Set(xs.map((t) => t.wallet)).size;
    const buys = inW.filter((t) => t.buy);
    const sells = inW.filter((t) => !t.buy);
    const bots = inW.filter((t) => t.bot);
    const dca = inW.filter((t) => t.dca);
    const buy5m = new Map<string, number>();
    for (const t of buys) buy5m.set(t.wallet, (buy5m.get(t.wallet) ?? 0) + t.sol);
    return {
      agg: {
        buyVol: sum(buys), sellVol: sum(sells), buyCnt: buys.length, sellCnt: sells.length,
        botVol: sum(bots), botTrades: bots.length, dcaVol: sum(dca), dcaBuyVol: sum(dca.filter((t) => t.buy)), dcaTrades: dca.length,
        wallets: distinct(inW), buyers: distinct(buys), sellers: distinct(sells), botWallets: distinct(bots), dcaWallets: distinct(dca),
      },
      buy5m,
    };
  }

  it('match a brute-force recomputation when few wallets trade many times a second, over many hours', async () => {
    const { newTokenWindows, add, advance, W5M } = await import('../../src/core/flow/windows.js');
    const { WINDOWS } = await import('../../src/core/flow/types.js');
    const r = rng(11);
    const t = newTokenWindows('DENSE');
    const trades: T[] = [];
    let ts = 5_000_000;
    let checks = 0;
    for (let i = 0; i < 40_000; i++) {
      // Bursts of up to ~20 trades in one second, then gaps of up to 40 minutes (the token goes
      // quiet: steps expire from every window, the columns drop their dead prefix and shrink).
      const u = r();
      ts += u < 0.85 ? 0 : u < 0.999 ? 1 + Math.floor(r() * 3) : Math.floor(r() * 2400);
      const trade = { ts, wallet: `w${Math.floor(r() * 7)}`, buy: r() < 0.6, sol: 1 + Math.floor(r() * 1e9), bot: r() < 0.2, dca: r() < 0.1 };
      advance(t, ts);
      add(t, trade.ts, trade.wallet, trade.buy, trade.sol, trade.bot, trade.dca);
      trades.push(trade);
      if (i % 997 === 0 || r() < 0.002) {
        // Look a little later too: the last second's trades are complete only once time moves on.
        const now = ts + Math.floor(r() * 400);
        advance(t, now);
        for (let w = 0; w < WINDOWS.length; w++) {
          const want = bruteWindow(trades, now, WINDOWS[w].seconds);
          expect(t.aggs[w]).toEqual(want.agg);
          if (w === W5M) {
            const got = new Map([...t.buyers5m].filter((rec) => rec.buyInWindow > 0).map((rec) => [rec.wallet, rec.buyInWindow]));
            expect(got).toEqual(want.buy5m);
          }
        }
        ts = now;
        checks++;
      }
    }
    expect(checks).toBeGreaterThan(40);
    // Steps are per distinct second (or minute), marks per (wallet, step): far fewer than the trades.
    expect(t.short.base + t.short.len).toBeLessThan(trades.length / 4);
    expect(t.long.markBase + t.long.marks).toBeLessThan(trades.length / 10);
  });
});
