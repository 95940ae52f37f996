/**
 * The adaptive rate, on its own and driving a real RpcClient against the replay server's
 * limiters: it must use the allowance it was never told about, with few 429s, follow a limit
 * that changes, and honour Retry-After as the upper bound it is (holding every call, probing
 * no sooner than the endpoint said it might accept).
 *
 * Bounds are loose enough for a loaded 2-core machine: the calls are cheap (getBlockTime), so
 * the CPU is not what limits the rate, and each run is several seconds long.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RpcClient } from '../../src/sources/rpc/client.js';
import { AdaptiveRate, type Ticket } from '../../src/sources/rate.js';
import { startReplay, type Faults, type ReplayServer } from '../support/replay/index.js';

let server: ReplayServer;
beforeAll(async () => {
  server = await startReplay({ copies: 4, txPerBlock: 1, skipEvery: 0 });
});
afterAll(async () => {
  await server.close();
});

/**
 * `calls` getBlockTime calls through an ordered window of 32, the way a backfill consumes
 * blocks; answers what the server saw.
 */
async function drive(faults: Faults, calls: number, opts: { rps?: number; during?: (elapsedMs: number) => void } = {}) {
  server.setFaults(faults);
  server.resetStats();
  const client = new RpcClient({ url: server.url, concurrency: 32, rps: opts.rps });
  const slots = server.chain.produced;
  const t0 = Date.now();
  const window: Array<Promise<unknown>> = [];
  let failed = 0;
  for (let i = 0; i < calls || window.length > 0; ) {
    while (i < calls && window.length < 32) {
      window.push(client.callMany<number>('getBlockTime', [[slots[i++ % slots.length]]]).then(([r]) => r.ok || failed++));
    }
    await window.shift();
    opts.during?.(Date.now() - t0);
  }
  client.close();
  const s = server.stats;
  const seconds = ((s.lastServedAt ?? 0) - (s.firstServedAt ?? 0)) / 1000;
  return { failed, served: s.served, seconds, rate: s.served / seconds, throttledShare: s.throttled / s.calls, log: s.log, client };
}

describe('adaptive rate against the replay server', { timeout: 30_000 }, () => {
  it('uses most of a 100 calls/s token bucket it was not told about, with few 429s', async () => {
    const r = await drive({ rps: 100, latencyMs: 20 }, 450);
    expect(r.failed).toBe(0);
    expect(r.rate / 100).toBeGreaterThanOrEqual(0.85);
    expect(r.throttledShare).toBeLessThan(0.03);
  });

  it('learns a fixed window (200 calls per 2 s) from the windows it empties', async () => {
    const r = await drive({ windows: [{ calls: 200, ms: 2000 }], latencyMs: 20 }, 700);
    expect(r.failed).toBe(0);
    expect(r.rate / 100).toBeGreaterThanOrEqual(0.75);
    expect(r.throttledShare).toBeLessThan(0.12);
    // Slow start empties a window with calls in flight, and the next one may run out early
    // too; from then on it spreads the allowance over the window: 429s are a few probes.
    const later = r.log.filter((c) => c.at > r.log[0].at + 4000);
    expect(later.filter((c) => c.outcome === '429').length / later.length).toBeLessThan(0.05);
  });

  it('follows a limit that falls mid-run, then settles under it', async () => {
    let dropped = 0;
    const r = await drive({ rps: 150, latencyMs: 20 }, 550, {
      during: (ms) => {
        if (!dropped && ms > 1500) {
          dropped = Date.now();
          server.setFaults({ ...server.faults, rps: 60 });
        }
      },
    });
    expect(r.failed).toBe(0);
    // Two seconds after the drop it has found the new limit: few 429s, most of the allowance.
    const after = r.log.filter((c) => c.at >= dropped + 2000);
    const seconds = (after[after.length - 1].at - after[0].at) / 1000;
    const ok = after.filter((c) => c.outcome === 'ok').length;
    expect(after.filter((c) => c.outcome === '429').length / after.length).toBeLessThan(0.05);
    expect(ok / seconds / 60).toBeGreaterThanOrEqual(0.75);
  });

  it('sends nothing new before Retry-After minus one second, then resumes at once', async () => {
    // 40 calls per 3-second window, aligned to the clock: the first window runs out almost at
    // once and the server answers Retry-After: 1..3 (the seconds left, rounded up).
    const r = await drive({ windows: [{ calls: 40, ms: 3000 }], latencyMs: 5 }, 100);
    expect(r.failed).toBe(0);
    const log = r.log;
    const first429 = log.findIndex((c) => c.outcome === '429');
    const windowEnd = (Math.floor(log[first429].at / 3000) + 1) * 3000;
    const retryAfter = Math.ceil((windowEnd - log[first429].at) / 1000) * 1000;
    // Calls that were already in flight land within a few ms; after that, silence until the
    // earliest moment Retry-After allows.
    const early = log.filter((c) => c.at > log[first429].at + 50 && c.at < log[first429].at + retryAfter - 1000 - 20);
    expect(early, JSON.stringify({ first: log[first429], retryAfter, around: log.slice(Math.max(0, first429 - 3), first429 + 12) })).toEqual([]);
    // And it did not sit out the whole Retry-After when the window ended sooner.
    const resumed = log.find((c) => c.at > windowEnd && c.outcome === 'ok')!;
    expect(resumed.at - windowEnd).toBeLessThan(400);
  });

  it('with --rps at the plan limit, paces at it with no 429s', async () => {
    const r = await drive({ rps: 100, latencyMs: 20 }, 400, { rps: 100 });
    expect(r.failed).toBe(0);
    expect(r.rate / 100).toBeGreaterThanOrEqual(0.9);
    expect(r.rate).toBeLessThanOrEqual(105);
    expect(r.throttledShare).toBeLessThan(0.01);
  });
});

