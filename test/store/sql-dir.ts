/** A directory holding the shipped migrations up to `version`: a database as an older release left it. */
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_SQL_DIR } from '../../src/store/sqlite/index.js';

export function migrationsUpTo(dir: string, version: number): string {
  mkdirSync(dir, { recursive: true });
  for (const f of readdirSync(DEFAULT_SQL_DIR)) {
    const m = /^(\d+)_.*\.sql$/.exec(f);
    if (m && Number(m[1]) <= version) copyFileSync(join(DEFAULT_SQL_DIR, f), join(dir, f));
  }
  return dir;
}
