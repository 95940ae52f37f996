/**
 * Prune on PostgreSQL, what only the server has: a row another session holds locked is left for
 * a later batch, never waited for; the advisory lock stops a second prune and dies with its
 * session. Which rows go is test/prune/rows.test.ts, on both backends. The data: the recorded
 * mainnet corpus's trades (2021-2026) through the Postgres writer, with metrics and signals.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LockHeldError } from '../../src/core/store/types.js';
import type { ClassifiedTrade, Signal, WindowMetrics } from '../../src/core/flow/types.js';
import { openPostgres, type PgDb } from '../../src/store/postgres/connect.js';
import { takeAdvisoryLock } from '../../src/store/postgres/lock.js';
import { pgPrune } from '../../src/store/postgres/prune.js';
import { createPgWriter } from '../../src/store/postgres/writer.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres/database.js';
import { DAY, dated, metricsFor, trades } from '../prune/corpus-rows.js';

let tdb: TestDatabase;
let db: PgDb;

/** Fills the database from scratch: every corpus trade, a metrics row per mint and window at its last trade, a signal per transaction. */
async function fill(): Promise<void> {
  await db.pool.query('TRUNCATE trade_rows, signals, token_metrics, tokens, sig_collisions');
  const last = new Map<string, ClassifiedTrade>();
  for (const t of dated) if ((last.get(t.baseMint)?.blockTime ?? -1) < t.blockTime!) last.set(t.baseMint, t);
  const signals: Signal[] = [...new Map(dated.map((t) => [t.signature, t])).values()].map((t) => ({
    mint: t.baseMint, type: 'BREAKOUT', strength: 0.5, window: '5m', blockTime: t.blockTime!, slot: t.slot, signature: t.signature, inputs: {},
  }));
  const w = createPgWriter(db.pool);
  await w.write({ trades, signals, metrics: [...last.values()].flatMap((t) => [metricsFor(t, '5m'), metricsFor(t, '1h')]) });
  await w.close();
}

beforeAll(async () => {
  tdb = await createTestDatabase('prune');
  db = await openPostgres({ url: tdb.url });
});
afterAll(async () => {
  await db?.close();
  await tdb?.drop();
});

describe('prune on PostgreSQL only', () => {
  it('never waits for a row another session has locked: it is left for a later batch', async () => {
    await fill();
    const p = pgPrune(db.pool);
    const c = await p.cutoffs({ trades: 365 * DAY, signals: null, metrics: null }, 'newest', Date.now());
    const dry = await p.countPrunable(c);
    const holder = await db.pool.connect();
    await holder.query('BEGIN');
    const held = (await holder.query('SELECT id FROM trade_rows WHERE block_time < $1 ORDER BY block_time LIMIT 1 FOR UPDATE', [c.trades])).rows[0].id;
    const r = await p.deleteRows(c, { batchSize: 1000 });
    await holder.query('ROLLBACK');
    holder.release();
    expect(r.deleted.trades).toBe(dry.trades - 1);
    expect((await db.pool.query('SELECT id FROM trade_rows WHERE block_time < $1', [c.trades])).rows).toEqual([{ id: held }]);
    expect((await p.deleteRows(c)).deleted.trades).toBe(1);
  });
});

describe('the prune lock on PostgreSQL (an advisory lock)', () => {
  it('a second taker fails at once, naming the holder, and succeeds after release; the lock dies with its session', async () => {
    const first = await takeAdvisoryLock(tdb.url, 'prune');
    expect(first.path).toBe('advisory:prune');
    const err = await takeAdvisoryLock(tdb.url, 'prune').catch((e) => e);
    expect(err).toBeInstanceOf(LockHeldError);
    expect(err.holder).toMatchObject({ pid: process.pid });
    expect(err.message).toMatch(/lock advisory:prune is held by pid \d+ on .+ since 20\d\d-/);
    // Another name is another lock (two ingests would share 'ingest' and the second would refuse).
    const other = await takeAdvisoryLock(tdb.url, 'ingest');
    await other.release();
    await first.release();
    const again = await takeAdvisoryLock(tdb.url, 'prune');
    // A holder that dies without releasing (its session killed) leaves no stale lock behind.
    await db.pool.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name LIKE 'solflow lock prune %'`);
    const after = await takeAdvisoryLock(tdb.url, 'prune');
    await after.release();
    await again.release();
  });
});
