/**
 * The canonical trade order of core/trade.ts (compareTrades: slot, position in block, signature,
 * instruction path) without the two arrays compareIxPath allocates per call. The engine compares
 * every trade it accepts and sorts whatever arrives out of order, so this runs per trade.
 */
import { compareIxPath, type Trade } from '../trade.js';

const IX_BITS = 2 ** 21;

/** "outer.inner" as one number (outer * 2^21 + inner), or -1 when it is not two small decimals. */
export function ixKey(p: string): number {
  let outer = 0;
  let inner = 0;
  let dot = -1;
  for (let i = 0; i < p.length; i++) {
    const c = p.charCodeAt(i);
    if (c === 46 && dot < 0) dot = i;
    else if (c < 48 || c > 57) return -1;
    else if (dot < 0) outer = outer * 10 + (c - 48);
    else inner = inner * 10 + (c - 48);
  }
  return dot <= 0 || dot === p.length - 1 || outer >= IX_BITS || inner >= IX_BITS ? -1 : outer * IX_BITS + inner;
}

/** Same sign as compareTrades(a, b) for every pair of trades. */
export function canonicalOrder(a: Trade, b: Trade): number {
  const sa = a.slot ?? -1;
  const sb = b.slot ?? -1;
  if (sa !== sb) return sa - sb;
  const ia = a.txIndex ?? -1;
  const ib = b.txIndex ?? -1;
  if (ia !== ib) return ia - ib;
  if (a.signature !== b.signature) return a.signature < b.signature ? -1 : 1;
  if (a.ixPath === b.ixPath) return 0;
  const ka = ixKey(a.ixPath);
  const kb = ixKey(b.ixPath);
  // Anything unusual (never produced by the decoder) keeps compareIxPath's exact behaviour.
  return ka < 0 || kb < 0 ? compareIxPath(a.ixPath, b.ixPath) : ka - kb;
}
