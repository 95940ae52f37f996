/**
 * `query sql` on PostgreSQL: every statement that could write, or change the session, is
 * refused with a one-line ReadOnlySqlError and the data stays as it was — on a session that
 * could write, so the READ ONLY transaction, the one-statement protocol and the shape check are
 * what stop it; reads run and page through a cursor; a statement past the timeout is stopped;
 * the password never appears in a message.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReadOnlySqlError } from '../../src/core/store/types.js';
import { namingServer, openPostgres, type PgDb } from '../../src/store/postgres/connect.js';
import { querySqlPg } from '../../src/store/postgres/query-sql.js';
import { createPgWriter } from '../../src/store/postgres/writer.js';
import { redactText, redactUrl } from '../../src/util/redact.js';
import { makeTrade } from '../flow/gen.js';
import { clusterUrl, createTestDatabase, type TestDatabase } from '../support/postgres/database.js';

let tdb: TestDatabase;
let db: PgDb;
beforeAll(async () => {
  tdb = await createTestDatabase('sql');
  db = await openPostgres({ url: tdb.url });
  const w = createPgWriter(db.pool);
  await w.write({ trades: Array.from({ length: 2500 }, (_, i) => makeTrade({ signature: `q${i}`, baseAmount: (1n << 64n) - 1n - BigInt(i) })) });
  await w.close();
});
afterAll(async () => {
  await db?.close();
  await tdb?.drop();
});

const WRITES = [
  "INSERT INTO blocklist (mint, reason, added_at) VALUES ('x', 'y', 1)",
  'UPDATE trade_rows SET side = side',
  'DELETE FROM trade_rows',
  '/* looks harmless */ DELETE FROM trade_rows',
  'WITH t AS (DELETE FROM trade_rows RETURNING 1) SELECT * FROM t',
  'WITH t AS (SELECT 1) DELETE FROM trade_rows',
  'DROP TABLE trade_rows',
  'CREATE TABLE extra (a int)',
  'CREATE TEMP TABLE scratch (a int)',
  'ALTER TABLE trade_rows ADD COLUMN x int',
  'TRUNCATE trade_rows',
  'VACUUM',
  'ANALYZE',
  'COMMIT',
  'BEGIN',
  'SET default_transaction_read_only = off',
  'RESET ALL',
  'LOCK TABLE trade_rows',
  "COPY trade_rows TO '/tmp/x'",
  "SELECT nextval(pg_get_serial_sequence('trade_rows', 'id'))",
  "SELECT setval(pg_get_serial_sequence('trade_rows', 'id'), 1)",
  'SELECT * INTO scratch FROM trade_rows',
  'EXPLAIN ANALYZE DELETE FROM trade_rows',
  'SELECT 1; DELETE FROM trade_rows',
  'SELECT 1; SELECT 2',
  'COMMIT; DELETE FROM trade_rows',
];

const drain = async (rows: AsyncIterable<unknown[]>) => {
  const out: unknown[][] = [];
  for await (const r of rows) out.push(r);
  return out;
};

const fingerprint = async () =>
  (await db.pool.query(`SELECT (SELECT count(*) FROM trade_rows) AS t, (SELECT count(*) FROM blocklist) AS b,
    (SELECT count(*) FROM pg_class WHERE relname IN ('extra', 'scratch')) AS extra,
    (SELECT last_value FROM trade_rows_id_seq) AS seq`)).rows[0];

describe('query sql on PostgreSQL', () => {
  it('refuses every statement that could write, on a writable pool, and nothing changes', async () => {
    const before = await fingerprint();
    for (const text of WRITES) {
      const err = await querySqlPg(db.pool, text).then(
        async (r) => {
          await drain(r.rows);
          return null;
        },
        (e) => e,
      );
      expect(err, text).toBeInstanceOf(ReadOnlySqlError);
      expect(err.message.split('\n'), text).toHaveLength(1);
    }
    expect(await fingerprint()).toEqual(before);
    // The pool's sessions are left as they were: writable, no transaction open.
    expect((await db.pool.query('SHOW transaction_read_only')).rows[0].transaction_read_only).toBe('off');
    expect(db.pool.idleCount).toBe(db.pool.totalCount);
  });

  it('runs reads (SELECT, WITH, VALUES, TABLE, EXPLAIN), paging through more rows than one fetch, u64 exact', async () => {
    const r = await querySqlPg(db.pool, 'SELECT signature, base_amount FROM trades ORDER BY id');
    expect(r.columns).toEqual(['signature', 'base_amount']);
    const rows = await drain(r.rows);
    expect(rows).toHaveLength(2500);
    expect(rows[0]).toEqual(['q0', (1n << 64n) - 1n]);
    for (const text of ['WITH x AS (SELECT 1 AS a) SELECT a FROM x', 'VALUES (1, 2)', 'TABLE blocklist', 'EXPLAIN SELECT * FROM trades WHERE trader = $$x$$', '  -- a comment\nSELECT 1;']) {
      await drain((await querySqlPg(db.pool, text)).rows);
    }
    expect(db.pool.idleCount).toBe(db.pool.totalCount);
  });

  it('stops a statement past the timeout, and reports syntax errors and empty text as one line', async () => {
    await expect(querySqlPg(db.pool, 'SELECT pg_sleep(5)', 200)).rejects.toThrow(/canceling statement due to statement timeout/);
    await expect(querySqlPg(db.pool, 'SELEC 1')).rejects.toThrow(ReadOnlySqlError);
    await expect(querySqlPg(db.pool, 'SELECT * FROM nowhere')).rejects.toThrow(/SQL error: relation "nowhere" does not exist/);
    await expect(querySqlPg(db.pool, ' ; ')).rejects.toThrow(/no SQL statement given/);
  });

  it('a reader that stops early gives its session back', async () => {
    const r = await querySqlPg(db.pool, 'SELECT * FROM trades');
    for await (const _ of r.rows) break;
    expect(db.pool.idleCount).toBe(db.pool.totalCount);
  });
});

describe('the database password is never printed', () => {
  it('redacts postgres URLs alone, inside text, and libpq password settings', () => {
    const url = clusterUrl();
    const password = decodeURIComponent(new URL(url).password);
    expect(password.length).toBeGreaterThan(4);
    for (const shown of [redactUrl(url), redactText(`cannot connect to ${url}: refused`), redactText(`host=127.0.0.1 password=${password} dbname=x`)]) {
      expect(shown).not.toContain(password);
      expect(shown).not.toContain(encodeURIComponent(password));
      expect(shown).toContain('***');
    }
    expect(redactUrl(url)).toMatch(/^postgres:\/\/\*\*\*:\*\*\*@127\.0\.0\.1:\d+\/postgres$/);
  });

  it('a failed open names the server without the password', async () => {
    const u = new URL(tdb.url);
    const password = decodeURIComponent(u.password);
    u.port = '1'; // nothing listens there
    const err = await openPostgres({ url: u.toString() }).catch((e) => e);
    expect(err.message).toMatch(/^cannot use postgres:\/\/\*\*\*:\*\*\*@127\.0\.0\.1:1\/\S+: .*ECONNREFUSED/);
    expect(err.message).not.toContain(password);
    const wrong = new URL(tdb.url);
    wrong.password = 'not-it';
    const err2 = await openPostgres({ url: wrong.toString() }).catch((e) => e);
    expect(err2.message).toMatch(/password authentication failed/);
    expect(err2.message).not.toContain('not-it');
    expect(namingServer(new Error(`boom ${tdb.url}`), tdb.url).message).not.toContain(password);
  });
});
