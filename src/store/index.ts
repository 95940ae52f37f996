/**
 * The store: openStore picks a backend from the --db value and returns the Store interface
 * (src/core/store/types.ts). Backend internals live in src/store/sqlite/ (and postgres/).
 */
export { openStore, resolveDbPath, isPostgresUrl, DEFAULT_DB_PATH } from './open.js';
export type { DB } from './schema.js';
export { sigKey, SIG_KEY_FUNCTION } from './sig-key.js';
