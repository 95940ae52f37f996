/**
 * Prune on PostgreSQL: the assertions of test/prune/prune.test.ts on a real server — exactly the
 * rows past each cutoff go, in many small transactions, as the dry run said; token rows only
 * when nothing refers to them; a metrics row refreshed after the count is kept; ages from the
 * newest block time or the wall clock; nothing on an empty database; a stop between batches;
 * the advisory lock stops a second prune. The data: the recorded mainnet corpus's trades
 * (2021-2026) through the Postgres writer, with metrics and signals dated across the same span.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cutoffs, Retention } from '../../src/core/store/prune.js';
import { LockHeldError } from '../../src/core/store/types.js';
import type { ClassifiedTrade, Signal, WindowMetrics } from '../../src/core/flow/types.js';
import { openPostgres, type PgDb } from '../../src/store/postgres/connect.js';
import { takeAdvisoryLock } from '../../src/store/postgres/lock.js';
import { pgPrune } from '../../src/store/postgres/prune.js';
import { createPgWriter } from '../../src/store/postgres/writer.js';
import { decodedCorpusTrades } from '../decode/support.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres/database.js';

const DAY = 86_400;
let tdb: TestDatabase;
let db: PgDb;

const trades: ClassifiedTrade[] = decodedCorpusTrades().map((t) => ({ ...t, isBot: false, botReasons: [] }));
const dated = trades.filter((t) => t.blockTime !== null);

function metricsFor(t: ClassifiedTrade, window: '5m' | '1h'): WindowMetrics {
  return {
    mint: t.baseMint, window, asOf: t.blockTime!, asOfSlot: t.slot, buyVolume: 1, sellVolume: 0, buyCount: 1, sellCount: 0, netFlow: 1,
    uniqueWallets: 1, uniqueBuyers: 1, uniqueSellers: 0, botVolume: 0, botTrades: 0, botWallets: 0, botShare: 0,
    dcaVolume: 0, dcaBuyVolume: 0, dcaTrades: 0, dcaWallets: 0, dcaShare: 0,
  };
}

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

interface Snapshot {
  trades: Map<number, number | null>;
  signals: Map<number, number>;
  metrics: Map<string, number>;
  tokens: Map<string, number | null>;
}

async function snapshot(): Promise<Snapshot> {
  const pairs = async <K, V>(sql: string) => new Map((await db.pool.query({ text: sql, rowMode: 'array' })).rows.map(([k, v]) => [k as K, v as V]));
  return {
    trades: await pairs('SELECT id, block_time FROM trades'),
    signals: await pairs('SELECT id, block_time FROM signals'),
    metrics: await pairs(`SELECT mint || '|' || "window", as_of FROM token_metrics`),
    tokens: await pairs('SELECT mint, last_seen_time FROM tokens'),
  };
}

function expectedGone(s: Snapshot, c: Cutoffs) {
  const older = (t: number | null, cut: number | null) => cut !== null && t !== null && t < cut;
  return {
    trades: [...s.trades].filter(([, t]) => older(t, c.trades)).map(([id]) => id),
    signals: [...s.signals].filter(([, t]) => older(t, c.signals)).map(([id]) => id),
    metrics: [...s.metrics].filter(([, t]) => older(t, c.metrics)).map(([k]) => k),
  };
}

beforeAll(async () => {
  tdb = await createTestDatabase('prune');
  db = await openPostgres({ url: tdb.url });
});
afterAll(async () => {
  await db?.close();
  await tdb?.drop();
});

describe('prune on PostgreSQL', () => {
  it('deletes exactly the rows older than each cutoff, in many small transactions, as the dry run said', async () => {
    await fill();
    const p = pgPrune(db.pool);
    const before = await snapshot();
    expect(before.trades.size).toBeGreaterThan(100);
    const retention: Retention = { trades: 365 * DAY, signals: 365 * DAY, metrics: 30 * DAY };
    const c = await p.cutoffs(retention, 'newest', Date.now());
    expect(c.reference).toBe(Math.max(...[...before.trades.values()].filter((t): t is number => t !== null)));
    const dry = await p.countPrunable(c);
    expect(await snapshot()).toEqual(before);
    expect(dry.trades).toBeGreaterThan(10);
    expect(dry.trades).toBeLessThan(before.trades.size);

    const batches: number[] = [];
    const r = await p.deleteRows(c, { batchSize: 7, onBatch: (b) => batches.push(b.batchRows) });
    const after = await snapshot();
    const gone = expectedGone(before, c);
    expect(r.deleted).toEqual(dry);
    expect(r.deleted.trades).toBe(gone.trades.length);
    expect(r.deleted.signals).toBe(gone.signals.length);
    expect(r.deleted.tokenMetrics).toBe(gone.metrics.length);
    for (const id of gone.trades) expect(after.trades.has(id)).toBe(false);
    for (const [id, t] of before.trades) if (!gone.trades.includes(id)) expect(after.trades.get(id)).toBe(t);
    expect(after.tokens.size).toBe(before.tokens.size - r.deleted.tokens);
    expect(Math.max(...batches)).toBeLessThanOrEqual(7);
    expect(r.transactions).toBeGreaterThanOrEqual(Math.ceil(dry.trades / 7));
    const again = await p.deleteRows(await p.cutoffs(retention, 'newest', Date.now()));
    expect(again.deleted).toEqual({ trades: 0, signals: 0, tokenMetrics: 0, tokens: 0 });
    // Plain VACUUM afterwards: the space is reusable, nothing is locked for long, nothing shrinks.
    expect(await p.reclaimSpace()).toEqual({ vacuumedPages: 0, checkpointed: false, stopped: false });
  });

  it('removes a token row only when no trade, signal or metric refers to it any more', async () => {
    await fill();
    const p = pgPrune(db.pool);
    const c = await p.cutoffs({ trades: 365 * DAY, signals: null, metrics: null }, 'newest', Date.now());
    const quiet = (await db.pool.query('SELECT mint FROM tokens WHERE last_seen_time < $1 ORDER BY mint LIMIT 2', [c.trades])).rows;
    expect(quiet.length).toBe(2);
    await db.pool.query('DELETE FROM signals WHERE mint = $1 OR mint = $2', [quiet[0].mint, quiet[1].mint]);
    await db.pool.query(`INSERT INTO signals (mint, type, strength, "window", block_time, slot, signature, inputs_json, created_at)
      VALUES ($1, 'test', 0.5, '5m', 1600000000, 1, 'sig-test', '{}', 0)`, [quiet[0].mint]);
    await db.pool.query('DELETE FROM token_metrics WHERE mint = $1', [quiet[1].mint]);
    const dry = await p.countPrunable(c);
    const r = await p.deleteRows(c, { batchSize: 3 });
    expect(r.deleted.tokens).toBe(dry.tokens);
    const left = new Set((await db.pool.query('SELECT mint FROM tokens')).rows.map((x) => x.mint));
    expect(left.has(quiet[0].mint)).toBe(true);
    expect(left.has(quiet[1].mint)).toBe(false);
    const orphans = await db.pool.query(
      `SELECT count(*) AS n FROM tokens t WHERE t.last_seen_time < $1 AND NOT EXISTS (SELECT 1 FROM trades WHERE base_mint = t.mint)
        AND NOT EXISTS (SELECT 1 FROM token_metrics WHERE mint = t.mint) AND NOT EXISTS (SELECT 1 FROM signals WHERE mint = t.mint)`,
      [c.trades],
    );
    expect(orphans.rows[0].n).toBe(0);
  });

  it('never takes a metrics row refreshed after the count, and keeps tables whose age is never', async () => {
    await fill();
    const p = pgPrune(db.pool);
    const before = await snapshot();
    const c = await p.cutoffs({ trades: null, signals: null, metrics: 30 * DAY }, 'newest', Date.now());
    const stale = (await db.pool.query('SELECT mint, "window" FROM token_metrics WHERE as_of < $1 LIMIT 1', [c.metrics])).rows[0];
    const dry = await p.countPrunable(c);
    await db.pool.query('UPDATE token_metrics SET as_of = $1 WHERE mint = $2 AND "window" = $3', [c.reference, stale.mint, stale.window]);
    const r = await p.deleteRows(c, { batchSize: 2 });
    expect(r.deleted.tokenMetrics).toBe(dry.tokenMetrics - 1);
    expect(r.deleted).toMatchObject({ trades: 0, signals: 0, tokens: 0 });
    expect((await snapshot()).trades).toEqual(before.trades);
  });

  it('counts ages from the newest stored block time by default, from the wall clock with now', async () => {
    await fill();
    const p = pgPrune(db.pool);
    const newest = Math.max(...dated.map((t) => t.blockTime!));
    const retention: Retention = { trades: 30 * DAY, signals: 30 * DAY, metrics: DAY };
    expect(await p.cutoffs(retention, 'newest', 0)).toMatchObject({ relativeTo: 'newest', reference: newest, trades: newest - 30 * DAY, metrics: newest - DAY });
    const byNow = await p.cutoffs(retention, 'now', (newest + 365 * DAY) * 1000);
    expect(byNow.reference).toBe(newest + 365 * DAY);
    expect((await p.countPrunable(byNow)).trades).toBe(dated.length);
    const r = await p.deleteRows(byNow);
    expect(r.deleted.trades).toBe(dated.length);
    const left = (await db.pool.query('SELECT count(*) AS n, count(block_time) AS timed FROM trades')).rows[0];
    expect(left).toEqual({ n: trades.length - dated.length, timed: 0 });
  });

  it('on an empty database there is nothing to count back from and nothing to do', async () => {
    await db.pool.query('TRUNCATE trade_rows, signals, token_metrics, tokens');
    const p = pgPrune(db.pool);
    const c = await p.cutoffs({ trades: DAY, signals: DAY, metrics: DAY }, 'newest', Date.now());
    expect(c).toMatchObject({ reference: null, trades: null, signals: null, metrics: null });
    const r = await p.deleteRows(c);
    expect(r.deleted).toEqual({ trades: 0, signals: 0, tokenMetrics: 0, tokens: 0 });
    expect(r.transactions).toBe(0);
  });

  it('stops between batches when asked; what was committed stays deleted and the rest stays', async () => {
    await fill();
    const p = pgPrune(db.pool);
    const before = await snapshot();
    const c = await p.cutoffs({ trades: 365 * DAY, signals: null, metrics: null }, 'newest', Date.now());
    let batches = 0;
    const r = await p.deleteRows(c, { batchSize: 5, onBatch: () => batches++, shouldStop: () => batches >= 2 });
    expect(r.stopped).toBe(true);
    expect(r.deleted.trades).toBe(10);
    const left = (await snapshot()).trades;
    expect(left.size).toBe(before.trades.size - 10);
    const oldest = [...before.trades].filter(([, t]) => t !== null).sort((a, b) => a[1]! - b[1]! || a[0] - b[0]);
    const goneTimes = oldest.filter(([id]) => !left.has(id)).map(([, t]) => t!);
    const keptOldTimes = oldest.filter(([id]) => left.has(id)).map(([, t]) => t!);
    expect(Math.max(...goneTimes)).toBeLessThanOrEqual(Math.min(...keptOldTimes));
  });

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
