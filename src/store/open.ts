/**
 * Opening a Store: the --db value picks the backend, like Kysely's one Dialect per database. A
 * file path (or ':memory:') is SQLite (src/store/sqlite/); a postgres:// URL is PostgreSQL
 * (src/store/postgres/), both answering the shared reports (src/store/reports/).
 */
import type { Store, StoreOpenOptions } from '../core/store/types.js';
import { isPostgresUrl } from './db-path.js';
import { openDatabase } from './sqlite/open.js';
import { sqliteStore } from './sqlite/store.js';

export { DEFAULT_DB_PATH, isPostgresUrl, resolveDbPath } from './db-path.js';

// PostgreSQL loads when a --db value picks it: pg and Kysely (under the Postgres store and the
// shared reports) take longer to load than `solflow query stats` takes to run on SQLite. The
// SQLite store is imported: loaded behind import() it was cut into more bundle chunks, each one
// more file for every command to load (test/bench/startup.ts); better-sqlite3 itself still loads
// only when a SQLite file is opened (sqlite/driver.ts).
export async function openStore(opts: StoreOpenOptions): Promise<Store> {
  if (isPostgresUrl(opts.db)) {
    const [{ openPostgresStore }, { sharedReports }] = await Promise.all([import('./postgres/store.js'), import('./reports/index.js')]);
    return openPostgresStore(opts, sharedReports);
  }
  const db = openDatabase({ path: opts.db, readonly: opts.readonly, mustExist: opts.mustExist, busyTimeoutMs: opts.busyTimeoutMs, sqlDir: opts.sqlDir });
  return sqliteStore(db);
}
