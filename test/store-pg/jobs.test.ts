/**
 * Jobs, cursors and the blocklist on PostgreSQL: the same rules as the SQLite store — a job
 * found again by kind and key until done, secrets redacted on the way in, failures idempotent;
 * cursors that move either way; blocklist adds idempotent unless the reason changes — and a job
 * cursor written through the writer's exclusive step commits with, not before, its trades.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres, type PgDb } from '../../src/store/postgres/connect.js';
import { pgBlocklist } from '../../src/store/postgres/blocklist.js';
import { pgCursorStore, pgJobStore } from '../../src/store/postgres/jobs.js';
import { createPgWriter } from '../../src/store/postgres/writer.js';
import { makeTrade } from '../flow/gen.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres/database.js';

let tdb: TestDatabase;
let db: PgDb;
beforeAll(async () => {
  tdb = await createTestDatabase('jobs');
  db = await openPostgres({ url: tdb.url });
});
afterAll(async () => {
  await db?.close();
  await tdb?.drop();
});

describe('jobs, cursors and blocklist on PostgreSQL', () => {
  it('finds an unfinished job by kind and key, redacts secrets, records failures once', async () => {
    const jobs = pgJobStore(db.pool);
    const params = { key: 'range:1-2', rpc: 'https://rpc.example/?api-key=SECRET123' };
    const a = await jobs.create('backfill', params, { slot: 1 }, 1000);
    expect(a).toMatchObject({ kind: 'backfill', status: 'running', cursor: { slot: 1 }, counts: {}, gaps: [], createdAt: 1000, finishedAt: null });
    expect(JSON.stringify(a.params)).not.toContain('SECRET123');
    expect(await jobs.findUnfinished('backfill', 'range:1-2')).toMatchObject({ id: a.id });
    await jobs.update(a.id, { status: 'done', finished: true, counts: { trades: 5 }, lastError: 'failed at postgres://u:hunter2@h/db' }, 2000);
    const done = await jobs.get(a.id);
    expect(done).toMatchObject({ status: 'done', finishedAt: 2000, counts: { trades: 5 } });
    expect(done!.lastError).not.toContain('hunter2');
    expect(await jobs.findUnfinished('backfill', 'range:1-2')).toBeNull();
    const b = await jobs.create('backfill', { key: 'other' }, null);
    expect((await jobs.list({ kind: 'backfill' })).map((j) => j.id)).toEqual([b.id, a.id]);
    await jobs.recordFailure(b.id, { signature: 'sig', slot: 5, stage: 'decode', error: 'first' });
    await jobs.recordFailure(b.id, { signature: 'sig', slot: 5, stage: 'decode', error: 'second' });
    expect((await db.pool.query('SELECT error FROM job_failures WHERE job_id = $1', [b.id])).rows).toEqual([{ error: 'second' }]);
  });

  it('cursors move either way; the blocklist keeps the first reason unless a new one is given', async () => {
    const cursors = pgCursorStore(db.pool);
    expect(await cursors.get('ingest:websocket')).toBeNull();
    await cursors.set('ingest:websocket', 300, 1);
    await cursors.set('ingest:websocket', 250, 2);
    expect(await cursors.list()).toEqual([{ name: 'ingest:websocket', slot: 250, updatedAt: 2 }]);

    const bl = pgBlocklist(db.pool);
    expect(await bl.add('M', 'spam', 10)).toEqual({ entry: { mint: 'M', reason: 'spam', addedAt: 10 }, added: true, reasonChanged: false });
    expect(await bl.add('M', null, 20)).toEqual({ entry: { mint: 'M', reason: 'spam', addedAt: 10 }, added: false, reasonChanged: false });
    expect(await bl.add('M', 'scam', 30)).toEqual({ entry: { mint: 'M', reason: 'scam', addedAt: 10 }, added: false, reasonChanged: true });
    await bl.add('N', null, 40);
    expect((await bl.list()).map((b) => b.mint)).toEqual(['N', 'M']);
    expect(await bl.mints()).toEqual(new Set(['M', 'N']));
    expect(await bl.remove('M')).toEqual({ mint: 'M', reason: 'scam', addedAt: 10 });
    expect(await bl.remove('M')).toBeNull();
  });

  it("a job cursor set through the writer's exclusive step commits after the trades queued before it", async () => {
    const jobs = pgJobStore(db.pool);
    const job = await jobs.create('backfill', { key: 'excl' }, { slot: 0 });
    const w = createPgWriter(db.pool, { batchSize: 10_000, flushIntervalMs: 60_000 });
    await w.write({ trades: [makeTrade({ signature: 'excl-1' }), makeTrade({ signature: 'excl-2' })] });
    const seen = await w.exclusive(async (tx) => {
      await tx.updateJob(job.id, { cursor: { slot: 99 } });
      await tx.setCursor('ingest:test', 99);
      // Inside the step the queued trades are already committed.
      return (await db.pool.query(`SELECT count(*) AS n FROM trade_rows WHERE signature LIKE 'excl-%'`)).rows[0].n;
    });
    expect(seen).toBe(2);
    expect((await jobs.get(job.id))!.cursor).toEqual({ slot: 99 });
    expect(await pgCursorStore(db.pool).get('ingest:test')).toBe(99);
    // A step that fails leaves nothing of itself behind.
    await expect(w.exclusive(async (tx) => {
      await tx.updateJob(job.id, { cursor: { slot: 200 } });
      throw new Error('boom');
    })).rejects.toThrow('boom');
    expect((await jobs.get(job.id))!.cursor).toEqual({ slot: 99 });
    await w.close();
  });
});
