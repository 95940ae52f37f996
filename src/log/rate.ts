/**
 * Per-second rate of a growing total (trades written, transactions decoded) over a sliding
 * window, for the status line: sample the total whenever the status is drawn.
 */
export interface Rate {
  /** Record the total now; returns the rate per second over the window (0 until two samples). */
  sample(total: number): number;
}

export function createRate(windowMs = 10_000, now: () => number = Date.now): Rate {
  const samples: Array<{ t: number; total: number }> = [];
  return {
    sample(total) {
      const t = now();
      samples.push({ t, total });
      // Keep one sample at or before the window's start, so the rate spans the whole window.
      while (samples.length > 2 && samples[1].t <= t - windowMs) samples.shift();
      const first = samples[0];
      const seconds = (t - first.t) / 1000;
      return seconds > 0 ? Math.max(0, total - first.total) / seconds : 0;
    },
  };
}
