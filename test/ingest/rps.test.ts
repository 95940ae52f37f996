/**
 * `ingest --rps N`: a plan's published limit is a ceiling for every HTTP call ingest makes (the
 * catch-up's getBlocks/getBlock, gap fills, getTransaction, the tip polls), whatever pace the
 * rate learner would reach on its own.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { startReplay, type ReplayServer } from '../support/replay/index.js';
import { solflowAsync } from '../cli/run.js';
import { startIngest, tempDir, waitFor } from './support.js';

let server: ReplayServer;
let dir: string;

beforeAll(async () => {
  server = await startReplay({ copies: 4, txPerBlock: 6, live: { slotMs: 0, blockSubscribe: false } });
  dir = tempDir('ingest-rps');
});

afterAll(async () => {
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

it('paces every HTTP call at --rps: a catch-up that runs at 13+ calls/s alone keeps to 5', async () => {
  // History to catch up on: the chain's clock is 80 slots past where ingest starts, and moves on
  // (a slot notification is what sets the catch-up going). The endpoint itself sets no limit.
  for (let i = 0; i < 80; i++) server.live.step();
  const clock = setInterval(() => server.live.step(), 400);
  try {
    const run = startIngest(['--rpc', server.url, '--ws', server.live.wsUrl, '--db', join(dir, 'rps.db'), '--from-slot', String(server.chain.firstSlot), '--rps', '5', '--json']);
    await waitFor('the catch-up under way', () => server.stats.log.some((c) => c.method === 'getBlock'), 30_000, run);
    const before = server.stats.calls;
    await new Promise((r) => setTimeout(r, 3000));
    const calls = server.stats.calls - before;
    const t0 = Date.now();
    run.child.kill('SIGTERM');
    expect((await run.exited).code, run.out.stderr).toBe(0);
    // Stopped mid catch-up: the paced calls still queued are dropped, not waited out.
    expect(Date.now() - t0).toBeLessThan(5000);
    // 3 s at 5 a second, plus the pacer's burst; without --rps this catch-up makes 40 or more.
    expect(calls).toBeGreaterThan(5);
    expect(calls).toBeLessThanOrEqual(22);
  } finally {
    clearInterval(clock);
  }
}, 60_000);

it('refuses an --rps that is not a positive number (exit 2, one line)', async () => {
  const r = await solflowAsync(['ingest', '--rpc', server.url, '--db', join(dir, 'bad.db'), '--rps', '0']);
  expect(r.code).toBe(2);
  expect(r.stderr.trim()).toBe('solflow: --rps must be a positive number');
});

it('watch takes --rps with --rpc only, and checks it as ingest does', async () => {
  const alone = await solflowAsync(['watch', '--rps', '5', '--db', join(dir, 'w.db')]);
  expect(alone.code).toBe(2);
  expect(alone.stderr.trim()).toBe('solflow: --ws, --x-token and --rps go with --rpc (watch tails the database without them)');
  const bad = await solflowAsync(['watch', '--rpc', server.url, '--rps', '-1', '--ndjson', '--db', join(dir, 'w.db')]);
  expect(bad.code).toBe(2);
  expect(bad.stderr.trim()).toBe('solflow: --rps must be a positive number');
});
