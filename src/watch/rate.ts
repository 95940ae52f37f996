/** Trades per second of wall clock over the last few seconds: the header's rate. */
export interface Rate {
  add(n: number, nowMs?: number): void;
  perSecond(nowMs?: number): number;
}

export function createRate(spanMs = 5000): Rate {
  // One bucket per 250 ms; old buckets fall off the front.
  const buckets: { at: number; n: number }[] = [];
  const BUCKET = 250;
  const trim = (now: number) => {
    while (buckets.length && buckets[0].at <= now - spanMs) buckets.shift();
  };
  return {
    add(n, now = Date.now()) {
      const at = now - (now % BUCKET);
      const last = buckets[buckets.length - 1];
      if (last && last.at === at) last.n += n;
      else buckets.push({ at, n });
      trim(now);
    },
    perSecond(now = Date.now()) {
      trim(now);
      let n = 0;
      for (const b of buckets) n += b.n;
      return n / (spanMs / 1000);
    },
  };
}
