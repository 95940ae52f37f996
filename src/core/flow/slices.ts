/**
 * A window's net SOL flow cut into equal slices, oldest first: what a sparkline draws. The live
 * feed buckets the trades it holds here; the store's flowSlices report buckets stored trades with
 * the same integer arithmetic in SQL, so both put a trade of the same second in the same slice.
 */
import type { ClassifiedTrade, WindowName } from './types.js';
import { WINDOWS } from './types.js';

export const windowSeconds = (w: WindowName): number => WINDOWS.find((x) => x.name === w)!.seconds;

/**
 * Which of `slices` parts of the span (asOf - spanSeconds, asOf] a block time falls in. Integer
 * arithmetic (the store's report divides integers too); asOf itself goes in the last slice.
 */
export function sliceOf(blockTime: number, asOf: number, spanSeconds: number, slices: number): number {
  return Math.min(slices - 1, Math.floor(((blockTime - (asOf - spanSeconds)) * slices) / spanSeconds));
}

/**
 * Net SOL flow (lamports, buys minus sells) per token in `slices` equal parts of the span of
 * `spanSeconds` ending at `asOf`, oldest first. Only SOL-quoted trades count, as in the windows.
 */
export function netFlowSlices(trades: Iterable<ClassifiedTrade>, asOf: number, spanSeconds: number, slices: number): Map<string, number[]> {
  const start = asOf - spanSeconds;
  const out = new Map<string, number[]>();
  for (const t of trades) {
    if (t.solAmount === null || t.blockTime === null || t.blockTime <= start || t.blockTime > asOf) continue;
    const i = sliceOf(t.blockTime, asOf, spanSeconds, slices);
    let row = out.get(t.baseMint);
    if (!row) out.set(t.baseMint, (row = new Array<number>(slices).fill(0)));
    row[i] += (t.side === 'buy' ? 1 : -1) * Number(t.solAmount);
  }
  return out;
}
