/**
 * The RPC client against the replay server: retries through faults, honours 429 + Retry-After,
 * opens its circuit when the endpoint is down, falls back when batches are refused, and stops
 * at once when closed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RpcClient } from '../../src/sources/rpc/client.js';
import { CircuitBreaker } from '../../src/sources/breaker.js';
import { AdaptiveRate } from '../../src/sources/rate.js';
import { parseRetryAfter } from '../../src/sources/rpc/errors.js';
import { timeRangeToSlots } from '../../src/sources/slot-time.js';
import { resolveEndpoint } from '../../src/sources/endpoint.js';
import { startReplay, type ReplayServer } from '../support/replay/index.js';

let server: ReplayServer;
beforeAll(async () => {
  server = await startReplay();
});
afterAll(async () => {
  await server.close();
});

// Short backoffs and a high starting rate: these tests are about behaviour, not pacing.
const fast = { backoffBaseMs: 5, backoffMaxMs: 20, timeoutMs: 300, initialRps: 1000 };
const slot = () => server.chain.produced[2];

describe('RpcClient', { timeout: 15_000 }, () => {
  it('answers, and reports skipped slots as final "skipped" errors', async () => {
    server.setFaults({});
    const c = new RpcClient({ url: server.url, ...fast });
    const block = await c.call<any>('getBlock', [slot(), { maxSupportedTransactionVersion: 1, rewards: false }]);
    expect(block.transactions.length).toBeGreaterThan(0);
    const skipped = server.chain.firstSlot + 4; // skipEvery 5
    await expect(c.call('getBlock', [skipped, { maxSupportedTransactionVersion: 1 }])).rejects.toMatchObject({ kind: 'skipped', code: -32009 });
    await expect(c.call('getBlock', [server.chain.lastSlot + 5, {}])).rejects.toMatchObject({ kind: 'unavailable', code: -32004 });
    expect(c.stats.failed).toBe(1); // the -32004 after its retries; skipped is not a failure
  });

  it('retries through 5xx, drops, hangs and malformed JSON', async () => {
    server.setFaults({ http5xxRate: 0.2, dropRate: 0.15, timeoutRate: 0.1, malformedRate: 0.15, seed: 3 });
    const c = new RpcClient({ url: server.url, ...fast, maxAttempts: 12, breaker: { threshold: 50 } });
    const slots = server.chain.produced.slice(0, 20);
    const results = await c.callMany<any>('getBlock', slots.map((s) => [s, { maxSupportedTransactionVersion: 1 }]));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(c.stats.retries).toBeGreaterThan(3);
    expect(c.stats.serverErrors + c.stats.networkErrors + c.stats.timeouts + c.stats.malformed).toBeGreaterThan(3);
  });

  it('retries through 429s, learns the limit and stays under it', async () => {
    server.setFaults({ rps: 40, burst: 4 });
    const c = new RpcClient({ url: server.url, ...fast, concurrency: 8, initialRps: 80 });
    const results = await c.callMany<number>('getBlockTime', Array.from({ length: 60 }, () => [slot()]));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(c.stats.throttled).toBeGreaterThan(0);
    expect(c.rate.learnedLimit).not.toBeNull();
    expect(c.rate.rate).toBeLessThanOrEqual(50);
  });

  it('batches, and falls back to smaller batches and single calls when the endpoint refuses', async () => {
    server.setFaults({ batch: 4 });
    server.resetStats();
    const sigs = [...server.chain.bySignature.keys()].slice(0, 20);
    const c = new RpcClient({ url: server.url, ...fast, batch: { getTransaction: 10 } });
    const r = await c.callMany<any>('getTransaction', sigs.map((s) => [s, { maxSupportedTransactionVersion: 1 }]));
    expect(r.every((x) => x.ok && x.value.transaction.signatures[0])).toBe(true);
    expect(c.batchSize('getTransaction')).toBeLessThanOrEqual(4);
    expect(server.stats.httpRequests).toBeLessThan(20 + 5);

    server.setFaults({ batch: false });
    const c2 = new RpcClient({ url: server.url, ...fast, batch: { getTransaction: 10 } });
    const r2 = await c2.callMany<any>('getTransaction', sigs.map((s) => [s, { maxSupportedTransactionVersion: 1 }]));
    expect(r2.every((x) => x.ok)).toBe(true);
    expect(c2.batchSize('getTransaction')).toBe(1);
  });

  it('opens its circuit when the endpoint keeps failing, and gives up after maxDownMs', async () => {
    server.setFaults({ http5xxRate: 1 });
    const changes: string[] = [];
    const c = new RpcClient({ url: server.url, ...fast, maxAttempts: 100, breaker: { threshold: 3, cooldownMs: 20, maxDownMs: 300 }, onEvent: (e) => e.type === 'breaker' && changes.push(e.state) });
    await expect(c.call('getSlot', [])).rejects.toMatchObject({ kind: 'down' });
    expect(changes.slice(0, 3)).toEqual(['open', 'half-open', 'open']);
  });

  it('stops at once when closed, even with a request hanging', async () => {
    server.setFaults({ timeoutRate: 1 });
    const c = new RpcClient({ url: server.url, timeoutMs: 30_000 });
    const pending = c.call('getSlot', []);
    await new Promise((r) => setTimeout(r, 50));
    const t0 = Date.now();
    c.close();
    await expect(pending).rejects.toMatchObject({ kind: 'aborted' });
    expect(Date.now() - t0).toBeLessThan(500);
  });

  it('never leaks an API key in its errors', async () => {
    const c = new RpcClient({ url: 'http://127.0.0.1:1/?api-key=SECRET123456789', ...fast, maxAttempts: 1 });
    const err = await c.call('getSlot', []).catch((e) => e as Error);
    expect(err.message).not.toContain('SECRET');
    expect(c.endpoint).not.toContain('SECRET');
  });
});

describe('rate control and breaker', () => {
  it('paces calls evenly at the ceiling, without bursting after idle time', async () => {
    const rate = new AdaptiveRate({ ceiling: 100 });
    const times: number[] = [];
    await new Promise((r) => setTimeout(r, 100));
    await Promise.all(Array.from({ length: 20 }, () => rate.acquire().then(() => times.push(Date.now()))));
    const span = times[times.length - 1] - times[0];
    // 19 intervals of 10 ms ± 10% jitter (the idle spell earns no catch-up).
    expect(span).toBeGreaterThanOrEqual(19 * 10 * 0.9 - 5);
    rate.close();
  });

  it('backs off on trouble and on 429, and never exceeds the ceiling', () => {
    let now = 0;
    const rate = new AdaptiveRate({ ceiling: 50, now: () => now });
    expect(rate.rate).toBe(50);
    // A burst of 429s (the same overload): slower, and every call held for up to Retry-After.
    for (let i = 0; i < 3; i++) rate.onThrottle(1000);
    expect(rate.rate).toBeLessThan(50);
    expect(rate.snapshot().pausedForMs).toBe(1000);
    now += 10_000;
    rate.onTrouble();
    expect(rate.rate).toBeLessThan(40);
  });

  it('closes again after a successful half-open probe', async () => {
    const b = new CircuitBreaker({ threshold: 2, cooldownMs: 20 });
    b.onFailure();
    b.onFailure();
    expect(b.state).toBe('open');
    const probe = await b.admit();
    expect(probe).toBe(true);
    expect(b.state).toBe('half-open');
    b.onSuccess();
    expect(b.state).toBe('closed');
    expect(await b.admit()).toBe(false);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('2')).toBe(2000);
    expect(parseRetryAfter(new Date(Date.now() + 3000).toUTCString())).toBeGreaterThan(1000);
    expect(parseRetryAfter(null)).toBeUndefined();
  });
});

describe('time → slot bisection', () => {
  it('finds the slots whose block times fall in a span', async () => {
    server.setFaults({});
    const { chain } = server;
    const t0 = chain.blockTimeOf(chain.firstSlot);
    const c = new RpcClient({ url: server.url, ...fast });
    const r = await timeRangeToSlots(c, (t0 + 3) * 1000, (t0 + 6) * 1000);
    const timeOf = (s: number) => chain.blockTimeOf(chain.produced.find((p) => p >= s)!);
    expect(timeOf(r!.start)).toBeGreaterThanOrEqual(t0 + 3);
    expect(timeOf(r!.start - 1)).toBeLessThan(t0 + 3);
    expect(timeOf(r!.end)).toBeLessThanOrEqual(t0 + 6);
    expect(timeOf(r!.end + 1)).toBeGreaterThan(t0 + 6);
    expect(await timeRangeToSlots(c, (t0 + 3600) * 1000, (t0 + 7200) * 1000)).toBeNull();
  });
});

describe('endpoint resolution', () => {
  it('takes the flag, then SOLFLOW_RPC_URL, and expands monikers', () => {
    expect(resolveEndpoint('devnet', {}, '/nonexistent')).toEqual({ url: 'https://api.devnet.solana.com', from: 'flag' });
    expect(resolveEndpoint('l', {}, '/nonexistent').url).toBe('http://127.0.0.1:8899');
    expect(resolveEndpoint(undefined, { SOLFLOW_RPC_URL: 'https://x.example/?api-key=k' }, '/nonexistent')).toMatchObject({ from: 'env' });
    expect(resolveEndpoint(undefined, {}, '/nonexistent')).toMatchObject({ from: 'default', warning: expect.any(String) });
    expect(() => resolveEndpoint('ftp://x', {}, '/nonexistent')).toThrow();
  });
});
