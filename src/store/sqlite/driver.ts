/**
 * Opening a better-sqlite3 connection. The CLI bundle carries better-sqlite3's JavaScript
 * (src/build-bundle.mjs), sparing Node resolving and reading its ~13 files on every start; the
 * compiled addon stays a file in the installed package, loaded on the first open.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import Database from 'better-sqlite3';

/**
 * The compiled addon where an install puts it (built or downloaded, always build/Release), named
 * to better-sqlite3: left to find it, its `bindings` helper tries a dozen paths first, and from
 * inside the bundle it cannot find it at all.
 */
function addonPath(): string {
  const path = createRequire(import.meta.url).resolve('better-sqlite3/package.json').replace(/package\.json$/, 'build/Release/better_sqlite3.node');
  if (!existsSync(path)) throw new Error(`better-sqlite3's compiled addon is missing (${path}); reinstall it: npm rebuild better-sqlite3`);
  return path;
}
let addon: string | undefined;

/** A connection, as `new Database(filename, options)` from better-sqlite3 gives one. */
export function openSqlite(filename: string, options: Database.Options = {}): Database.Database {
  return new Database(filename, { nativeBinding: (addon ??= addonPath()), ...options });
}
