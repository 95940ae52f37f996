/**
 * Closing a PostgreSQL store ends its connections whether or not a Kysely report ran: the
 * commands that read through the pool alone (query stats, query jobs) used to leave an idle
 * client open, and the process waited out pg's 10 s idle timeout before it could exit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres } from '../../src/store/postgres/connect.js';
import { solflowAsync } from '../cli/run.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres/database.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('close');
}, 120_000);
afterAll(async () => {
  await db?.drop();
});

describe('closing a PostgreSQL store', () => {
  it('ends the pool after queries on the pool alone', async () => {
    const pg = await openPostgres({ url: db.url });
    await pg.pool.query('SELECT count(*) FROM trades');
    expect(pg.pool.idleCount).toBe(1);
    await pg.close();
    expect(pg.pool.ending).toBe(true);
    expect(pg.pool.totalCount).toBe(0);
  });

  it('ends it once after a Kysely report too (no "end on pool more than once")', async () => {
    const pg = await openPostgres({ url: db.url });
    await pg.kysely.selectFrom('trades').select((e) => e.fn.countAll().as('n')).execute();
    await expect(pg.close()).resolves.toBeUndefined();
    expect(pg.pool.totalCount).toBe(0);
  });

  it('lets `query stats` and `query jobs` exit as soon as they have printed', async () => {
    for (const args of [['query', 'stats'], ['query', 'jobs']]) {
      const started = Date.now();
      const r = await solflowAsync([...args, '--db', db.url]);
      expect(r.code, r.stderr).toBe(0);
      // Well under pg's 10 s idle timeout, which is what an open client made them wait.
      expect(Date.now() - started).toBeLessThan(8000);
    }
  }, 60_000);
});
