import { describe, expect, it } from 'vitest';
import { compareIxPath, compareTrades, ixKey } from '../../src/core/trade.js';
import { makeTrade, rng } from './gen.js';

/** The specification: outer index, then inner index, as numbers. */
function referenceIxPath(a: string, b: string): number {
  const [ao, ai] = a.split('.').map(Number);
  const [bo, bi] = b.split('.').map(Number);
  return ao - bo || ai - bi;
}

describe('canonical trade order', () => {
  const paths = ['0.0', '0.1', '1.0', '2.10', '10.2', '3.3', '007.1', '7.01', '12', 'x.1', '1.', '.1', '1.2.3', '2097152.0', '0.2097152'];
  // Malformed paths compare as NaN in the reference; sort() and "> 0" both read that as "equal".
  const sign = (x: number) => (Number.isNaN(x) ? 0 : Math.sign(x));

  it('compares instruction paths like the reference, including unusual ones', () => {
    for (const a of paths) for (const b of paths) expect([a, b, sign(compareIxPath(a, b))]).toEqual([a, b, sign(referenceIxPath(a, b))]);
  });

  it('orders trades by slot, position in block, signature, then instruction path', () => {
    const r = rng(17);
    const pick = <T,>(xs: T[]) => xs[Math.floor(r() * xs.length)];
    const trades = Array.from({ length: 300 }, () =>
      makeTrade({ slot: pick([null, 5, 6]), txIndex: pick([null, 0, 3]), signature: pick(['a', 'b', 'ab']), ixPath: pick(paths) }),
    );
    const key = (t: (typeof trades)[number]) => [t.slot ?? -1, t.txIndex ?? -1, t.signature] as const;
    for (const a of trades) {
      for (const b of trades) {
        const [sa, ia, ga] = key(a);
        const [sb, ib, gb] = key(b);
        const want = sa !== sb ? sa - sb : ia !== ib ? ia - ib : ga !== gb ? (ga < gb ? -1 : 1) : referenceIxPath(a.ixPath, b.ixPath);
        expect(sign(compareTrades(a, b))).toBe(sign(want));
      }
    }
  });

  it('packs "outer.inner" into one number and refuses anything else', () => {
    expect(ixKey('3.7')).toBe(3 * 2 ** 21 + 7);
    expect(['', '3', '3.', '.7', '3.7.1', '3,7', '-1.0'].map(ixKey)).toEqual([-1, -1, -1, -1, -1, -1, -1]);
  });
});