describe('AdaptiveRate episodes and holds', () => {
  const ticket = (sentAt: number, rate: number, probe = false): Ticket => ({ sentAt, rate, probe });

  it('slows down on a stray 429 without holding; 429s for calls in flight make it hold', () => {
    let now = 10_000;
    const rate = new AdaptiveRate({ initial: 100, now: () => now });
    rate.onThrottle(1000, ticket(now - 20, 100));
    expect(rate.snapshot()).toMatchObject({ episodes: 1, severe: 0, pausedForMs: 0 });
    expect(rate.rate).toBeLessThan(100);
    now += 5;
    // Sent before the episode began: the same overload, no new episode, but it is no stray.
    rate.onThrottle(1000, ticket(now - 30, 100));
    rate.onThrottle(1000, ticket(now - 30, 100));
    expect(rate.snapshot()).toMatchObject({ episodes: 1, severe: 1, pausedForMs: 1000 });
    rate.close();
  });

  it('lifts a hold as soon as its probe gets through, long before Retry-After ends', async () => {
    const rate = new AdaptiveRate({ initial: 200, probeDelayMs: 10 });
    const t0 = Date.now();
    for (let i = 0; i < 3; i++) rate.onThrottle(1000, ticket(t0 - 10, 200));
    expect(rate.snapshot().pausedForMs).toBeGreaterThan(900);
    const probe = await rate.acquire();
    expect(probe.probe).toBe(true);
    // Only the probe goes out while it is in flight.
    let released = false;
    const next = rate.acquire().then(() => (released = true));
    await new Promise((r) => setTimeout(r, 30));
    expect(released).toBe(false);
    rate.onSuccess(1, probe);
    await next;
    expect(Date.now() - t0).toBeLessThan(500);
    expect(rate.snapshot().pausedForMs).toBe(0);
    rate.close();
  });

  it('waits twice as long after each throttled probe, and never past the last Retry-After', async () => {
    // 429s without Retry-After bound the hold to 100 ms from when they came.
    const rate = new AdaptiveRate({ initial: 200, probeDelayMs: 20, jitter: 0, defaultRetryAfterMs: 100 });
    const t0 = Date.now();
    for (let i = 0; i < 3; i++) rate.onThrottle(400, ticket(t0 - 10, 200));
    const gaps: number[] = [];
    let last = t0;
    for (;;) {
      const t = await rate.acquire();
      gaps.push(Date.now() - last);
      last = Date.now();
      if (!t.probe) break;
      rate.onThrottle(undefined, t); // still over; no new Retry-After
    }
    // Probes ~20, ~40, ~80 and ~160 ms apart; the next would come 320 ms later, but the first
    // Retry-After (400 ms) ends the hold first.
    expect(gaps.length).toBe(5);
    expect(gaps[1]).toBeGreaterThanOrEqual(gaps[0]);
    expect(gaps[2]).toBeGreaterThan(gaps[1]);
    expect(gaps[3]).toBeGreaterThan(gaps[2]);
    expect(last - t0).toBeGreaterThanOrEqual(390);
    expect(last - t0).toBeLessThan(600);
    rate.close();
  });
});
