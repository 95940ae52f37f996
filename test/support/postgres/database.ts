/**
 * A fresh database per test file on the run's cluster (global-setup.ts), dropped at the end.
 */
import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { PG_URL_ENV } from './global-setup.js';

export function clusterUrl(): string {
  const url = process.env[PG_URL_ENV];
  // Not a skip: a run that gets here without a cluster is misconfigured and must say so.
  if (!url) throw new Error(`${PG_URL_ENV} is not set: the PostgreSQL test cluster did not start (see vitest.config.ts globalSetup)`);
  return url;
}

export function withDatabaseName(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: clusterUrl() });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** CREATE DATABASE solflow_<prefix>_<random>; drop() removes it, closing what is still connected. */
export async function createTestDatabase(prefix = 't'): Promise<TestDatabase> {
  const name = `solflow_${prefix.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE "${name}"`));
  return {
    name,
    url: withDatabaseName(clusterUrl(), name),
    drop: () => admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
}
