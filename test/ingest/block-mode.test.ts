/**
 * The built ingest in block-subscription mode (the replay offers blockSubscribe, as a node with
 * it enabled does): every block notification is parsed and decoded on the frame worker, which
 * the CLI bundle ships as an entry of its own. A worker that cannot start is survived, not
 * fatal (the connection is given up and its slots refetched), so a bundle without it would
 * still pass on trades alone: the test also requires that no connection was given up. The
 * stored trades equal a backfill of the same slots.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { startReplay, type ReplayServer } from '../support/replay/index.js';
import { filterCsvToSlot } from './csv.js';
import { backfillInto, countTrades, cursorReaches, paceClock, readCursor, startIngest, tempDir, tradesCsv, waitFor } from './support.js';

let server: ReplayServer;
let dir: string;

beforeAll(async () => {
  server = await startReplay({ copies: 2, txPerBlock: 6, live: { slotMs: 0, blockSubscribe: true } });
  dir = tempDir('ingest-block');
});

afterAll(async () => {
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('solflow ingest on block notifications', () => {
  it('decodes blocks on its frame worker, gives no connection up, and equals a backfill', async () => {
    const db = join(dir, 'live.db');
    const { firstSlot: first, lastSlot: last } = server.chain;
    const run = startIngest(['--rpc', server.url, '--ws', server.live.wsUrl, '--db', db, '--from-slot', String(first), '--json']);
    await waitFor('the first subscription', () => server.live.stats.subscriptions > 0, 30_000, run);
    const stopClock = paceClock({ step: () => server.live.step(), get slot() { return server.live.slot; }, get finished() { return server.live.finished; } }, db);
    onTestFinished(stopClock);
    await waitFor('the replayed chain to finish', () => server.live.finished, 60_000, run);
    await cursorReaches(db, last - 40, run, 30_000);
    run.child.kill('SIGTERM');
    expect((await run.exited).code).toBe(0);
    const cursor = readCursor(db)!;

    const log = run.out.stdout + run.out.stderr;
    expect(log).toMatch(/block/i);
    expect(log).not.toMatch(/frame worker/);
    const stopped = log.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l)).find((e) => e.msg === 'ingest stopped');
    expect(stopped).toMatchObject({ reconnects: 0, decodeErrors: 0 });
    expect(server.live.stats.slowClosed).toBe(0);

    const ref = join(dir, 'backfill.db');
    await backfillInto(ref, server.url, first, cursor);
    expect(countTrades(db)).toBeGreaterThan(50);
    const [live, backfilled] = await Promise.all([tradesCsv(db), tradesCsv(ref)]);
    expect(filterCsvToSlot(live, cursor)).toBe(backfilled);
  }, 180_000);
});
