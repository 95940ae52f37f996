/** The shapes AdaptiveRate (rate.ts) takes and reports. */

export interface RateOptions {
  /** Hard ceiling in calls/s (--rps); default unlimited. */
  ceiling?: number;
  /** Starting rate; default the ceiling when one is given, else 20 calls/s. */
  initial?: number;
  /** Lowest rate it backs off to; default 1 call/s. */
  floor?: number;
  /** How often the rate may grow, ms; default 200. */
  stepMs?: number;
  /** How long to hold just under a learned limit before probing past it, ms; default 5 s. */
  plateauMs?: number;
  /** First wait before a hold's probe, ms (doubling after each throttled probe, up to 250); default 40. */
  probeDelayMs?: number;
  /** Longest hold when a 429 carries no Retry-After, ms; default 1000. */
  defaultRetryAfterMs?: number;
  /** Spacing jitter as a fraction of the interval (0..0.5); default 0.1. */
  jitter?: number;
  now?: () => number;
  random?: () => number;
}

export interface RateSnapshot {
  rate: number;
  ceiling: number;
  /** The limit learned from the endpoint's 429s (calls/s), if any. */
  learnedLimit: number | null;
  /** How long the current hold may still last at most (its Retry-After bound). */
  pausedForMs: number;
  /** 429 answers seen. */
  throttles: number;
  /** Throttle episodes (one per overload, however many 429s it drew), and how many were severe. */
  episodes: number;
  severe: number;
  /** Probe calls sent during holds, and how many of them were throttled again. */
  probes: number;
  failedProbes: number;
  slowdowns: number;
}

/** What `acquire` hands out; give it back with the call's outcome. */
export interface Ticket {
  readonly sentAt: number;
  /** The pace the call was released at. */
  readonly rate: number;
  readonly probe: boolean;
  /** Set once the outcome is reported, so a mixed batch answer counts once. */
  reported?: boolean;
}
