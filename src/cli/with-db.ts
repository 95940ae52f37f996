/**
 * One database connection for the length of one command. A database another process holds
 * locked past the busy timeout is a temporary failure (exit 75), so cron can simply retry.
 */
import { openDatabase, resolveDbPath, type SolflowDb } from '../store/index.js';
import { EXIT, UsageError } from './errors.js';

/** Read-only: a missing file is an error, never created. */
export function withReader<T>(dbOpt: string | undefined, fn: (db: SolflowDb) => T | Promise<T>): Promise<T> {
  return withDatabase(dbOpt, { readonly: true }, fn);
}

/** A writer: migrations run on open, so a missing file becomes a new database unless `mustExist`. */
export function withWriter<T>(dbOpt: string | undefined, fn: (db: SolflowDb) => T | Promise<T>, opts: { mustExist?: boolean } = {}): Promise<T> {
  return withDatabase(dbOpt, { mustExist: opts.mustExist }, fn);
}

async function withDatabase<T>(dbOpt: string | undefined, mode: { readonly?: boolean; mustExist?: boolean }, fn: (db: SolflowDb) => T | Promise<T>): Promise<T> {
  const path = resolveDbPath(dbOpt);
  let db: SolflowDb;
  try {
    db = openDatabase({ path, ...mode });
  } catch (err) {
    throw busyAsTempFail(path, err);
  }
  try {
    // Awaited here, so an async callback finishes before the connection closes.
    return await fn(db);
  } catch (err) {
    throw busyAsTempFail(path, err);
  } finally {
    await db.close();
  }
}

function busyAsTempFail(path: string, err: unknown): unknown {
  return (err as { code?: string }).code === 'SQLITE_BUSY' ? new UsageError(`database ${path} is busy (another process holds it); try again`, EXIT.tempFail) : err;
}
