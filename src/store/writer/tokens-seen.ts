/**
 * The tokens rows a batch touches: per base mint, its decimals and the lowest and highest slot
 * and block time among the batch's new trades, upserted once per mint (first/last seen are
 * min/max over everything seen, whatever order trades arrive in).
 */
import type { QueuedTrade } from './queue.js';

export interface TokenSeen {
  decimals: number;
  minSlot: number | null;
  minTime: number | null;
  maxSlot: number | null;
  maxTime: number | null;
}

const minN = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.min(a, b));
const maxN = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.max(a, b));

/** Adds one newly stored trade to the batch's tokens. */
export function noteTokenSeen(seen: Map<string, TokenSeen>, t: QueuedTrade): void {
  const s = seen.get(t.baseMint);
  if (s === undefined) {
    seen.set(t.baseMint, { decimals: t.baseDecimals, minSlot: t.slot, minTime: t.blockTime, maxSlot: t.slot, maxTime: t.blockTime });
    return;
  }
  s.decimals = t.baseDecimals;
  s.minSlot = minN(s.minSlot, t.slot);
  s.maxSlot = maxN(s.maxSlot, t.slot);
  s.minTime = minN(s.minTime, t.blockTime);
  s.maxTime = maxN(s.maxTime, t.blockTime);
}
