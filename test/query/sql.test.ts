/**
 * `solflow query sql`: anything that could write is refused with exit 2 and the file stays
 * byte-identical; reads print exactly (64-bit integers, u64 text, blobs) in every format.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareReadOnly, ReadOnlySqlError } from '../../src/store/sqlite/read-only-sql.js';
import { ROOT } from '../cli/run.js';
import { buildTestDbs, cli, expectUsageError, jsonLines, parseCsv, sqliteAll, sqliteOne, type TestDbs } from './db.js';

let dbs: TestDbs;
let path: string;

beforeAll(async () => {
  dbs = await buildTestDbs('solflow-query-sql-', { chain: false });
  path = dbs.corpus;
}, 120_000);

afterAll(() => dbs?.cleanup());

const digest = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** Statements that write, or change the connection, the file, or what later statements may do. */
const WRITES = (attachTo: string) => [
  "INSERT INTO blocklist (mint, reason, added_at) VALUES ('x', 'y', 1)",
  "REPLACE INTO blocklist (mint, reason, added_at) VALUES ('x', 'y', 1)",
  'UPDATE trades SET side = side',
  'DELETE FROM trades',
  '/* looks harmless */ DELETE FROM trades',
  'WITH t AS (SELECT 1) DELETE FROM trades',
  'DROP TABLE trades',
  'DROP INDEX trades_time',
  'CREATE TABLE extra (a)',
  'CREATE TEMP TABLE scratch (a)',
  'CREATE INDEX i ON trades (venue)',
  'ALTER TABLE trades ADD COLUMN x',
  `ATTACH '${attachTo}' AS other`,
  'DETACH other',
  'PRAGMA user_version = 99',
  'PRAGMA journal_mode = DELETE',
  'PRAGMA journal_mode(DELETE)',
  'PRAGMA query_only = OFF',
  'PRAGMA wal_checkpoint(TRUNCATE)',
  'PRAGMA optimize',
  'VACUUM',
  `VACUUM INTO '${attachTo}'`,
  'REINDEX',
  'ANALYZE',
  'BEGIN IMMEDIATE',
  'SAVEPOINT s',
  'EXPLAIN DELETE FROM trades',
  'SELECT 1; DELETE FROM trades',
  'SELECT 1; SELECT 2',
];

