/**
 * Feed updates gathered between two frames into one. Pure, so the bound is testable: however
 * many trades arrive in a frame, only the newest `tapeCap` that pass the command-line filters are
 * kept (older ones could never reach the tape), plus a count of the rest.
 */
import type { ClassifiedTrade, Signal } from '../core/flow/types.js';
import type { FlowSnapshot, WatchStatus, WatchUpdate, WatchWindow } from './feed.js';

export interface Limits {
  tapeCap: number;
  signalCap: number;
  accept: (t: ClassifiedTrade) => boolean;
}

/** What the screen applies in one step. */
export interface Batch {
  /** Accepted trades, oldest first, at most tapeCap. */
  trades: ClassifiedTrade[];
  /** Accepted trades in total, including those beyond the cap. */
  accepted: number;
  flows: Partial<Record<WatchWindow, FlowSnapshot>>;
  /** Oldest first, at most signalCap. */
  signals: Signal[];
  status: WatchStatus | null;
}

export const emptyBatch = (): Batch => ({ trades: [], accepted: 0, flows: {}, signals: [], status: null });

/** Fold `u` into `b` (mutates and returns b: it is the coalescer's private buffer). */
export function addUpdate(b: Batch, u: WatchUpdate, limits: Limits): Batch {
  if (u.trades) {
    for (const t of u.trades) {
      if (!limits.accept(t)) continue;
      b.accepted++;
      b.trades.push(t);
    }
    // Trim in chunks, not per trade: a splice per push would make a big batch quadratic.
    if (b.trades.length > 2 * limits.tapeCap) b.trades.splice(0, b.trades.length - limits.tapeCap);
  }
  if (u.flows) for (const f of u.flows) b.flows[f.window] = f;
  if (u.signals) {
    b.signals.push(...u.signals);
    if (b.signals.length > limits.signalCap) b.signals.splice(0, b.signals.length - limits.signalCap);
  }
  if (u.status) b.status = u.status;
  return b;
}

/** The batch ready to apply: trades trimmed to the cap. */
export function sealBatch(b: Batch, limits: Limits): Batch {
  if (b.trades.length > limits.tapeCap) b.trades.splice(0, b.trades.length - limits.tapeCap);
  return b;
}
