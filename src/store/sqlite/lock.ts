/**
 * A per-database lock for maintenance that must not run twice at once (prune), held as an OS
 * file lock through SQLite: a tiny side database `<db>.<name>-lock` in which the holder keeps
 * an IMMEDIATE transaction open. The kernel drops the lock when the holder exits in any way,
 * kill -9 included, so there is no stale lock to detect and no pid to trust; a second taker
 * fails at once (busy timeout 0) and reads who holds it, for the message.
 *
 * The file stays after release on purpose: deleting a lock file while another process has it
 * open lets two processes lock two different files.
 */
import { hostname } from 'node:os';
import type Database from 'better-sqlite3';
import { openSqlite } from './driver.js';
import { LockHeldError, type LockHolder } from '../../core/store/types.js';

export { LockHeldError, type LockHolder } from '../../core/store/types.js';

export interface FileLock {
  path: string;
  release(): void;
}

export function lockPathFor(dbPath: string, name: string): string {
  return `${dbPath}.${name}-lock`;
}

const isBusy = (err: unknown) => {
  const code = (err as { code?: string }).code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED';
};

function readHolder(conn: Database.Database): LockHolder | null {
  try {
    const r = conn.prepare('SELECT pid, host, since FROM holder').get() as LockHolder | undefined;
    return r ?? null;
  } catch {
    return null; // no table yet, or the holder is mid-commit: the message just says less
  }
}

/**
 * Takes the lock or throws LockHeldError. An in-memory database has nothing to share, so it
 * gets a no-op lock.
 */
export function acquireFileLock(dbPath: string, name: string): FileLock {
  const path = lockPathFor(dbPath, name);
  if (dbPath === ':memory:' || dbPath === '') return { path, release() {} };
  const conn = openSqlite(path);
  const held = (): never => {
    const holder = readHolder(conn);
    conn.close();
    // Our own pid can only be read back after losing a microsecond race; it says nothing.
    throw new LockHeldError(path, holder && holder.pid !== process.pid ? holder : null);
  };
  try {
    conn.pragma('busy_timeout = 0');
    try {
      conn.exec('BEGIN IMMEDIATE');
    } catch (err) {
      if (isBusy(err)) held();
      throw err;
    }
    // Record who we are (committed, so a second taker can read it), then hold the lock again.
    conn.exec('CREATE TABLE IF NOT EXISTS holder (pid INTEGER NOT NULL, host TEXT NOT NULL, since INTEGER NOT NULL)');
    conn.exec('DELETE FROM holder');
    conn.prepare('INSERT INTO holder (pid, host, since) VALUES (?, ?, ?)').run(process.pid, hostname(), Date.now());
    conn.exec('COMMIT');
    try {
      conn.exec('BEGIN IMMEDIATE');
    } catch (err) {
      if (isBusy(err)) held(); // someone took it between our COMMIT and BEGIN: theirs now
      throw err;
    }
  } catch (err) {
    if (conn.open) conn.close();
    throw err;
  }
  let released = false;
  return {
    path,
    release() {
      if (released) return;
      released = true;
      if (conn.inTransaction) conn.exec('ROLLBACK');
      conn.close();
    },
  };
}
