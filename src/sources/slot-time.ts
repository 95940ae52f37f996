/**
 * Map wall-clock times to slots with getBlockTime bisection. Block times never decrease with
 * the slot, so "the first slot whose block time is ≥ t" is a binary search; an estimate from
 * the tip (≈400 ms per slot) brackets it first, so a lookup costs ~15 calls, not ~30.
 */
import type { RpcClient } from './rpc/client.js';
import { RpcError } from './rpc/errors.js';
import type { Commitment } from './types.js';

const MS_PER_SLOT = 400;
/** Skipped slots in a row we step over looking for a block time before giving up. */
const MAX_SKIP_WALK = 64;

export interface SlotTimeOptions {
  commitment?: Commitment;
}

export interface ResolvedSlots {
  start: number;
  end: number;
  tip: number;
}

/** The chain tip and the lowest slot the endpoint still serves. */
export async function chainBounds(client: RpcClient, opts: SlotTimeOptions = {}): Promise<{ first: number; tip: number }> {
  const tip = await client.call<number>('getSlot', [{ commitment: opts.commitment ?? 'finalized' }]);
  let first = 0;
  try {
    first = await client.call<number>('getFirstAvailableBlock', []);
  } catch (err) {
    // Not every provider implements it; slot 0 is a safe lower bound for the bisection.
    if (!(err instanceof RpcError) || err.kind !== 'rpc') throw err;
  }
  return { first, tip };
}

/**
 * Slots whose block times fall in [startMs, endMs] (inclusive). Answers null when no block in
 * that span exists (the range is empty).
 */
export async function timeRangeToSlots(
  client: RpcClient,
  startMs: number,
  endMs: number,
  opts: SlotTimeOptions = {},
): Promise<ResolvedSlots | null> {
  const { first, tip } = await chainBounds(client, opts);
  const clock = new BlockClock(client, tip);
  const tipTime = await clock.timeAt(tip);
  if (tipTime === null) return null;
  const startSec = Math.ceil(startMs / 1000);
  const endSec = Math.floor(endMs / 1000);
  if (startSec > endSec) return null;
  const start = await firstSlotAtOrAfter(clock, startSec, first, tip, tipTime);
  if (start === null) return null;
  // Last slot with time ≤ endSec = (first slot with time ≥ endSec + 1) − 1.
  const after = endSec >= tipTime ? null : await firstSlotAtOrAfter(clock, endSec + 1, start, tip, tipTime);
  const end = after === null ? tip : after - 1;
  if (end < start) return null;
  return { start, end, tip };
}

async function firstSlotAtOrAfter(clock: BlockClock, tSec: number, first: number, tip: number, tipTime: number): Promise<number | null> {
  if (tSec > tipTime) return null;
  // Invariant: time(hi) ≥ t; lo < first or time(lo) < t. The tip satisfies the first.
  let hi = tip;
  let lo = first - 1;
  const atOrAfter = async (slot: number) => {
    const t = await clock.timeAt(slot);
    return t === null || t >= tSec;
  };
  const guess = Math.min(tip, Math.max(first, tip - Math.ceil(((tipTime - tSec) * 1000) / MS_PER_SLOT)));
  // Widen from the estimate by ×4 steps until the answer is bracketed.
  let span = 256;
  if (await atOrAfter(guess)) {
    hi = guess;
    for (let cand = hi - span; cand >= first; cand = hi - span) {
      if (!(await atOrAfter(cand))) {
        lo = cand;
        break;
      }
      hi = cand;
      span *= 4;
    }
  } else {
    lo = guess;
    for (let cand = lo + span; cand < hi; cand = lo + span) {
      if (await atOrAfter(cand)) {
        hi = cand;
        break;
      }
      lo = cand;
      span *= 4;
    }
  }
  while (hi - lo > 1) {
    const mid = lo + Math.floor((hi - lo) / 2);
    if (await atOrAfter(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

/**
 * Block time of a slot, where a skipped slot takes the time of the next produced slot (so time
 * stays non-decreasing over every slot number). Cached: bisection revisits neighbours.
 */
class BlockClock {
  private cache = new Map<number, number | null>();
  constructor(
    private readonly client: RpcClient,
    private readonly tip: number,
  ) {}

  async timeAt(slot: number): Promise<number | null> {
    if (this.cache.has(slot)) return this.cache.get(slot)!;
    let s = slot;
    let t: number | null = null;
    for (let i = 0; i < MAX_SKIP_WALK && s <= this.tip; i++, s++) {
      try {
        t = await this.client.call<number | null>('getBlockTime', [s]);
        break;
      } catch (err) {
        if (err instanceof RpcError && err.kind === 'skipped') continue;
        throw err;
      }
    }
    this.cache.set(slot, t);
    return t;
  }
}
