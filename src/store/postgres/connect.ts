/**
 * Opening a Postgres store: a pg Pool with solflow's number parsing (types.ts), Kysely over it,
 * migrations for writers and a version check for readers. Readers' sessions are
 * default_transaction_read_only, the counterpart of SQLite's query_only.
 *
 * The URL carries the password: only its redacted form (redactUrl) appears in a message.
 */
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { redactUrl } from '../../util/redact.js';
import type { DB } from '../schema.js';
import { checkPgVersion, loadPgMigrations, migratePg } from './migrate.js';
import { solflowTypes } from './types.js';

export interface PgOpenOptions {
  url: string;
  readonly?: boolean;
  /** Directory of NNN_*.sql files; defaults to the package's sql/postgres/. */
  sqlDir?: string;
  /** Pool size (default 4: one writer, a lock session, readers). */
  maxConnections?: number;
}

export interface PgDb {
  /** The URL with its credentials replaced by *** (for messages and `stats`). */
  name: string;
  readonly: boolean;
  schemaVersion: number;
  pool: pg.Pool;
  kysely: Kysely<DB>;
  close(): Promise<void>;
}

export function createPool(url: string, opts: { readonly?: boolean; max?: number } = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.max ?? 4,
    types: solflowTypes,
    application_name: 'solflow',
    options: opts.readonly ? '-c default_transaction_read_only=on' : undefined,
    connectionTimeoutMillis: 10_000,
  });
  // An idle client losing its server (a restart) must not crash the process; the next query fails instead.
  pool.on('error', () => undefined);
  return pool;
}

/** pg's connection errors do not include the URL, but any message of ours that does must redact it. */
export function namingServer(err: unknown, url: string): Error {
  const name = redactUrl(url);
  const e = err as Error & { code?: string };
  const message = e instanceof Error ? e.message : String(err);
  const out = new Error(message.includes(name) ? message : `cannot use ${name}: ${message}`) as Error & { code?: string };
  out.code = e?.code;
  return out;
}

export async function openPostgres(opts: PgOpenOptions): Promise<PgDb> {
  const readonly = opts.readonly === true;
  const name = redactUrl(opts.url);
  const pool = createPool(opts.url, { readonly, max: opts.maxConnections });
  try {
    const migrations = loadPgMigrations(opts.sqlDir);
    const client = await pool.connect();
    let schemaVersion: number;
    try {
      schemaVersion = readonly ? await checkPgVersion(client, name, migrations, true) : await migratePg(client, name, migrations);
    } finally {
      client.release();
    }
    const kysely = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    let closed = false;
    return {
      name,
      readonly,
      schemaVersion,
      pool,
      kysely,
      async close() {
        if (closed) return;
        closed = true;
        // Kysely's destroy() ends the pool only once Kysely has run a query on it. A command that
        // used the pool alone (query stats, query jobs) left its idle client open, and the process
        // waited out pg's 10 s idle timeout before exiting.
        await kysely.destroy();
        if (!pool.ending) await pool.end();
      },
    };
  } catch (err) {
    await pool.end().catch(() => undefined);
    if ((err as Error).name === 'SchemaVersionError') throw err;
    throw namingServer(err, opts.url);
  }
}
