/**
 * Opening a Store: the --db value picks the backend, like Kysely's one Dialect per database. A
 * file path (or ':memory:') is SQLite (src/store/sqlite/); a postgres:// URL is PostgreSQL,
 * refused here, in this one place, until its backend lands (UnsupportedStoreError; the CLI
 * exits 2 on it, as for any --db value that cannot work).
 */
import { UnsupportedStoreError, type Store, type StoreOpenOptions } from '../core/store/types.js';
import { isPostgresUrl } from './db-path.js';
import { openDatabase } from './sqlite/open.js';
import { sqliteStore } from './sqlite/store.js';

export { DEFAULT_DB_PATH, isPostgresUrl, resolveDbPath } from './db-path.js';

export const POSTGRES_UNSUPPORTED = 'PostgreSQL databases are not supported yet';

export async function openStore(opts: StoreOpenOptions): Promise<Store> {
  if (isPostgresUrl(opts.db)) throw new UnsupportedStoreError(POSTGRES_UNSUPPORTED);
  const db = openDatabase({ path: opts.db, readonly: opts.readonly, mustExist: opts.mustExist, busyTimeoutMs: opts.busyTimeoutMs, sqlDir: opts.sqlDir });
  return sqliteStore(db);
}
