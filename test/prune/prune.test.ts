/**
 * store/prune on real SQLite files, what only the file has: space (incremental vacuum, the WAL
 * checkpointed, an older file converted by --vacuum) on larger synthetic databases, and the lock
 * file. Which rows go, on both backends, is rows.test.ts.
 */
import { statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/sqlite/index.js';
import {
  checkpointWal, countPrunable, cutoffsFor, fileStats, fullVacuum, pruneRows, reclaimSpace,
} from '../../src/store/sqlite/prune/index.js';
import { acquireFileLock, LockHeldError, lockPathFor } from '../../src/store/sqlite/lock.js';
import { tempDir } from '../store/tmp.js';
import { buildSynthDb } from './synth-db.js';

const tmp = tempDir('solflow-prune-');
afterAll(() => tmp.cleanup());

const DAY = 86_400;

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
