/**
 * One store for the length of one command. A database another process holds locked past the
 * busy timeout is a temporary failure (exit 75), so cron can simply retry.
 */
import { StoreBusyError, type Store } from '../core/store/types.js';
import { openStore, resolveDbPath } from '../store/index.js';
import { EXIT, UsageError } from './errors.js';

interface Mode {
  readonly?: boolean;
  mustExist?: boolean;
  env?: NodeJS.ProcessEnv;
}

/** Read-only: a missing file is an error, never created. */
export function withReader<T>(dbOpt: string | undefined, fn: (store: Store) => T | Promise<T>, opts: { env?: NodeJS.ProcessEnv } = {}): Promise<T> {
  return withStore(dbOpt, { ...opts, readonly: true }, fn);
}

/** A writer: migrations run on open, so a missing file becomes a new database unless `mustExist`. */
export function withWriter<T>(dbOpt: string | undefined, fn: (store: Store) => T | Promise<T>, opts: { mustExist?: boolean; env?: NodeJS.ProcessEnv } = {}): Promise<T> {
  return withStore(dbOpt, opts, fn);
}

async function withStore<T>(dbOpt: string | undefined, mode: Mode, fn: (store: Store) => T | Promise<T>): Promise<T> {
  const path = resolveDbPath(dbOpt, mode.env);
  let store: Store;
  try {
    store = await openStore({ db: path, readonly: mode.readonly, mustExist: mode.mustExist });
  } catch (err) {
    throw busyAsTempFail(path, err);
  }
  try {
    // Awaited here, so an async callback finishes before the store closes.
    return await fn(store);
  } catch (err) {
    throw busyAsTempFail(path, err);
  } finally {
    await store.close();
  }
}

function busyAsTempFail(path: string, err: unknown): unknown {
  const busy = err instanceof StoreBusyError || (err as { code?: string }).code === 'SQLITE_BUSY';
  return busy ? new UsageError(`database ${path} is busy (another process holds it); try again`, EXIT.tempFail) : err;
}
