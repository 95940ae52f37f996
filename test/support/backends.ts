/**
 * Running one suite's assertions on both store backends. forEachBackend registers the callback's
 * tests once per backend (a `describe` named after it); freshDb gives a test file an empty
 * database of either kind: a SQLite file in a temp directory, or a database of its own on the
 * run's PostgreSQL cluster (global-setup.ts), dropped at cleanup.
 *
 * A test that only means something for one SQLite file (file modes, WAL, -wal/-shm files, a
 * read-only file, another connection's write lock) stays outside forEachBackend and says so.
 */
import { describe } from 'vitest';
import type { Backend } from '../../src/core/store/types.js';
import { createTestDatabase } from './postgres/database.js';
import { tempDir } from '../store/tmp.js';

export const BACKENDS: readonly Backend[] = ['sqlite', 'postgres'];

export function forEachBackend(fn: (backend: Backend) => void): void {
  for (const backend of BACKENDS) describe(`on ${backend}`, () => fn(backend));
}

export interface FreshDb {
  /** The --db value: a file path or a postgres:// URL (with the test cluster's password). */
  db: string;
  cleanup(): Promise<void>;
}

/** An empty database nothing has opened yet; `name` keeps files and databases recognisable. */
export async function freshDb(backend: Backend, name: string): Promise<FreshDb> {
  if (backend === 'postgres') {
    const t = await createTestDatabase(name);
    return { db: t.url, cleanup: () => t.drop() };
  }
  const tmp = tempDir(`solflow-${name}-`);
  return { db: tmp.file(`${name}.db`), cleanup: async () => tmp.cleanup() };
}
