/**
 * The Postgres side of the migrations runner (src/store/migrate.ts is the SQLite side): applies
 * sql/postgres/NNN_name.sql in number order, each in its own transaction (DDL is transactional
 * in Postgres), records it in schema_migrations (version, name, checksum, applied_at) exactly as
 * the SQLite file does. Postgres has no user_version: the version is the highest recorded one.
 *
 * Two processes migrating the same database at once (two machines starting ingest) queue on one
 * transaction-scoped advisory lock and re-read the version under it, as SQLite's IMMEDIATE
 * transaction does.
 */
import type pg from 'pg';
import { packagePath } from '../../util/package-root.js';
import { latestVersion, loadMigrations, SchemaVersionError, type Migration } from '../sqlite/migrate.js';

/** sql/postgres/ at the package root. */
export const DEFAULT_PG_SQL_DIR = packagePath('sql', 'postgres');

/** pg_advisory_xact_lock key for migrations: 'solflow' in ASCII, then 1. */
const MIGRATE_LOCK = 0x736f6c666c6f7701n;

export function loadPgMigrations(dir: string = DEFAULT_PG_SQL_DIR): Migration[] {
  return loadMigrations(dir);
}

type Queryable = Pick<pg.PoolClient, 'query'>;

export async function pgSchemaVersion(c: Queryable): Promise<number> {
  const t = await c.query<{ exists: boolean }>(`SELECT to_regclass('schema_migrations') IS NOT NULL AS exists`);
  if (!t.rows[0].exists) return 0;
  const r = await c.query<{ v: number | null }>('SELECT max(version)::int AS v FROM schema_migrations');
  return r.rows[0].v ?? 0;
}

function tooNew(name: string, found: number, known: number): SchemaVersionError {
  return new SchemaVersionError(
    `database ${name} has schema version ${found}, newer than this solflow understands (${known}); upgrade solflow or use another --db`,
  );
}

/** Throws when the schema is newer than ours; a reader also needs it to be current. */
export async function checkPgVersion(c: Queryable, name: string, migrations: Migration[], readonly: boolean): Promise<number> {
  const found = await pgSchemaVersion(c);
  const known = latestVersion(migrations);
  if (found > known) throw tooNew(name, found, known);
  if (readonly && found < known) {
    throw new SchemaVersionError(
      found === 0
        ? `${name} is not a solflow database yet (no schema); ingest something into it first`
        : `database ${name} has schema version ${found}, this solflow needs ${known}; run any writing command (e.g. solflow ingest) once to upgrade it`,
    );
  }
  return found;
}

/** Brings the database to the latest version; `name` is the redacted URL, for messages. */
export async function migratePg(c: pg.PoolClient, name: string, migrations: Migration[] = loadPgMigrations()): Promise<number> {
  const known = latestVersion(migrations);
  let current = await checkPgVersion(c, name, migrations, false);
  for (const m of migrations) {
    if (m.version <= current) continue;
    await c.query('BEGIN');
    try {
      await c.query('SELECT pg_advisory_xact_lock($1)', [MIGRATE_LOCK.toString()]);
      // Re-read under the lock: another process may have applied it while we waited.
      current = await pgSchemaVersion(c);
      if (current > known) throw tooNew(name, current, known);
      if (m.version > current) {
        await c.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
          version INTEGER PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL, applied_at BIGINT NOT NULL)`);
        await c.query(m.sql);
        await c.query('INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES ($1, $2, $3, $4)', [
          m.version, m.name, m.checksum, Date.now(),
        ]);
        current = m.version;
      }
      await c.query('COMMIT');
    } catch (err) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
  }
  return current;
}
