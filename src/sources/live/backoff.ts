/**
 * Redial delay after the n-th failed attempt in a row: exponential, capped, with "equal
 * jitter" (half fixed, half random) so many clients cut off together do not return together.
 */
export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
}

export function redialDelay(attempt: number, opts: BackoffOptions, random: () => number = Math.random): number {
  const d = Math.min(opts.maxMs, opts.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(d / 2 + random() * (d / 2));
}
