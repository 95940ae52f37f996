import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../support/postgres/database.js';
import { findPgBin } from '../support/postgres/cluster.js';

const db = await createTestDatabase('cluster');
afterAll(() => db.drop());

describe('test PostgreSQL cluster', () => {
  it('serves a per-file database to a password-authenticated role on 127.0.0.1', async () => {
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    const r = await c.query('SELECT current_database() AS d, inet_server_addr()::text AS a, current_setting($1) AS v', ['server_version_num']);
    await c.end();
    expect(r.rows[0].d).toBe(db.name);
    expect(r.rows[0].a).toBe('127.0.0.1/32');
    expect(Number(r.rows[0].v)).toBeGreaterThanOrEqual(130000);
  });

  it('refuses a wrong password (so the URL really carries a secret)', async () => {
    const u = new URL(db.url);
    u.password = 'wrong';
    const c = new pg.Client({ connectionString: u.toString() });
    await expect(c.connect()).rejects.toThrow(/password authentication failed/);
  });

  it('says where PostgreSQL is missing instead of skipping', () => {
    expect(() => findPgBin({ PG_BIN: '/nonexistent' })).toThrow(/has no initdb/);
  });
});
