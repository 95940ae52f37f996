/**
 * `watch --ndjson` beside writers in other processes, on real SQLite files: each trade stored
 * after it started comes out once, also when rows are pruned underneath and their keys reused.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmptyDb, ndjsonKeys, runCli, spawnCli, splitFixtures, storedKeys, waitFor } from './support.js';

let root: string;
let parts: string[];

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'solflow-watch-'));
  parts = splitFixtures(root, 3);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function backfill(db: string, dir: string): Promise<void> {
  const r = await runCli(['backfill', '--from', dir, '--db', db, '--quiet']);
  expect(r.code, r.stderr).toBe(0);
}

describe('watch --ndjson beside a writing process', () => {
  it('prints every trade stored after it started exactly once, and exits 0 on SIGTERM', async () => {
    const db = join(root, 'beside.db');
    await backfill(db, parts[0]);
    const before = new Set(storedKeys(db).keys);
    // --backlog 1: the newest stored trade comes out first, which also says watch has started.
    const watch = spawnCli(['watch', '--ndjson', '--backlog', '1', '--db', db]);
    try {
      await waitFor('the backlog line', () => watch.stdout().includes('\n') || watch.child.exitCode !== null, 90_000);
      expect(ndjsonKeys(watch.stdout())).toHaveLength(1);
      await backfill(db, parts[1]);
      await backfill(db, parts[2]);
      const after = storedKeys(db).keys.filter((k) => !before.has(k));
      expect(after.length).toBeGreaterThan(20);
      await waitFor('every new trade', () => ndjsonKeys(watch.stdout()).length >= 1 + after.length, 30_000);
      // A few more polls: nothing may come twice.
      await new Promise((r) => setTimeout(r, 1500));
      const printed = ndjsonKeys(watch.stdout());
      expect(new Set(printed).size).toBe(printed.length);
      expect(printed.slice(1).sort()).toEqual([...after].sort());
      expect(before.has(printed[0])).toBe(true);
      // The decode --json fields plus the stored flags.
      const line = JSON.parse(watch.stdout().split('\n')[1]) as Record<string, unknown>;
      for (const f of ['signature', 'ixPath', 'slot', 'venue', 'side', 'baseMint', 'trader', 'isBot', 'botReasons', 'isDca']) expect(line).toHaveProperty(f);
      expect(watch.stdout()).not.toMatch(/\x1b\[/);
    } finally {
      watch.child.kill('SIGTERM');
    }
    expect(await watch.exited).toBe(0);
    expect(watch.stderr()).toBe('');
  }, 240_000);

  it('keeps tailing when the newest rows are deleted and their keys reused, and after a prune and checkpoint', async () => {
    const db = join(root, 'pruned.db');
    await backfill(db, parts[0]);
    const watch = spawnCli(['watch', '--ndjson', '--backlog', '1', '--db', db]);
    try {
      await waitFor('the backlog line', () => watch.stdout().includes('\n') || watch.child.exitCode !== null, 90_000);
      // A real prune (relative to the newest block time: the fixtures span years), then the newest
      // rows deleted by hand, so SQLite hands their rowids to the next inserts, and a checkpoint
      // that truncates the log underneath the reader.
      const pruned = await runCli(['prune', '--older-than', '30d', '--db', db, '--json']);
      expect(pruned.code, pruned.stderr).toBe(0);
      const w = new Database(db);
      const max = w.prepare('SELECT max(id) FROM trade_rows').pluck().get() as number;
      const gone = w.prepare('DELETE FROM trade_rows WHERE id > ?').run(max - 5).changes;
      w.pragma('wal_checkpoint(TRUNCATE)');
      w.close();
      expect(gone).toBe(5);
      const kept = new Set(storedKeys(db).keys);
      await backfill(db, parts[1]);
      const fresh = storedKeys(db).keys.filter((k) => !kept.has(k));
      // The reused keys: the first five new rows sit at or below the key watch had read up to.
      expect(fresh.length).toBeGreaterThan(5);
      const printedOnce = () => new Set(ndjsonKeys(watch.stdout()));
      await waitFor('the trades stored after the prune', () => fresh.every((k) => printedOnce().has(k)), 30_000);
      await new Promise((r) => setTimeout(r, 1500));
      const printed = ndjsonKeys(watch.stdout());
      expect(new Set(printed).size).toBe(printed.length);
      expect(watch.child.exitCode).toBe(null);
    } finally {
      watch.child.kill('SIGINT');
    }
    expect(await watch.exited).toBe(0);
  }, 240_000);
});

describe('watch --ndjson when the reader goes away (| head)', () => {
  it('ends quietly with exit 0 at the next trade after its stdout pipe closed', async () => {
    const db = join(root, 'head.db');
    await backfill(db, parts[0]);
    const watch = spawnCli(['watch', '--ndjson', '--backlog', '1', '--db', db]);
    await waitFor('the backlog line', () => watch.stdout().includes('\n') || watch.child.exitCode !== null, 90_000);
    // What `head -1` does after its line: close the read end of the pipe.
    watch.child.stdout!.destroy();
    await backfill(db, parts[1]);
    const code = await Promise.race([watch.exited, new Promise<'still running'>((r) => setTimeout(() => r('still running'), 30_000))]);
    if (code === 'still running') watch.child.kill('SIGKILL');
    expect(code).toBe(0);
    expect(watch.stderr()).toBe('');
  }, 180_000);
});

describe('watch on something that is not a solflow database', () => {
  it('says so in one line and exits 1: a missing file, not an SQLite file, an SQLite file without the schema', async () => {
    const missing = await runCli(['watch', '--db', join(root, 'missing.db'), '--ndjson']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^solflow: no database at .*missing\.db; [^\n]*\n$/);
    expect(missing.stdout).toBe('');

    const text = join(root, 'notes.db');
    writeFileSync(text, 'these are not the rows you are looking for\n'.repeat(200));
    const notSqlite = await runCli(['watch', '--db', text]);
    expect(notSqlite.code).toBe(1);
    expect(notSqlite.stderr).toMatch(/^solflow: .*notes\.db is not a solflow database[^\n]*\n$/);

    const other = join(root, 'other.db');
    const o = new Database(other);
    o.exec('CREATE TABLE t (x INTEGER)');
    o.close();
    const noSchema = await runCli(['watch', '--db', other]);
    expect(noSchema.code).toBe(1);
    expect(noSchema.stderr).toMatch(/^solflow: .*other\.db is not a solflow database[^\n]*\n$/);
  }, 120_000);

  it('refuses flags that cannot work, exit 2', async () => {
    const db = join(root, 'flags.db');
    await createEmptyDb(db);
    const r = await runCli(['watch', '--db', db, '--bots-only', '--no-bots']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--bots-only and --no-bots/);
  }, 60_000);
});
