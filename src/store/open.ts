/**
 * Opening a Store: the --db value picks the backend, like Kysely's one Dialect per database. A
 * file path (or ':memory:') is SQLite (src/store/sqlite/); a postgres:// URL is PostgreSQL
 * (src/store/postgres/), both answering the shared reports (src/store/reports/).
 */
import type { Store, StoreOpenOptions } from '../core/store/types.js';
import { isPostgresUrl } from './db-path.js';
import { openPostgresStore } from './postgres/store.js';
import { sharedReports } from './reports/index.js';
import { openDatabase } from './sqlite/open.js';
import { sqliteStore } from './sqlite/store.js';

export { DEFAULT_DB_PATH, isPostgresUrl, resolveDbPath } from './db-path.js';

export async function openStore(opts: StoreOpenOptions): Promise<Store> {
  if (isPostgresUrl(opts.db)) return openPostgresStore(opts, sharedReports);
  const db = openDatabase({ path: opts.db, readonly: opts.readonly, mustExist: opts.mustExist, busyTimeoutMs: opts.busyTimeoutMs, sqlDir: opts.sqlDir });
  return sqliteStore(db);
}
