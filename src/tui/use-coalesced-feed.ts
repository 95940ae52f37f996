/**
 * Subscribes to a feed and hands its updates to the screen at most once per `intervalMs`,
 * merged: a feed may call back thousands of times a second and the screen still renders about
 * ten frames. The first update goes through at once (the backlog screenful at start).
 */
import { useEffect, useRef } from 'react';
import { addUpdate, emptyBatch, sealBatch, type Batch, type Limits } from './coalesce.js';
import type { WatchFeed } from './feed.js';

export interface CoalesceOptions extends Limits {
  intervalMs: number;
  /** Instrumentation: called after each batch is handed over, with how long its first update waited. */
  onFlush?: (batch: Batch, waitedMs: number) => void;
}

export function useCoalescedFeed(feed: WatchFeed, apply: (b: Batch) => void, o: CoalesceOptions): void {
  // Read through a ref so a re-render with new callbacks does not resubscribe the feed.
  const latest = useRef({ apply, o });
  latest.current = { apply, o };
  useEffect(() => {
    let pending: Batch | null = null;
    let firstAt = 0;
    let lastFlush = -Infinity;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const flush = () => {
      timer = undefined;
      if (!pending) return;
      const { apply: hand, o: opts } = latest.current;
      const batch = sealBatch(pending, opts);
      pending = null;
      lastFlush = performance.now();
      hand(batch);
      opts.onFlush?.(batch, lastFlush - firstAt);
    };
    const unsubscribe = feed.subscribe((u) => {
      const now = performance.now();
      if (!pending) {
        pending = emptyBatch();
        firstAt = now;
      }
      addUpdate(pending, u, latest.current.o);
      if (timer === undefined) timer = setTimeout(flush, Math.max(0, lastFlush + latest.current.o.intervalMs - now));
    });
    return () => {
      unsubscribe();
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [feed]);
}