describe('query sql', { timeout: 120_000 }, () => {
  it('refuses writes through the CLI with exit 2 and the file unchanged', async () => {
    const attachTo = join(dbs.dir, 'attached.db');
    const before = digest(path);
    const trades = sqliteOne(path, 'SELECT count(*) AS n FROM trades').n;
    // One of each kind through the CLI (a process each); the whole list runs in-process below.
    const kinds = /^(INSERT|UPDATE|DELETE|\/\*|WITH|DROP TABLE|CREATE TABLE|ATTACH|PRAGMA user_version|PRAGMA journal_mode\(|VACUUM INTO|SELECT 1; DELETE)/;
    const sample = WRITES(attachTo).filter((s) => kinds.test(s));
    expect(sample.length).toBe(12);
    for (const stmt of sample) {
      const r = await cli(['query', 'sql', stmt, '--db', path]);
      expectUsageError(r, /refused/);
      expect(r.stdout, stmt).toBe('');
    }
    expect(digest(path)).toBe(before);
    expect(sqliteOne(path, 'SELECT count(*) AS n FROM trades').n).toBe(trades);
    expect(existsSync(attachTo), 'ATTACH / VACUUM INTO created no file').toBe(false);
  });

  it('refuses every one of them on its own, even on a writable connection (the read-only open is a second wall)', async () => {
    const copy = dbs.copy('corpus', 'writable');
    const db = new Database(copy);
    try {
      for (const stmt of WRITES(join(dbs.dir, 'never.db'))) expect(() => prepareReadOnly(db, stmt), stmt).toThrow(ReadOnlySqlError);
      expect(prepareReadOnly(db, 'SELECT count(*) FROM trades').pluck().get()).toBe(137);
    } finally {
      db.close();
    }
  });

  it('a syntax error or an empty statement is a usage error too', async () => {
    expectUsageError(await cli(['query', 'sql', 'SELEC 1', '--db', path]), /SQL error: near "SELEC": syntax error/);
    expectUsageError(await cli(['query', 'sql', 'SELECT * FROM nope', '--db', path]), /no such table: nope/);
    expectUsageError(await cli(['query', 'sql', '  -- nothing', '--db', path]), /no SQL statement/);
  });

  it('runs reads: SELECT, WITH, VALUES, EXPLAIN QUERY PLAN and reporting PRAGMAs', async () => {
    const venues = await jsonLines(['query', 'sql', 'SELECT venue, count(*) AS n FROM trades GROUP BY venue ORDER BY n DESC, venue', '--db', path]);
    expect(venues).toEqual(sqliteAll(path, 'SELECT venue, count(*) AS n FROM trades GROUP BY venue ORDER BY n DESC, venue'));
    expect(await jsonLines(['query', 'sql', 'WITH x AS (SELECT 2 AS a) SELECT a * 21 AS b FROM x', '--db', path])).toEqual([{ b: 42 }]);
    expect(await jsonLines(['query', 'sql', 'VALUES (1, 2)', '--db', path])).toEqual([{ column1: 1, column2: 2 }]);
    const plan = await jsonLines(['query', 'sql', "EXPLAIN QUERY PLAN SELECT * FROM trades WHERE base_mint = 'x'", '--db', path]);
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/trades_mint_time/);
    const info = await jsonLines(['query', 'sql', 'PRAGMA table_info(blocklist)', '--db', path]);
    expect(info.map((c) => c.name)).toEqual(['mint', 'reason', 'added_at']);
    expect(await jsonLines(['query', 'sql', 'PRAGMA user_version', '--db', path])).toEqual([{ user_version: sqliteOne(path, 'PRAGMA user_version').user_version }]);
  });

  it('prints 64-bit integers, u64 text and blobs exactly, in JSON, CSV and tables', async () => {
    const stmt = "SELECT 9223372036854775807 AS max_i64, -9223372036854775808 AS min_i64, x'00ff' AS blob, 'a,\"b\"' AS text, 0.1 AS real";
    const r = await cli(['query', 'sql', stmt, '--db', path, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('{"max_i64":9223372036854775807,"min_i64":-9223372036854775808,"blob":"00ff","text":"a,\\"b\\"","real":0.1}\n');
    const csv = await cli(['query', 'sql', stmt, '--db', path, '--format', 'csv']);
    expect(csv.stdout).toBe('max_i64,min_i64,blob,text,real\n9223372036854775807,-9223372036854775808,00ff,"a,""b""",0.1\n');
    expect(parseCsv(csv.stdout)[1][3]).toBe('a,"b"');
    expect((await cli(['query', 'sql', stmt, '--db', path])).stdout).toContain('9223372036854775807');
    // The largest stored raw amount (u64 as text) and lamports sums come back digit for digit.
    const big = sqliteOne(path, 'SELECT base_amount FROM trades ORDER BY length(base_amount) DESC, base_amount DESC LIMIT 1').base_amount;
    expect(await jsonLines(['query', 'sql', 'SELECT base_amount FROM trades ORDER BY length(base_amount) DESC, base_amount DESC LIMIT 1', '--db', path])).toEqual([{ base_amount: big }]);
    const sum = new Database(path, { readonly: true });
    const total = sum.prepare('SELECT sum(sol_amount) AS s FROM trades').safeIntegers(true).get() as { s: bigint };
    sum.close();
    expect((await cli(['query', 'sql', 'SELECT sum(sol_amount) AS s FROM trades', '--db', path, '--json'])).stdout).toBe(`{"s":${total.s}}\n`);
  });

  it('keeps duplicate column names apart and stops at --limit with a note', async () => {
    expect(await jsonLines(['query', 'sql', 'SELECT 1 AS a, 2 AS a', '--db', path])).toEqual([{ a: 1, a_2: 2 }]);
    const r = await cli(['query', 'sql', 'SELECT id FROM trades ORDER BY id', '--db', path, '--limit', '3', '--format', 'csv']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('id\n1\n2\n3\n');
    expect(r.stderr).toMatch(/stopped after 3 rows/);
    const all = await cli(['query', 'sql', 'SELECT id FROM trades', '--db', path, '--limit', '1000', '--json']);
    expect(all.stdout.trim().split('\n')).toHaveLength(137);
    expect(all.stderr).toBe('');
  });

  it('ends quietly with exit 0 when the reader stops early (| head)', async () => {
    const many = 'WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300000) SELECT i FROM n';
    const r = spawnSync('bash', ['-c', `set -o pipefail; node bin/solflow.js query sql "${many}" --db "${path}" --limit 300000 --json | head -2`], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    });
    expect(r.stdout).toBe('{"i":1}\n{"i":2}\n');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});
