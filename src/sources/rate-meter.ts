/** Counts events in 100 ms buckets over a sliding horizon. */
export class RateMeter {
  private readonly buckets: number[];
  private readonly times: number[];
  private first = -1;

  constructor(horizonMs: number) {
    const n = Math.ceil(horizonMs / 100) + 1;
    this.buckets = new Array(n).fill(0);
    this.times = new Array(n).fill(-1);
  }

  add(at: number, n: number): void {
    const t = Math.floor(at / 100);
    const i = t % this.buckets.length;
    if (this.times[i] !== t) {
      // An event older than the horizon (a very late answer) has nowhere to go.
      if (this.times[i] > t) return;
      this.times[i] = t;
      this.buckets[i] = 0;
    }
    this.buckets[i] += n;
    if (this.first < 0 || at < this.first) this.first = at;
  }

  /** Events in the whole buckets covering about the last `windowMs`, and the time they cover. */
  private sum(now: number, windowMs: number): { sum: number; covered: number } {
    if (this.first < 0) return { sum: 0, covered: 0 };
    const t = Math.floor(now / 100);
    const span = Math.min(windowMs, now - this.first, (this.buckets.length - 1) * 100);
    const k = Math.max(1, Math.round(span / 100));
    let sum = 0;
    for (let j = 0; j < k; j++) {
      const i = (((t - j) % this.buckets.length) + this.buckets.length) % this.buckets.length;
      if (this.times[i] === t - j) sum += this.buckets[i];
    }
    return { sum, covered: now - Math.max((t - k + 1) * 100, this.first) };
  }

  count(now: number, windowMs: number): number {
    return this.sum(now, windowMs).sum;
  }

  /** Events per second over about the last `windowMs` (the newest bucket is still filling). */
  rate(now: number, windowMs: number): number {
    const { sum, covered } = this.sum(now, windowMs);
    return covered > 0 ? sum / (Math.max(covered, 50) / 1000) : 0;
  }
}
