import { describe, expect, it } from 'vitest';
import { createFlowEngine, type EngineOptionsInput } from '../../src/core/flow/index.js';
import type { ClassifiedTrade } from '../../src/core/flow/types.js';
import type { Trade } from '../../src/core/trade.js';
import { makeTrade } from './gen.js';

function run(trades: Trade[], opts: EngineOptionsInput = {}): Map<string, ClassifiedTrade> {
  const e = createFlowEngine(opts);
  const out = [...e.push(trades).trades, ...e.flush().trades];
  return new Map(out.map((t) => [`${t.signature}/${t.ixPath}`, t]));
}
const flags = (m: Map<string, ClassifiedTrade>, key: string) => m.get(key)?.botReasons ?? ['<missing>'];

describe('bot flags', () => {
  it('rate: a true sliding window per wallet, across tokens', () => {
    // 10 transactions within 60 s: the 10th is flagged and says why.
    const burst = Array.from({ length: 10 }, (_, i) =>
      makeTrade({ signature: `b${i}`, trader: 'W', baseMint: `m${i % 3}`, slot: 100 + i * 5, blockTime: 1000 + i * 5, quoteAmount: BigInt(1e8 + i) }),
    );
    const m = run(burst);
    expect(flags(m, 'b8/0.0')).toEqual([]);
    expect(flags(m, 'b9/0.0')).toEqual(['rate:10 tx/60s']);

    // One transaction every 7 s forever is < 10 per minute: never flagged (the earlier tool's
    // counter only reset after 60 s of silence and flagged this wallet from its 3rd trade).
    const steady = Array.from({ length: 100 }, (_, i) =>
      makeTrade({ signature: `s${i}`, trader: 'W', baseMint: `m${i % 5}`, slot: 1000 + i * 20, blockTime: 5000 + i * 7, quoteAmount: BigInt(1e8 + i) }),
    );
    expect([...run(steady).values()].filter((t) => t.isBot)).toEqual([]);
  });

  it('rate: legs of one transaction count once', () => {
    const legs = Array.from({ length: 12 }, (_, i) =>
      makeTrade({ signature: 'route', ixPath: `${i}.0`, trader: 'W', baseMint: `m${i}`, slot: 100, blockTime: 1000 }),
    );
    expect([...run(legs).values()].filter((t) => t.isBot)).toEqual([]);
  });

  it('round trips: same slot flags both legs, within seconds flags the closing leg', () => {
    const m = run([
      makeTrade({ signature: 'a', trader: 'W', side: 'buy', slot: 100, txIndex: 1, blockTime: 1000 }),
      makeTrade({ signature: 'b', trader: 'W', side: 'sell', slot: 100, txIndex: 5, blockTime: 1000 }),
      makeTrade({ signature: 'c', trader: 'H', side: 'buy', slot: 200, blockTime: 1040 }),
      makeTrade({ signature: 'd', trader: 'H', side: 'sell', slot: 210, blockTime: 1044 }),
      makeTrade({ signature: 'e', trader: 'H', side: 'buy', slot: 400, blockTime: 1120 }),
    ]);
    expect(flags(m, 'a/0.0')).toEqual(['round-trip:same-slot']);
    expect(flags(m, 'b/0.0')).toEqual(['round-trip:same-slot']);
    expect(flags(m, 'c/0.0')).toEqual([]);
    expect(flags(m, 'd/0.0')).toEqual(['round-trip:4s']);
    expect(flags(m, 'e/0.0')).toEqual([]); // 76 s later: a human closing a position
  });

  it('inside one transaction: a route through a token is not a round trip; a cycle back to the same quote is arbitrage', () => {
    const USDC = 'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v';
    const m = run([
      // SOL → X → USDC: a person routing through X.
      makeTrade({ signature: 'route', ixPath: '2.1', trader: 'H', baseMint: 'X', side: 'buy', slot: 100, blockTime: 1000 }),
      makeTrade({ signature: 'route', ixPath: '2.4', trader: 'H', baseMint: 'X', side: 'sell', quoteMint: USDC, quoteAmount: 150_000_000n, slot: 100, blockTime: 1000 }),
      // SOL → X → SOL on two pools: atomic arbitrage.
      makeTrade({ signature: 'arb', ixPath: '3.1', trader: 'A', baseMint: 'X', side: 'buy', pool: 'P1', slot: 101, blockTime: 1001 }),
      makeTrade({ signature: 'arb', ixPath: '3.5', trader: 'A', baseMint: 'X', side: 'sell', pool: 'P2', quoteAmount: 1_010_000_000n, slot: 101, blockTime: 1001 }),
    ]);
    expect(flags(m, 'route/2.1')).toEqual([]);
    expect(flags(m, 'route/2.4')).toEqual([]);
    expect(flags(m, 'arb/3.1')).toEqual(['arbitrage:same-tx']);
    expect(flags(m, 'arb/3.5')).toEqual(['arbitrage:same-tx']);
  });

  it('sandwich: front and back legs flagged even with different signers; the victim is not', () => {
    const base = { pool: 'P', baseMint: 'M', blockTime: 1000 };
    const m = run([
      makeTrade({ ...base, signature: 'front', trader: 'A1', signer: 'A1', side: 'buy', slot: 100, txIndex: 1, baseAmount: 5_000_000n, quoteAmount: 1_000_000_000n }),
      makeTrade({ ...base, signature: 'victim', trader: 'V', signer: 'V', side: 'buy', slot: 100, txIndex: 2, baseAmount: 3_000_000n, quoteAmount: 700_000_000n }),
      makeTrade({ ...base, signature: 'back', trader: 'A2', signer: 'A2', side: 'sell', slot: 102, txIndex: 0, baseAmount: 5_000_000n, quoteAmount: 1_050_000_000n }),
      // Same shape on another pool without a victim in between: not a sandwich.
      makeTrade({ ...base, pool: 'Q', signature: 'q1', trader: 'X', side: 'buy', slot: 100, baseAmount: 5_000_000n, quoteAmount: 1_000_000_000n }),
      makeTrade({ ...base, pool: 'Q', signature: 'q2', trader: 'Y', side: 'sell', slot: 101, baseAmount: 5_000_000n, quoteAmount: 1_050_000_000n }),
    ]);
    expect(flags(m, 'front/0.0')).toEqual(['sandwich:front']);
    expect(flags(m, 'back/0.0')).toEqual(['sandwich:back']);
    expect(flags(m, 'victim/0.0')).toEqual([]);
    expect(flags(m, 'q1/0.0')).toEqual([]);
    expect(flags(m, 'q2/0.0')).toEqual([]);
  });

  it('sandwich: legs too far apart or unprofitable are not a sandwich', () => {
    const base = { pool: 'P', baseMint: 'M', blockTime: 1000 };
    const m = run([
      makeTrade({ ...base, signature: 'f', trader: 'A', side: 'buy', slot: 100, baseAmount: 5_000_000n, quoteAmount: 1_000_000_000n }),
      makeTrade({ ...base, signature: 'v', trader: 'V', side: 'buy', slot: 101 }),
      makeTrade({ ...base, signature: 'late-back', trader: 'A', side: 'sell', slot: 104, baseAmount: 5_000_000n, quoteAmount: 1_100_000_000n }),
      makeTrade({ ...base, signature: 'f2', trader: 'B', side: 'buy', slot: 200, baseAmount: 5_000_000n, quoteAmount: 1_000_000_000n }),
      makeTrade({ ...base, signature: 'v2', trader: 'V', side: 'buy', slot: 200, txIndex: 3 }),
      makeTrade({ ...base, signature: 'loss', trader: 'B', side: 'sell', slot: 201, baseAmount: 5_000_000n, quoteAmount: 900_000_000n }),
    ]);
    expect([...m.values()].filter((t) => t.botReasons.some((r) => r.startsWith('sandwich')))).toEqual([]);
  });

  it('fixed-size repeated orders, but not Jupiter DCA fills (those are DCA, not bots)', () => {
    const repeats = (trader: string, isDca: boolean) =>
      Array.from({ length: 6 }, (_, i) =>
        makeTrade({ signature: `${trader}${i}`, trader, isDca, baseMint: `m${i}`, slot: 100 + i * 50, blockTime: 1000 + i * 30, quoteAmount: 250_000_000n }),
      );
    const m = run([...repeats('F', false), ...repeats('D', true)]);
    expect(flags(m, 'F3/0.0')).toEqual([]);
    expect(flags(m, 'F4/0.0')).toEqual(['fixed-size:5x250000000/300s']);
    expect(flags(m, 'F5/0.0')).toEqual(['fixed-size:6x250000000/300s']);
    expect([...m.values()].filter((t) => t.isDca && t.isBot)).toEqual([]);
  });

  it('priority fees and Jito tips far above the pool norm', () => {
    const crowd = Array.from({ length: 20 }, (_, i) =>
      makeTrade({ signature: `c${i}`, trader: `h${i}`, slot: 100 + i, blockTime: 1000 + i, priorityFee: 50_000 + i * 1000, jitoTip: 0 }),
    );
    const m = run([
      ...crowd,
      makeTrade({ signature: 'fast', trader: 'S', slot: 130, blockTime: 1030, priorityFee: 20_000_000, jitoTip: 5_000_000 }),
      makeTrade({ signature: 'normal', trader: 'N', slot: 131, blockTime: 1031, priorityFee: 80_000 }),
    ]);
    expect(flags(m, 'fast/0.0')).toEqual(['priority-fee:345x pool', 'jito-tip:5000001x pool']);
    expect(flags(m, 'normal/0.0')).toEqual([]);
    expect([...m.values()].filter((t) => t.signature.startsWith('c') && t.isBot)).toEqual([]);
  });

  it('a bot platform tag alone is not a bot flag', () => {
    const m = run([makeTrade({ signature: 'p', platform: 'photon', router: 'photon' })]);
    expect(m.get('p/0.0')).toMatchObject({ isBot: false, botReasons: [], platform: 'photon' });
  });

  it('thresholds are configurable', () => {
    const two = [
      makeTrade({ signature: 'x1', trader: 'W', slot: 1, blockTime: 1000 }),
      makeTrade({ signature: 'x2', trader: 'W', baseMint: 'other', slot: 2, blockTime: 1001 }),
    ];
    expect(flags(run(two, { bot: { rate: { trades: 2 } } }), 'x2/0.0')).toEqual(['rate:2 tx/60s']);
    expect(flags(run(two), 'x2/0.0')).toEqual([]);
  });
});
