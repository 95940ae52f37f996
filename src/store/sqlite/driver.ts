/**
 * Opening a better-sqlite3 connection. The package is required rather than imported: it is
 * CommonJS, and importing CommonJS from ESM first loads Node's parser for CommonJS exports, a cost
 * every command that opens a database would pay at start-up (test/bench/startup.ts). It is
 * required on the first open, so code that only might open a SQLite file (the store opener, also
 * used for PostgreSQL) does not load the addon.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import type BetterSqlite3Module from 'better-sqlite3';

const require = createRequire(import.meta.url);

/**
 * The compiled addon where an install puts it (built or downloaded, always build/Release), named
 * to better-sqlite3 so it skips the `bindings` package, which loads two more packages and tries a
 * dozen paths before finding this one. Left to `bindings` when it is not there.
 */
function addonPath(): string | undefined {
  const path = require.resolve('better-sqlite3/package.json').replace(/package\.json$/, 'build/Release/better_sqlite3.node');
  return existsSync(path) ? path : undefined;
}
let loaded: { Database: typeof BetterSqlite3Module; addon: string | undefined } | undefined;

/** A connection, as `new Database(filename, options)` from better-sqlite3 gives one. */
export function openSqlite(filename: string, options: BetterSqlite3Module.Options = {}): BetterSqlite3Module.Database {
  const { Database, addon } = (loaded ??= { Database: require('better-sqlite3') as typeof BetterSqlite3Module, addon: addonPath() });
  return new Database(filename, addon === undefined ? options : { nativeBinding: addon, ...options });
}
