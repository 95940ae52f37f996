/**
 * Opening the database: path resolution (--db, SOLFLOW_DB, ./solflow.db), the pragmas every
 * connection gets, migrations for writers, a version check for readers, and a Kysely instance
 * over the same better-sqlite3 connection.
 */
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type Database from 'better-sqlite3';
import { openSqlite } from './driver.js';
import type { Kysely, SqliteDatabase, SqliteStatement } from 'kysely';
import type { DB } from '../schema.js';
import { checkVersion, loadMigrations, migrate } from './migrate.js';
import { SIG_KEY_FUNCTION, sigKey } from '../sig-key.js';
import { resolveDbPath } from '../db-path.js';

export { DEFAULT_DB_PATH, resolveDbPath } from '../db-path.js';

// better-sqlite3 reads this when its native part first loads (the first `new Database`, after
// this module is evaluated): URI names let openReader ask for `?immutable=1`. Plain paths mean
// what they did; only a name starting with "file:" is read as a URI.
process.env.SQLITE_USE_URI ??= '1';

export const DEFAULT_BUSY_TIMEOUT_MS = 5000;

export interface OpenOptions {
  /** File path; defaults to resolveDbPath(). ':memory:' works for writers (tests, demos). */
  path?: string;
  /** Readers open the file read-only and never migrate. */
  readonly?: boolean;
  /** A writer that must not create the file (readers never do). */
  mustExist?: boolean;
  busyTimeoutMs?: number;
  /** Directory of NNN_*.sql files (tests point it at fixtures); defaults to the package's sql/. */
  sqlDir?: string;
}

export interface SolflowDb {
  path: string;
  readonly: boolean;
  schemaVersion: number;
  /** The raw connection: the batched writer and the hot reads use prepared statements on it. */
  sqlite: Database.Database;
  /**
   * Kysely over the same connection, integers as better-sqlite3 gives them (number). Made on
   * first use: loading Kysely costs more than a command that never needs it takes.
   */
  kysely(): Promise<Kysely<DB>>;
  /** The same with every integer exact (bigint; safeIntegers): what the shared reports read through. */
  exactKysely(): Promise<Kysely<DB>>;
  close(): Promise<void>;
}

/**
 * The same pragmas on every connection (the earlier tool's writer had none and no busy timeout).
 * journal_mode is persistent in the file, so only writers set it.
 */
export function applyPragmas(sqlite: Database.Database, opts: { readonly: boolean; busyTimeoutMs: number }): void {
  sqlite.pragma(`busy_timeout = ${Math.max(0, Math.floor(opts.busyTimeoutMs))}`);
  // Only takes effect on a new file (before its first table, and before WAL mode is written):
  // lets prune give freed pages back to the disk with incremental_vacuum (src/store/prune.ts).
  // Asked only of an empty file: on an existing one it changes nothing yet needs the write
  // lock, so a second connection opening beside a busy writer would wait or fail on it.
  if (!opts.readonly && sqlite.pragma('page_count', { simple: true }) === 0) sqlite.pragma('auto_vacuum = INCREMENTAL');
  if (!opts.readonly) sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('temp_store = MEMORY');
  if (opts.readonly) {
    sqlite.pragma('cache_size = -32000'); // 32 MB page cache
  } else {
    // Writers insert into two indexes at scattered keys ((trader, time), (mint, time)): a cache
    // that holds their inner pages keeps each insert from re-reading them. It is a ceiling,
    // filled only as pages are touched.
    sqlite.pragma('cache_size = -262144'); // 256 MB
    // Checkpoint every ~32 MB of log rather than 4 MB: a page dirtied by several batches is then
    // copied into the file once, not once per batch.
    sqlite.pragma('wal_autocheckpoint = 8192');
  }
  sqlite.pragma('foreign_keys = ON');
  if (opts.readonly) sqlite.pragma('query_only = ON');
}

/**
 * SQL functions solflow's schema and users rely on, defined on every connection: migration 004
 * keys existing trades with solflow_sig_key(signature), and `solflow query sql` can use it to find
 * a signature through the index: `SELECT * FROM trade_rows WHERE sig_key = solflow_sig_key('…')`.
 */
export function defineFunctions(sqlite: Database.Database): void {
  sqlite.function(SIG_KEY_FUNCTION, { deterministic: true }, (s: unknown) => (typeof s === 'string' ? sigKey(s) : null));
}

/**
 * The connection as Kysely sees it, with every statement reading integers exactly: lamport sums
 * can pass 2^53, and the shared reports (src/store/reports) convert with values.ts either way.
 */
function exactIntegers(sqlite: Database.Database): SqliteDatabase {
  return {
    close: () => {},
    prepare: (sql: string) => sqlite.prepare(sql).safeIntegers(true) as unknown as SqliteStatement,
  };
}

