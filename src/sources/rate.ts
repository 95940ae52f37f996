/**
 * An adaptive request pacer: spaces calls evenly at a target rate that it learns from the
 * endpoint, so a backfill uses the provider's allowance without hammering it.
 *
 * - Calls are spaced 1/rate apart and never bunched to "catch up" after an idle spell, so the
 *   provider sees a steady stream rather than bursts.
 * - Before the first 429 the rate grows ×1.5 per step (slow start). A 429 marks the limit (the
 *   lower of the rate sent and the rate accepted lately): the rate drops 5% under it, climbs
 *   back to 98% of it, holds there (`plateauMs`), and only then probes upward, slowly. Each 429
 *   episode costs a Retry-After pause, so few episodes is what keeps the allowance used.
 * - Retry-After pauses every call until it expires.
 * - 5xx, timeouts and dropped connections cut the rate by 30% (an overloaded node sheds load).
 * - The rate only grows while callers are actually waiting on it, so an idle or slow consumer
 *   does not inflate it into a burst later.
 * - `ceiling` (--rps) is never exceeded.
 */

export interface RateOptions {
  /** Hard ceiling in calls/s (--rps); default unlimited. */
  ceiling?: number;
  /** Starting rate; default the ceiling when one is given, else 20 calls/s. */
  initial?: number;
  /** Lowest rate it backs off to; default 1 call/s. */
  floor?: number;
  /** How often the rate may grow, ms; default 250. */
  stepMs?: number;
  /** How long to hold just under a learned limit before probing past it, ms; default 15 s. */
  plateauMs?: number;
  now?: () => number;
}

export interface RateSnapshot {
  rate: number;
  ceiling: number;
  /** Calls/s accepted when the endpoint last throttled us (the learned limit), if any. */
  learnedLimit: number | null;
  pausedForMs: number;
  throttles: number;
  slowdowns: number;
}

const SLACK_MS = 10;

export class AdaptiveRate {
  private current: number;
  private readonly ceiling: number;
  private readonly floor: number;
  private readonly stepMs: number;
  private readonly plateauMs: number;
  private readonly now: () => number;

  private nextAt = 0;
  private queue: Array<{ n: number; resolve: () => void }> = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
  private sentSinceChange = 0;
  private pausedUntil = 0;
  /** End of the last Retry-After pause (measurements start after it). */
  private pauseEnd = 0;
  private lastChangeAt = 0;
  private lastThrottleAt = -Infinity;
  private learned: number | null = null;
  private waitedSinceChange = false;
  /** Calls answered over the last few seconds, to measure what the endpoint accepts. */
  private answered = new RateMeter(5000);
  private plateau: number;
  private throttles = 0;
  private slowdowns = 0;

  constructor(opts: RateOptions = {}) {
    this.ceiling = opts.ceiling && opts.ceiling > 0 ? opts.ceiling : Infinity;
    this.floor = Math.min(opts.floor ?? 1, this.ceiling);
    this.current = Math.min(this.ceiling, opts.initial ?? (Number.isFinite(this.ceiling) ? this.ceiling : 20));
    this.stepMs = opts.stepMs ?? 250;
    this.plateauMs = opts.plateauMs ?? 30_000;
    this.plateau = this.plateauMs;
    this.now = opts.now ?? Date.now;
    this.lastChangeAt = this.now();
  }

  get rate(): number {
    return this.current;
  }

