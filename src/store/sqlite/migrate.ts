/**
 * Migrations runner: applies sql/NNN_name.sql in number order, each in its own IMMEDIATE
 * transaction, and records it in schema_migrations and PRAGMA user_version. user_version is the
 * fast check on open; the table is the human-readable history (name, checksum, when).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type Database from 'better-sqlite3';
import { packagePath } from '../../util/package-root.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
  /** Computed when read: only a migration being applied needs it (see checksumOf). */
  readonly checksum: string;
}

/** sql/ at the package root. */
export const DEFAULT_SQL_DIR = packagePath('sql');

export class SchemaVersionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SchemaVersionError';
  }
}

export function loadMigrations(dir: string = DEFAULT_SQL_DIR): Migration[] {
  const out: Migration[] = [];
  for (const file of readdirSync(dir).sort()) {
    const m = /^(\d{3})_([A-Za-z0-9_-]+)\.sql$/.exec(file);
    if (!m) continue;
    const sql = readFileSync(`${dir}/${file}`, 'utf8');
    out.push({
      version: Number(m[1]),
      name: file,
      sql,
      get checksum() {
        return checksumOf(sql);
      },
    });
  }
  out.sort((a, b) => a.version - b.version);
  out.forEach((m, i) => {
    // Gaps or duplicates mean a broken checkout; applying around them would fork the schema.
    if (m.version !== i + 1) throw new Error(`sql migrations must be numbered 001, 002, … without gaps; found ${m.name}`);
  });
  return out;
}

export function latestVersion(migrations: Migration[]): number {
  return migrations.length === 0 ? 0 : migrations[migrations.length - 1].version;
}

export function schemaVersion(sqlite: Database.Database): number {
  return sqlite.pragma('user_version', { simple: true }) as number;
}

function tooNew(path: string, found: number, known: number): SchemaVersionError {
  return new SchemaVersionError(
    `database ${path} has schema version ${found}, newer than this solflow understands (${known}); upgrade solflow or use another --db`,
  );
}

/** Throws when the file's schema is newer than ours; a reader also needs it to be current. */
export function checkVersion(sqlite: Database.Database, path: string, migrations: Migration[], readonly: boolean): number {
  const found = schemaVersion(sqlite);
  const known = latestVersion(migrations);
  if (found > known) throw tooNew(path, found, known);
  if (readonly && found < known) {
    throw new SchemaVersionError(
      found === 0
        ? `${path} is not a solflow database yet (no schema); fill it with solflow backfill … or solflow ingest, or pass another --db`
        : `database ${path} has schema version ${found}, this solflow needs ${known}; run any writing command (e.g. solflow ingest) once to upgrade it`,
    );
  }
  return found;
}

/**
 * The checksum recorded beside an applied migration. node:crypto is required here, when one is
 * applied, not imported at load: every reader opens through loadMigrations, and loading crypto
 * is a measurable part of a reader's start-up (test/bench/startup.ts).
 */
function checksumOf(sql: string): string {
  const { createHash } = createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto');
  return createHash('sha256').update(sql).digest('hex').slice(0, 16);
}

/** Brings the database to the latest version. Safe against a second process doing the same. */
export function migrate(sqlite: Database.Database, path: string, migrations: Migration[] = loadMigrations()): number {
  const known = latestVersion(migrations);
  checkVersion(sqlite, path, migrations, false);
  for (const m of migrations) {
    if (m.version <= schemaVersion(sqlite)) continue;
    const apply = sqlite.transaction(() => {
      // Re-read under the write lock: another process may have applied it while we waited.
      const current = schemaVersion(sqlite);
      if (current > known) throw tooNew(path, current, known);
      if (m.version <= current) return;
      sqlite.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
        version INTEGER PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL, applied_at INTEGER NOT NULL)`);
      sqlite.exec(m.sql);
      sqlite
        .prepare('INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)')
        .run(m.version, m.name, m.checksum, Date.now());
      sqlite.pragma(`user_version = ${m.version}`);
    });
    apply.immediate();
  }
  return schemaVersion(sqlite);
}
