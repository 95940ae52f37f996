import { describe, expect, it } from 'vitest';
import { canonicalOrder, ixKey } from '../../src/core/flow/order.js';
import { compareTrades } from '../../src/core/trade.js';
import { makeTrade, rng } from './gen.js';

describe('canonicalOrder', () => {
  it('orders every pair like compareTrades, including unusual instruction paths', () => {
    const r = rng(17);
    const paths = ['0.0', '0.1', '1.0', '2.10', '10.2', '3.3', '007.1', '7.01', '12', 'x.1', '1.', '.1', '1.2.3', '2097152.0', '0.2097152'];
    const pick = <T,>(xs: T[]) => xs[Math.floor(r() * xs.length)];
    const trades = Array.from({ length: 400 }, () =>
      makeTrade({ slot: pick([null, 5, 6]), txIndex: pick([null, 0, 3]), signature: pick(['a', 'b', 'ab']), ixPath: pick(paths) }),
    );
    // compareIxPath gives NaN for malformed paths; sort() and "> 0" both read that as "equal".
    const sign = (x: number) => (Number.isNaN(x) ? 0 : Math.sign(x));
    let compared = 0;
    for (const a of trades) {
      for (const b of trades) {
        expect([a.slot, a.txIndex, a.signature, a.ixPath, b.ixPath, sign(canonicalOrder(a, b))]).toEqual([
          a.slot, a.txIndex, a.signature, a.ixPath, b.ixPath, sign(compareTrades(a, b)),
        ]);
        compared++;
      }
    }
    expect(compared).toBe(160_000);
  });

  it('packs "outer.inner" into one number and refuses anything else', () => {
    expect(ixKey('3.7')).toBe(3 * 2 ** 21 + 7);
    expect(['', '3', '3.', '.7', '3.7.1', '3,7', '-1.0'].map(ixKey)).toEqual([-1, -1, -1, -1, -1, -1, -1]);
  });
});