  /** Release every waiting caller now (the client is closing; they will not send). */
  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const q = this.queue;
    this.queue = [];
    for (const w of q) w.resolve();
  }

  /** Wait for this caller's turn to send `n` calls (a batch of n counts n). FIFO. */
  acquire(n = 1): Promise<void> {
    return new Promise<void>((resolve) => {
      this.queue.push({ n, resolve });
      this.pump();
    });
  }

  /**
   * Release queued callers one interval apart at the rate in force *now* (a rate change or a
   * Retry-After applies to callers already waiting, not only to new ones).
   */
  private pump(): void {
    if (this.timer) return;
    for (;;) {
      const head = this.queue[0];
      if (!head) return;
      const now = this.now();
      const at = Math.max(this.nextAt, this.pausedUntil);
      if (at > now) {
        this.waitedSinceChange = true;
        this.timer = setTimeout(() => {
          this.timer = null;
          this.pump();
        }, Math.max(1, at - now));
        return;
      }
      this.queue.shift();
      // Timers fire late by a millisecond or two; forgive that much so the achieved rate does
      // not sag, but never let an idle spell turn into a burst.
      const base = Math.max(this.nextAt, now - SLACK_MS);
      this.nextAt = base + (head.n * 1000) / this.current;
      this.sentSinceChange += head.n;
      head.resolve();
    }
  }

  /** `n` calls were answered (a result or a final RPC error: the endpoint is healthy). */
  onSuccess(n = 1): void {
    const now = this.now();
    this.answered.add(now, n);
    if (now - this.lastChangeAt < this.stepMs || !this.waitedSinceChange) return;
    // Grow only when the rate is what limits us: callers had to wait, and what was sent kept up
    // with the rate (otherwise concurrency or the consumer is the bottleneck).
    const expected = ((now - this.lastChangeAt) / 1000) * this.current;
    if (this.sentSinceChange < expected * 0.8) return;
    let next = this.current;
    if (this.learned === null) {
      next = this.current * 1.5;
    } else {
      const target = this.learned * 0.98;
      if (this.current < target) next = Math.min(target, this.current + Math.max(1, (target - this.current) / 2));
      else if (now - this.lastThrottleAt > this.plateau) {
        // Probe gently at first, then faster the longer the endpoint keeps saying yes (the
        // limit may have been marked low, or the plan may have grown).
        const probingFor = now - this.lastThrottleAt - this.plateau;
        const step = Math.max(0.5, this.current * 0.005) * 2 ** Math.min(5, Math.floor(probingFor / 2000));
        next = this.current + step;
      }
    }
    this.setRate(Math.min(this.ceiling, next), now);
  }

  /** The endpoint said 429. */
  onThrottle(retryAfterMs?: number): void {
    const now = this.now();
    this.throttles++;
    if (retryAfterMs && retryAfterMs > 0) this.pausedUntil = Math.max(this.pausedUntil, now + retryAfterMs);
    const pauseEnd = this.pauseEnd;
    this.pauseEnd = Math.max(this.pauseEnd, this.pausedUntil);
    // One decrease per burst of 429s: the calls already in flight report the same overload.
    if (now - this.lastThrottleAt < Math.max(this.stepMs, 500)) return;
    this.lastThrottleAt = now;
    // The limit is at most the rate we were sending at, and at most what the endpoint accepted
    // lately. A provider's burst allowance inflates the latter over short windows, so measure
    // it over two seconds. In slow start the measure lags the climb, so that first mark is
    // only provisional: hold it briefly and probe again soon.
    const slowStart = this.learned === null;
    // Measure only time we were sending: a Retry-After pause inside the window would read low.
    const window = Math.min(slowStart ? 1000 : 2000, now - pauseEnd);
    const measured = window >= 300 ? this.answered.rate(now, window) : 0;
    let mark = Math.min(this.current, measured > 0 ? measured : this.current);
    // The rate before the last ×1.5 step was most likely fine (the 429 answers that step).
    if (slowStart) mark = Math.max(mark, this.current / 1.5);
    this.learned = Math.max(this.floor, Math.min(this.ceiling, mark));
    this.plateau = slowStart ? Math.min(this.plateauMs, 2000) : this.plateauMs;
    this.setRate(Math.max(this.floor, this.learned * 0.95), now);
  }

  /** 5xx, timeout, dropped connection or garbage: the node may be overloaded. */
  onTrouble(): void {
    const now = this.now();
    this.slowdowns++;
    if (now - this.lastChangeAt < this.stepMs) return;
    this.setRate(Math.max(this.floor, this.current * 0.7), now);
  }

  snapshot(): RateSnapshot {
    return {
      rate: this.current,
      ceiling: this.ceiling,
      learnedLimit: this.learned,
      pausedForMs: Math.max(0, this.pausedUntil - this.now()),
      throttles: this.throttles,
      slowdowns: this.slowdowns,
    };
  }

  private setRate(rate: number, now: number): void {
    this.current = rate;
    this.lastChangeAt = now;
    this.waitedSinceChange = false;
    this.sentSinceChange = 0;
  }
}

/** Counts events in 100 ms buckets over a sliding horizon. */
class RateMeter {
  private readonly buckets: number[];
  private readonly times: number[];
  private first = -1;

  constructor(horizonMs: number) {
    const n = Math.ceil(horizonMs / 100);
    this.buckets = new Array(n).fill(0);
    this.times = new Array(n).fill(-1);
  }

  add(now: number, n: number): void {
    const t = Math.floor(now / 100);
    const i = t % this.buckets.length;
    if (this.times[i] !== t) {
      this.times[i] = t;
      this.buckets[i] = 0;
    }
    this.buckets[i] += n;
    if (this.first < 0) this.first = now;
  }

  /** Events per second over the last `windowMs` (or since the first event, if sooner). */
  rate(now: number, windowMs: number): number {
    if (this.first < 0) return 0;
    const t = Math.floor(now / 100);
    const span = Math.min(windowMs, now - this.first, this.buckets.length * 100);
    const k = Math.max(1, Math.ceil(span / 100));
    let sum = 0;
    for (let j = 0; j < k; j++) {
      const i = (t - j) % this.buckets.length;
      if (this.times[i] === t - j) sum += this.buckets[i];
    }
    return sum / (Math.max(span, 100) / 1000);
  }
}
