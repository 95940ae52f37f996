/**
 * One store for the length of one command. A database another process holds locked past the
 * busy timeout is a temporary failure (exit 75), so cron can simply retry.
 */
import { existsSync, rmSync } from 'node:fs';
import { StoreBusyError, type Store } from '../core/store/types.js';
import { openStore, resolveDbPath } from '../store/index.js';
import { EXIT, UsageError } from './errors.js';

interface Mode<T> {
  readonly?: boolean;
  mustExist?: boolean;
  env?: NodeJS.ProcessEnv;
  /**
   * A run that created the file and then failed (threw, or `failed(result)`) before storing a
   * trade leaves nothing behind: a failed RPC run should not litter a new empty database.
   */
  failed?: (result: T) => boolean;
}

/** Read-only: a missing file is an error, never created. */
export function withReader<T>(dbOpt: string | undefined, fn: (store: Store) => T | Promise<T>, opts: { env?: NodeJS.ProcessEnv } = {}): Promise<T> {
  return withStore(dbOpt, { ...opts, readonly: true }, fn);
}

/** A writer: migrations run on open, so a missing file becomes a new database unless `mustExist`. */
export function withWriter<T>(dbOpt: string | undefined, fn: (store: Store) => T | Promise<T>, opts: { mustExist?: boolean; env?: NodeJS.ProcessEnv; failed?: (result: T) => boolean } = {}): Promise<T> {
  return withStore(dbOpt, opts, fn);
}

async function withStore<T>(dbOpt: string | undefined, mode: Mode<T>, fn: (store: Store) => T | Promise<T>): Promise<T> {
  const path = resolveDbPath(dbOpt, mode.env);
  const isFile = !path.includes('://') && path !== ':memory:' && path !== '';
  const created = mode.failed !== undefined && !mode.readonly && isFile && !existsSync(path);
  let store: Store;
  try {
    store = await openStore({ db: path, readonly: mode.readonly, mustExist: mode.mustExist });
  } catch (err) {
    throw busyAsTempFail(path, err);
  }
  let failed = true;
  let stored = true;
  try {
    // Awaited here, so an async callback finishes before the store closes.
    const result = await fn(store);
    failed = mode.failed?.(result) ?? false;
    return result;
  } catch (err) {
    throw busyAsTempFail(path, err);
  } finally {
    if (created && failed) stored = await storedAnyTrade(store);
    await store.close();
    if (created && failed && !stored) for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(path + suffix, { force: true });
  }
}

async function storedAnyTrade(store: Store): Promise<boolean> {
  try {
    return (await store.reports.storeStats()).rows.trades > 0;
  } catch {
    return true; // cannot tell: keep the file
  }
}

function busyAsTempFail(path: string, err: unknown): unknown {
  const busy = err instanceof StoreBusyError || (err as { code?: string }).code === 'SQLITE_BUSY';
  return busy ? new UsageError(`database ${path} is busy (another process holds it); try again`, EXIT.tempFail) : err;
}