export function openDatabase(opts: OpenOptions = {}): SolflowDb {
  const path = opts.path ?? resolveDbPath();
  const readonly = opts.readonly === true;
  const busyTimeoutMs = opts.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
  const mustExist = readonly || opts.mustExist === true;
  if (mustExist && path !== ':memory:' && !existsSync(path)) {
    throw new Error(`no database at ${path}; fill one with solflow backfill … or solflow ingest (or try solflow demo), or pass --db PATH`);
  }
  if (!readonly && path !== ':memory:' && path !== '') checkWritable(path);
  let sqlite: Database.Database;
  try {
    sqlite = readonly ? openReader(path) : openSqlite(path, { fileMustExist: mustExist });
  } catch (err) {
    throw namingFile(err, path);
  }
  try {
    applyPragmas(sqlite, { readonly, busyTimeoutMs });
    defineFunctions(sqlite);
    const migrations = loadMigrations(opts.sqlDir);
    const schemaVersion = readonly
      ? checkVersion(sqlite, path, migrations, true)
      : migrate(sqlite, path, migrations);
    let kysely: Promise<Kysely<DB>> | null = null;
    let exact: Promise<Kysely<DB>> | null = null;
    const make = (database: SqliteDatabase) => import('kysely').then(({ Kysely, SqliteDialect }) => new Kysely<DB>({ dialect: new SqliteDialect({ database }) }));
    const unclosed = { close: () => {}, prepare: (sql: string) => sqlite.prepare(sql) as unknown as SqliteStatement };
    let closed = false;
    return {
      path,
      readonly,
      schemaVersion,
      sqlite,
      kysely() {
        kysely ??= make(unclosed);
        return kysely;
      },
      exactKysely() {
        exact ??= make(exactIntegers(sqlite));
        return exact;
      },
      async close() {
        if (closed) return;
        closed = true;
        // Neither Kysely closes the connection (their database's close() does nothing): it is closed here, once.
        for (const k of [kysely, exact]) if (k) await (await k).destroy();
        if (sqlite.open) sqlite.close();
      },
    };
  } catch (err) {
    sqlite.close();
    throw namingFile(err, path);
  }
}

/** Writable by us? (root passes every check, and can indeed write.) */
function writable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * A writer needs the file and its directory (SQLite creates the -wal and -shm files beside it):
 * said plainly here rather than as SQLite's "unable to open database file".
 */
function checkWritable(path: string): void {
  const dir = dirname(resolve(path));
  if (!existsSync(path)) {
    if (!existsSync(dir)) throw new Error(`cannot create ${path} (no directory ${dir})`);
    if (!writable(dir)) throw new Error(`cannot create ${path} (directory not writable)`);
    return;
  }
  if (!writable(path)) throw new Error(`cannot write ${path} (file not writable; readers such as solflow query still work)`);
  const beside = [`${path}-wal`, `${path}-shm`].every((f) => existsSync(f) && writable(f));
  if (!writable(dir) && !beside) throw new Error(`cannot write ${path} (directory not writable, and SQLite keeps its -wal and -shm files there; readers such as solflow query still work)`);
}

/**
 * Read-only, and readable even where nothing can be written: a WAL database needs a -shm file
 * beside it, which a read-only directory cannot hold. Then the file is opened immutable (no
 * locks, no -shm), which is sound only when no log holds changes the file lacks, so that is
 * checked first; nobody can be writing through a directory no -wal file can be made in.
 */
function openReader(path: string): Database.Database {
  const sqlite = openSqlite(path, { readonly: true, fileMustExist: true });
  try {
    sqlite.prepare('SELECT count(*) FROM sqlite_master').get();
    return sqlite;
  } catch (err) {
    sqlite.close();
    const code = (err as { code?: string }).code ?? '';
    if (!code.startsWith('SQLITE_READONLY') && !code.startsWith('SQLITE_CANTOPEN')) throw err;
    const wal = `${path}-wal`;
    if (existsSync(wal) && statSync(wal).size > 0) {
      throw new Error(`cannot read ${path}: its -wal file holds changes not yet in the file and the directory is not writable; run any writing command on it once where it is writable`);
    }
    return openSqlite(`file:${encodeURI(resolve(path))}?immutable=1`, { readonly: true, fileMustExist: true });
  }
}

/**
 * SQLite's own messages ("file is not a database") do not say which file; every command that
 * opens one should, so it is said here once. The SQLite error code is kept for callers.
 */
function namingFile(err: unknown, path: string): unknown {
  if (!(err instanceof Error) || err.message.includes(path)) return err;
  const named = new Error(`cannot read ${path}: ${err.message}`) as Error & { code?: string };
  named.code = (err as { code?: string }).code;
  return named;
}
