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
import { solflowAsync } from '../cli/run.js';
import { startReplay, type ReplayServer } from '../support/replay/index.js';
import { filterCsvToSlot } from './csv.js';
import { backfillInto, countTrades, cursorReaches, paceClock, readCursor, startIngest, tempDir, tradesCsv, waitFor } from './support.js';

let dir: string;
const servers: ReplayServer[] = [];

beforeAll(() => {
  dir = tempDir('ingest-block');
});

afterAll(async () => {
  for (const s of servers) await s.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A fresh replay chain ingested from its first slot to its end, then SIGTERM. */
async function ingestChain(name: string, extra: string[] = []) {
  const server = await startReplay({ copies: 2, txPerBlock: 6, live: { slotMs: 0, blockSubscribe: true } });
  servers.push(server);
  const db = join(dir, `${name}.db`);
  const { firstSlot: first, lastSlot: last } = server.chain;
  const run = startIngest(['--rpc', server.url, '--ws', server.live.wsUrl, '--db', db, '--from-slot', String(first), '--json', ...extra]);
  await waitFor('the first subscription', () => server.live.stats.subscriptions > 0, 30_000, run);
  const stopClock = paceClock({ step: () => server.live.step(), get slot() { return server.live.slot; }, get finished() { return server.live.finished; } }, db);
  onTestFinished(stopClock);
  await waitFor('the replayed chain to finish', () => server.live.finished, 60_000, run);
  await cursorReaches(db, last - 40, run, 30_000);
  run.child.kill('SIGTERM');
  expect((await run.exited).code).toBe(0);
  return { server, db, first, cursor: readCursor(db)!, log: run.out.stdout + run.out.stderr };
}

describe('solflow ingest on block notifications', () => {
  it('decodes blocks on its frame worker, gives no connection up, and equals a backfill', async () => {
    const { server, db, first, cursor, log } = await ingestChain('live');
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

  it('keeps only the --program venues of a routed transaction, as backfill --program does', async () => {
    // raydium-amm-v4 is one hop of several routes in the fixtures: the block names the
    // transaction, the worker decodes every hop, and only this venue's are kept.
    const { server, db, first, cursor } = await ingestChain('one-venue', ['--program', 'raydium-amm-v4']);
    const ref = join(dir, 'one-venue-backfill.db');
    const r = await solflowAsync(['backfill', `${first}..${cursor}`, '--rpc', server.url, '--db', ref, '--commitment', 'confirmed', '--program', 'raydium-amm-v4']);
    expect(r.code, r.stderr).toBe(0);
    const [live, backfilled] = await Promise.all([tradesCsv(db), tradesCsv(ref)]);
    const rows = filterCsvToSlot(live, cursor);
    expect(rows).toBe(backfilled);
    const venueAt = rows.split('\n')[0].split(',').indexOf('venue');
    const venues = new Set(rows.split('\n').slice(1).filter(Boolean).map((l) => l.split(',')[venueAt]));
    expect([...venues]).toEqual(['raydium-amm-v4']);
  }, 180_000);
});
