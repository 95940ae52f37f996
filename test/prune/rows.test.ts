/**
 * Prune's row deletion through the Store (store.prune), on both backends (forEachBackend):
 * exactly the rows past each cutoff go, in many small transactions, as the dry run said; token
 * rows only when nothing refers to them; a metrics row refreshed after the count is kept; ages
 * from the newest block time or the wall clock; nothing on an empty database; a stop between
 * batches. Every test counts rows before and after. The data: the recorded mainnet corpus's
 * trades (2021-2026) through the store's writer, with metrics and signals dated across the
 * same span. What only one backend has stays beside it: SQLite's file space and lock file in
 * prune.test.ts, PostgreSQL's row locks and advisory lock in test/store-pg/prune.test.ts.
 */
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { ClassifiedTrade, Signal, WindowMetrics } from '../../src/core/flow/types.js';
import type { Cutoffs, Retention } from '../../src/core/store/prune.js';
import type { Store } from '../../src/core/store/types.js';
import { openStore } from '../../src/store/index.js';
import { forEachBackend, freshDb, type FreshDb } from '../support/backends.js';
import { DAY, dated, metricsFor, trades } from './corpus-rows.js';

interface Snapshot {
  trades: Map<number, number | null>; // id -> block_time
  signals: Map<number, number>; // id -> block_time
  metrics: Map<string, number>; // mint|window -> as_of
  tokens: Map<string, number | null>; // mint -> last_seen_time
}

function expectedGone(s: Snapshot, c: Cutoffs) {
  const older = (t: number | null, cut: number | null) => cut !== null && t !== null && t < cut;
  return {
    trades: [...s.trades].filter(([, t]) => older(t, c.trades)).map(([id]) => id),
    signals: [...s.signals].filter(([, t]) => older(t, c.signals)).map(([id]) => id),
    metrics: [...s.metrics].filter(([, t]) => older(t, c.metrics)).map(([k]) => k),
  };
}

