/**
 * store/prune on real files: the recorded mainnet corpus through the pipeline (trades from 2021
 * to 2026, metrics, tokens) and larger synthetic databases for batching and space.
 * Every test counts rows before and after: before = deleted + kept, exactly the rows past the
 * cutoff gone, and the dry run's counts equal to what the real run deletes.
 */
import { statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/sqlite/index.js';
import {
  checkpointWal, countPrunable, cutoffsFor, fileStats, fullVacuum, pruneRows, reclaimSpace, type Cutoffs, type Retention,
} from '../../src/store/sqlite/prune/index.js';
import { acquireFileLock, LockHeldError, lockPathFor } from '../../src/store/sqlite/lock.js';
import { tempDir } from '../store/tmp.js';
import { corpusCopies, snapshot, type Snapshot } from './support.js';
import { buildSynthDb } from './synth-db.js';

const tmp = tempDir('solflow-prune-');
afterAll(() => tmp.cleanup());

const DAY = 86_400;
const corpus = corpusCopies(tmp, 'corpus');
/** A fresh copy of the corpus database for one test. */
const corpusCopy = corpus.copy;

beforeAll(() => corpus.build(), 60_000);

/** What must go under these cutoffs, computed from the snapshot alone. */
function expectedGone(s: Snapshot, c: Cutoffs) {
  const older = (t: number | null, cut: number | null) => cut !== null && t !== null && t < cut;
  const trades = [...s.trades].filter(([, t]) => older(t, c.trades)).map(([id]) => id);
  const signals = [...s.signals].filter(([, t]) => older(t, c.signals)).map(([id]) => id);
  const metrics = [...s.metrics].filter(([, t]) => older(t, c.metrics)).map(([k]) => k);
  return { trades, signals, metrics };
}

function check(before: Snapshot, after: Snapshot, c: Cutoffs, deleted: { trades: number; signals: number; tokenMetrics: number; tokens: number }) {
  const gone = expectedGone(before, c);
  expect(deleted.trades).toBe(gone.trades.length);
  expect(deleted.signals).toBe(gone.signals.length);
  expect(deleted.tokenMetrics).toBe(gone.metrics.length);
  // Exactly those rows, and every other row still there.
  expect(after.trades.size).toBe(before.trades.size - gone.trades.length);
  for (const id of gone.trades) expect(after.trades.has(id)).toBe(false);
  for (const [id, t] of before.trades) if (!gone.trades.includes(id)) expect(after.trades.get(id)).toBe(t);
  expect(after.signals.size).toBe(before.signals.size - gone.signals.length);
  expect(after.metrics.size).toBe(before.metrics.size - gone.metrics.length);
  for (const k of gone.metrics) expect(after.metrics.has(k)).toBe(false);
  expect(after.tokens.size).toBe(before.tokens.size - deleted.tokens);
}

describe('pruneRows on the recorded corpus', () => {
  it('deletes exactly the rows older than each cutoff, in many small transactions, as the dry run said', async () => {
    const db = openDatabase({ path: corpusCopy() });
    const before = snapshot(db.sqlite);
    expect(before.trades.size).toBeGreaterThan(100);
    const retention: Retention = { trades: 365 * DAY, signals: 365 * DAY, metrics: 30 * DAY };
    const c = cutoffsFor(db.sqlite, retention, 'newest', Date.now());
    expect(c.reference).toBe(Math.max(...[...before.trades.values()].filter((t): t is number => t !== null)));
    const dry = countPrunable(db.sqlite, c);
    expect(snapshot(db.sqlite)).toEqual(before); // counting changes nothing
    expect(dry.trades).toBeGreaterThan(10);
    expect(dry.trades).toBeLessThan(before.trades.size);

    const batches: number[] = [];
    const r = await pruneRows(db.sqlite, c, { batchSize: 7, onBatch: (b) => batches.push(b.batchRows) });
    const after = snapshot(db.sqlite);
    check(before, after, c, r.deleted);
    expect(r.deleted).toEqual(dry);
    expect(Math.max(...batches)).toBeLessThanOrEqual(7);
    expect(r.transactions).toBeGreaterThanOrEqual(Math.ceil(dry.trades / 7));
    // A second run finds nothing.
    const again = await pruneRows(db.sqlite, cutoffsFor(db.sqlite, retention, 'newest', Date.now()));
    expect(again.deleted).toEqual({ trades: 0, signals: 0, tokenMetrics: 0, tokens: 0 });
    await db.close();
  });

  it('removes a token row only when no trade, signal or metric refers to it any more', async () => {
    const db = openDatabase({ path: corpusCopy() });
    const s = db.sqlite;
    const c = cutoffsFor(s, { trades: 365 * DAY, signals: null, metrics: null }, 'newest', Date.now());
    // A quiet token that still has a signal: its trades go, its row must stay.
    const quiet = s.prepare('SELECT mint, last_seen_time FROM tokens WHERE last_seen_time < ? ORDER BY mint LIMIT 2').all(c.trades) as { mint: string }[];
    expect(quiet.length).toBe(2);
    s.prepare(`INSERT INTO signals (mint, type, strength, window, block_time, slot, signature, inputs_json, created_at)
      VALUES (?, 'test', 0.5, '5m', 1600000000, 1, 'sig-test', '{}', 0)`).run(quiet[0].mint);
    s.prepare('DELETE FROM token_metrics WHERE mint = ?').run(quiet[1].mint);
    const dry = countPrunable(s, c);
    const r = await pruneRows(s, c, { batchSize: 3 });
    expect(r.deleted.tokens).toBe(dry.tokens);
    const left = new Set(s.prepare('SELECT mint FROM tokens').pluck().all() as string[]);
    expect(left.has(quiet[0].mint)).toBe(true); // a signal still names it
    // metrics are kept here (null age), so only tokens without metrics rows can go.
    expect(left.has(quiet[1].mint)).toBe(false);
    const orphanCheck = s
      .prepare(`SELECT count(*) FROM tokens t WHERE t.last_seen_time < ? AND NOT EXISTS (SELECT 1 FROM trades WHERE base_mint = t.mint)
        AND NOT EXISTS (SELECT 1 FROM token_metrics WHERE mint = t.mint) AND NOT EXISTS (SELECT 1 FROM signals WHERE mint = t.mint)`)
      .pluck()
      .get(c.trades);
    expect(orphanCheck).toBe(0);
    await db.close();
  });

  it('never takes a metrics row refreshed after the count, and keeps tables whose age is never', async () => {
    const db = openDatabase({ path: corpusCopy() });
    const s = db.sqlite;
    const before = snapshot(s);
    const c = cutoffsFor(s, { trades: null, signals: null, metrics: 30 * DAY }, 'newest', Date.now());
    const stale = s.prepare('SELECT mint, window FROM token_metrics WHERE as_of < ? LIMIT 1').get(c.metrics) as { mint: string; window: string };
    const dry = countPrunable(s, c);
    // The writer refreshes one stale row between the dry run and the prune.
    s.prepare('UPDATE token_metrics SET as_of = ? WHERE mint = ? AND window = ?').run(c.reference, stale.mint, stale.window);
    const r = await pruneRows(s, c, { batchSize: 2 });
    expect(r.deleted.tokenMetrics).toBe(dry.tokenMetrics - 1);
    expect(s.prepare('SELECT as_of FROM token_metrics WHERE mint = ? AND window = ?').pluck().get(stale.mint, stale.window)).toBe(c.reference);
    expect(r.deleted.trades).toBe(0);
    expect(r.deleted.signals).toBe(0);
    expect(r.deleted.tokens).toBe(0);
    expect(snapshot(s).trades).toEqual(before.trades);
    await db.close();
  });

  it('counts ages from the newest stored block time by default, from the wall clock with now', async () => {
    const db = openDatabase({ path: corpusCopy() });
    const s = db.sqlite;
    const newest = s.prepare('SELECT max(block_time) FROM trades').pluck().get() as number;
    const retention: Retention = { trades: 30 * DAY, signals: 30 * DAY, metrics: DAY };
    const byNewest = cutoffsFor(s, retention, 'newest', 0);
    expect(byNewest).toMatchObject({ relativeTo: 'newest', reference: newest, trades: newest - 30 * DAY, metrics: newest - DAY });
    // A wall clock a year past the newest trade: every dated trade is older than 30 days.
    const later = (newest + 365 * DAY) * 1000;
    const byNow = cutoffsFor(s, retention, 'now', later);
    expect(byNow.reference).toBe(newest + 365 * DAY);
    const dated = s.prepare('SELECT count(*) FROM trades WHERE block_time IS NOT NULL').pluck().get() as number;
    expect(countPrunable(s, byNow).trades).toBe(dated);
    const r = await pruneRows(s, byNow);
    expect(r.deleted.trades).toBe(dated);
    // Trades without a block time are never pruned by age.
    expect(s.prepare('SELECT count(*) FROM trades').pluck().get()).toBe(s.prepare('SELECT count(*) FROM trades WHERE block_time IS NULL').pluck().get());
    await db.close();
  });

  it('on an empty database there is nothing to count back from and nothing to do', async () => {
    const db = openDatabase({ path: tmp.file('empty.db') });
    const c = cutoffsFor(db.sqlite, { trades: DAY, signals: DAY, metrics: DAY }, 'newest', Date.now());
    expect(c).toMatchObject({ reference: null, trades: null, signals: null, metrics: null });
    const r = await pruneRows(db.sqlite, c);
    expect(r.deleted).toEqual({ trades: 0, signals: 0, tokenMetrics: 0, tokens: 0 });
    expect(r.transactions).toBe(0);
    await db.close();
  });

  it('stops between batches when asked; what was committed stays deleted and the rest stays', async () => {
    const db = openDatabase({ path: corpusCopy() });
    const before = snapshot(db.sqlite);
    const c = cutoffsFor(db.sqlite, { trades: 365 * DAY, signals: null, metrics: null }, 'newest', Date.now());
    let batches = 0;
    const r = await pruneRows(db.sqlite, c, { batchSize: 5, onBatch: () => batches++, shouldStop: () => batches >= 2 });
    expect(r.stopped).toBe(true);
    expect(r.deleted.trades).toBe(10);
    expect(snapshot(db.sqlite).trades.size).toBe(before.trades.size - 10);
    // The oldest ten went.
    const oldest = [...before.trades].filter(([, t]) => t !== null).sort((a, b) => a[1]! - b[1]! || a[0] - b[0]);
    expect(expectedGone(before, c).trades.length).toBeGreaterThan(10);
    const left = snapshot(db.sqlite).trades;
    const goneTimes = oldest.filter(([id]) => !left.has(id)).map(([, t]) => t!);
    const keptOldTimes = oldest.filter(([id]) => left.has(id)).map(([, t]) => t!);
    expect(Math.max(...goneTimes)).toBeLessThanOrEqual(Math.min(...keptOldTimes));
    await db.close();
  });
});

describe('space', () => {
  const SPAN = 60 * DAY;
  const START = 1_750_000_000;

  it('a file created by this version shrinks in place: incremental vacuum, WAL checkpointed to zero', async () => {
    const path = tmp.file('incremental.db');
    await buildSynthDb({ path, trades: 60_000, startTime: START, spanSeconds: SPAN });
    const db = openDatabase({ path });
    expect(fileStats(db.sqlite, path).autoVacuum).toBe('incremental');
    const before = fileStats(db.sqlite, path);
    const c = cutoffsFor(db.sqlite, { trades: 15 * DAY, signals: 15 * DAY, metrics: DAY }, 'newest', 0);
    const dry = countPrunable(db.sqlite, c);
    const r = await pruneRows(db.sqlite, c);
    expect(r.deleted).toEqual(dry);
    expect(r.deleted.trades).toBe(db.sqlite.prepare('SELECT 60000 - count(*) FROM trades').pluck().get());
    const mid = fileStats(db.sqlite, path);
    expect(mid.freePages).toBeGreaterThan(0);
    const space = await reclaimSpace(db.sqlite);
    const after = fileStats(db.sqlite, path);
    expect(space.checkpointed).toBe(true);
    expect(space.vacuumedPages).toBeGreaterThanOrEqual(mid.freePages);
    expect(after.freePages).toBe(0);
    expect(after.walBytes).toBe(0);
    // About three quarters of the trades went; the file gives most of that back.
    expect(after.bytes).toBeLessThan(before.bytes * 0.5);
    expect(after.bytes).toBe(after.pages * after.pageSize);
    expect(db.sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
    await db.close();
  }, 60_000);

  it('an older file (no auto-vacuum) never grows: freed pages are reused; --vacuum converts and shrinks it once', async () => {
    const path = tmp.file('legacy.db');
    // Made the way files were before open.ts asked for incremental auto-vacuum.
    const raw = new Database(path);
    raw.pragma('journal_mode = WAL');
    raw.close();
    await buildSynthDb({ path, trades: 40_000, startTime: START, spanSeconds: SPAN, wallets: 2_000 });
    const db = openDatabase({ path });
    expect(fileStats(db.sqlite, path).autoVacuum).toBe('none');
    const before = fileStats(db.sqlite, path);
    const mains: number[] = [];
    const wals: number[] = [];
    const c = cutoffsFor(db.sqlite, { trades: 30 * DAY, signals: 30 * DAY, metrics: DAY }, 'newest', 0);
    await pruneRows(db.sqlite, c, {
      batchSize: 500,
      onBatch: () => {
        mains.push(statSync(path).size);
        wals.push(fileStats(db.sqlite, path).walBytes);
      },
    });
    await reclaimSpace(db.sqlite);
    const after = fileStats(db.sqlite, path);
    expect(after.bytes).toBe(before.bytes);
    expect(after.walBytes).toBe(0);
    expect(after.freePages * after.pageSize).toBeGreaterThan(before.bytes * 0.3);
    // During the prune: the main file never grew; the WAL stayed small (checkpointed every batch).
    expect(Math.max(...mains)).toBe(before.bytes);
    expect(Math.max(...wals)).toBeLessThan(before.bytes * 0.25);
    // New rows take the free pages before the file grows.
    const free = after.freePages;
    db.sqlite.exec(`INSERT INTO blocklist (mint, reason, added_at)
      WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < 2000) SELECT 'm' || i, hex(randomblob(500)), 0 FROM g`);
    await checkpointWal(db.sqlite);
    expect(fileStats(db.sqlite, path).bytes).toBe(before.bytes);
    expect(fileStats(db.sqlite, path).freePages).toBeLessThan(free);

    const kept = db.sqlite.prepare('SELECT count(*) FROM trades').pluck().get();
    fullVacuum(db.sqlite, path);
    await checkpointWal(db.sqlite);
    const vacuumed = fileStats(db.sqlite, path);
    expect(vacuumed.autoVacuum).toBe('incremental');
    expect(vacuumed.freePages).toBe(0);
    expect(vacuumed.bytes).toBeLessThan(before.bytes * 0.7);
    expect(db.sqlite.prepare('SELECT count(*) FROM trades').pluck().get()).toBe(kept);
    expect(db.sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
    await db.close();
  }, 60_000);
});

describe('the prune lock', () => {
  it('a second taker fails at once while the first holds it, and succeeds after release', () => {
    const path = tmp.file('locked.db');
    const first = acquireFileLock(path, 'prune');
    expect(first.path).toBe(lockPathFor(path, 'prune'));
    expect(() => acquireFileLock(path, 'prune')).toThrow(LockHeldError);
    // Another name is another lock.
    const other = acquireFileLock(path, 'other');
    other.release();
    first.release();
    first.release(); // idempotent
    const again = acquireFileLock(path, 'prune');
    again.release();
  });
});