forEachBackend((backend) => {
  let fresh: FreshDb;
  let store: Store;
  beforeEach(async () => {
    fresh = await freshDb(backend, 'prune_rows');
    store = await openStore({ db: fresh.db });
  });
  afterEach(async () => {
    await store?.close();
    await fresh?.cleanup();
  });

  /** Rows read through `query sql`; integers a number holds exactly as numbers on both backends. */
  async function read(sql: string): Promise<Record<string, any>[]> {
    const r = await store.querySql(sql);
    const out: Record<string, any>[] = [];
    for await (const row of r.rows) out.push(Object.fromEntries(r.columns.map((c, i) => [c, typeof row[i] === 'bigint' ? Number(row[i]) : row[i]])));
    return out;
  }
  const pairs = async <K, V>(sql: string) => new Map((await read(sql)).map((r) => Object.values(r) as [K, V]));
  const snapshot = async (): Promise<Snapshot> => ({
    trades: await pairs('SELECT id, block_time FROM trades'),
    signals: await pairs('SELECT id, block_time FROM signals'),
    metrics: await pairs(`SELECT mint || '|' || "window", as_of FROM token_metrics`),
    tokens: await pairs('SELECT mint, last_seen_time FROM tokens'),
  });

  /** What another writer does between two steps: one statement on a connection of its own (`?` parameters). */
  async function write(sql: string, ...params: unknown[]): Promise<void> {
    if (backend === 'sqlite') {
      const w = new Database(fresh.db);
      try {
        w.prepare(sql).run(...params);
      } finally {
        w.close();
      }
      return;
    }
    const c = new pg.Client({ connectionString: fresh.db });
    await c.connect();
    let n = 0;
    try {
      await c.query(sql.replace(/\?/g, () => `$${++n}`), params);
    } finally {
      await c.end();
    }
  }

  /** Every corpus trade, a metrics row per mint and window at its last trade, a signal per transaction. */
  async function fill(): Promise<void> {
    const last = new Map<string, ClassifiedTrade>();
    for (const t of dated) if ((last.get(t.baseMint)?.blockTime ?? -1) < t.blockTime!) last.set(t.baseMint, t);
    const signals: Signal[] = [...new Map(dated.map((t) => [t.signature, t])).values()].map((t) => ({
      mint: t.baseMint, type: 'BREAKOUT', strength: 0.5, window: '5m', blockTime: t.blockTime!, slot: t.slot, signature: t.signature, inputs: {},
    }));
    const w = store.createWriter();
    await w.write({ trades, signals, metrics: [...last.values()].flatMap((t) => [metricsFor(t, '5m'), metricsFor(t, '1h')]) });
    await w.close();
  }

  it('deletes exactly the rows older than each cutoff, in many small transactions, as the dry run said', async () => {
    await fill();
    const p = store.prune;
    const before = await snapshot();
    expect(before.trades.size).toBeGreaterThan(100);
    const retention: Retention = { trades: 365 * DAY, signals: 365 * DAY, metrics: 30 * DAY };
    const c = await p.cutoffs(retention, 'newest', Date.now());
    expect(c.reference).toBe(Math.max(...[...before.trades.values()].filter((t): t is number => t !== null)));
    const dry = await p.countPrunable(c);
    expect(await snapshot()).toEqual(before); // counting changes nothing
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
    expect(after.trades.size).toBe(before.trades.size - gone.trades.length);
    for (const id of gone.trades) expect(after.trades.has(id)).toBe(false);
    for (const [id, t] of before.trades) if (!gone.trades.includes(id)) expect(after.trades.get(id)).toBe(t);
    expect(after.signals.size).toBe(before.signals.size - gone.signals.length);
    expect(after.metrics.size).toBe(before.metrics.size - gone.metrics.length);
    for (const k of gone.metrics) expect(after.metrics.has(k)).toBe(false);
    expect(after.tokens.size).toBe(before.tokens.size - r.deleted.tokens);
    expect(Math.max(...batches)).toBeLessThanOrEqual(7);
    expect(r.transactions).toBeGreaterThanOrEqual(Math.ceil(dry.trades / 7));
    // A second run finds nothing.
    const again = await p.deleteRows(await p.cutoffs(retention, 'newest', Date.now()));
    expect(again.deleted).toEqual({ trades: 0, signals: 0, tokenMetrics: 0, tokens: 0 });
  });

  it('removes a token row only when no trade, signal or metric refers to it any more', async () => {
    await fill();
    const p = store.prune;
    const c = await p.cutoffs({ trades: 365 * DAY, signals: null, metrics: null }, 'newest', Date.now());
    // A quiet token that still has a signal: its trades go, its row must stay.
    const quiet = await read(`SELECT mint FROM tokens WHERE last_seen_time < ${c.trades} ORDER BY mint LIMIT 2`);
    expect(quiet.length).toBe(2);
    await write('DELETE FROM signals WHERE mint = ? OR mint = ?', quiet[0].mint, quiet[1].mint);
    await write(`INSERT INTO signals (mint, type, strength, "window", block_time, slot, signature, inputs_json, created_at)
      VALUES (?, 'test', 0.5, '5m', 1600000000, 1, 'sig-test', '{}', 0)`, quiet[0].mint);
    await write('DELETE FROM token_metrics WHERE mint = ?', quiet[1].mint);
    const dry = await p.countPrunable(c);
    const r = await p.deleteRows(c, { batchSize: 3 });
    expect(r.deleted.tokens).toBe(dry.tokens);
    const left = new Set((await read('SELECT mint FROM tokens')).map((x) => x.mint));
    expect(left.has(quiet[0].mint)).toBe(true); // a signal still names it
    // metrics are kept here (null age), so only tokens without metrics rows can go.
    expect(left.has(quiet[1].mint)).toBe(false);
    const orphans = await read(
      `SELECT count(*) AS n FROM tokens t WHERE t.last_seen_time < ${c.trades} AND NOT EXISTS (SELECT 1 FROM trades WHERE base_mint = t.mint)
        AND NOT EXISTS (SELECT 1 FROM token_metrics WHERE mint = t.mint) AND NOT EXISTS (SELECT 1 FROM signals WHERE mint = t.mint)`,
    );
    expect(orphans).toEqual([{ n: 0 }]);
  });

  it('never takes a metrics row refreshed after the count, and keeps tables whose age is never', async () => {
    await fill();
    const p = store.prune;
    const before = await snapshot();
    const c = await p.cutoffs({ trades: null, signals: null, metrics: 30 * DAY }, 'newest', Date.now());
    const [stale] = await read(`SELECT mint, "window" AS w FROM token_metrics WHERE as_of < ${c.metrics} ORDER BY mint, "window" LIMIT 1`);
    const dry = await p.countPrunable(c);
    // The writer refreshes one stale row between the dry run and the prune.
    await write('UPDATE token_metrics SET as_of = ? WHERE mint = ? AND "window" = ?', c.reference, stale.mint, stale.w);
    const r = await p.deleteRows(c, { batchSize: 2 });
    expect(r.deleted.tokenMetrics).toBe(dry.tokenMetrics - 1);
    expect(await read(`SELECT as_of FROM token_metrics WHERE mint = '${stale.mint}' AND "window" = '${stale.w}'`)).toEqual([{ as_of: c.reference }]);
    expect(r.deleted).toMatchObject({ trades: 0, signals: 0, tokens: 0 });
    expect((await snapshot()).trades).toEqual(before.trades);
  });

  it('counts ages from the newest stored block time by default, from the wall clock with now', async () => {
    await fill();
    const p = store.prune;
    const newest = Math.max(...dated.map((t) => t.blockTime!));
    const retention: Retention = { trades: 30 * DAY, signals: 30 * DAY, metrics: DAY };
    expect(await p.cutoffs(retention, 'newest', 0)).toMatchObject({ relativeTo: 'newest', reference: newest, trades: newest - 30 * DAY, metrics: newest - DAY });
    // A wall clock a year past the newest trade: every dated trade is older than 30 days.
    const byNow = await p.cutoffs(retention, 'now', (newest + 365 * DAY) * 1000);
    expect(byNow.reference).toBe(newest + 365 * DAY);
    expect((await p.countPrunable(byNow)).trades).toBe(dated.length);
    const r = await p.deleteRows(byNow);
    expect(r.deleted.trades).toBe(dated.length);
    // Trades without a block time are never pruned by age.
    expect(await read('SELECT count(*) AS n, count(block_time) AS timed FROM trades')).toEqual([{ n: trades.length - dated.length, timed: 0 }]);
  });

  it('on an empty database there is nothing to count back from and nothing to do', async () => {
    const p = store.prune;
    const c = await p.cutoffs({ trades: DAY, signals: DAY, metrics: DAY }, 'newest', Date.now());
    expect(c).toMatchObject({ reference: null, trades: null, signals: null, metrics: null });
    const r = await p.deleteRows(c);
    expect(r.deleted).toEqual({ trades: 0, signals: 0, tokenMetrics: 0, tokens: 0 });
    expect(r.transactions).toBe(0);
  });

  it('stops between batches when asked; what was committed stays deleted and the rest stays', async () => {
    await fill();
    const p = store.prune;
    const before = await snapshot();
    const c = await p.cutoffs({ trades: 365 * DAY, signals: null, metrics: null }, 'newest', Date.now());
    let batches = 0;
    const r = await p.deleteRows(c, { batchSize: 5, onBatch: () => batches++, shouldStop: () => batches >= 2 });
    expect(r.stopped).toBe(true);
    expect(r.deleted.trades).toBe(10);
    const left = (await snapshot()).trades;
    expect(left.size).toBe(before.trades.size - 10);
    // The oldest ten went.
    expect(expectedGone(before, c).trades.length).toBeGreaterThan(10);
    const oldest = [...before.trades].filter(([, t]) => t !== null).sort((a, b) => a[1]! - b[1]! || a[0] - b[0]);
    const goneTimes = oldest.filter(([id]) => !left.has(id)).map(([, t]) => t!);
    const keptOldTimes = oldest.filter(([id]) => left.has(id)).map(([, t]) => t!);
    expect(Math.max(...goneTimes)).toBeLessThanOrEqual(Math.min(...keptOldTimes));
  });
});

