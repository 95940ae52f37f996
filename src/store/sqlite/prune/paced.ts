/**
 * How prune holds SQLite's one write lock without starving a live writer: transactions sized to
 * a time budget (the shared pacer, ../../paced-deletes.ts; transact here), a pause after each as
 * long as it took, and the WAL kept from growing while we delete (breathe,
 * withManualCheckpoints). Used by rows.ts and space.ts.
 */
import type Database from 'better-sqlite3';
import { sleep } from '../../paced-deletes.js';

export { DEFAULT_BATCH_SIZE, DEFAULT_MAX_TRANSACTION_MS, pacer, sleep } from '../../paced-deletes.js';

/**
 * Runs fn in an IMMEDIATE transaction and says how long we held the write lock (the wait for
 * it, while the ingest writer commits, is left out: that is not our batch being slow).
 */
export function transact<T>(sqlite: Database.Database, fn: () => T): { value: T; held: number } {
  sqlite.exec('BEGIN IMMEDIATE');
  const t0 = performance.now();
  try {
    const value = fn();
    sqlite.exec('COMMIT');
    return { value, held: performance.now() - t0 };
  } catch (err) {
    if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
    throw err;
  }
}

/**
 * WAL frames beyond which we force the log back to zero: twice the connection's auto-checkpoint
 * size (so a writer tuned to checkpoint rarely keeps its coalescing), and at least 2048 (8 MB at
 * 4 KB pages). A WAL only starts over from its beginning when a writer finds it fully
 * checkpointed with no reader inside it; with prune, the ingest writer and readers all busy,
 * that moment can fail to come for a long time, and the log would grow by every page we delete.
 */
export function walResetFrames(autocheckpointFrames: number): number {
  return Math.max(2048, 2 * autocheckpointFrames);
}
/** How long a forced TRUNCATE checkpoint may wait for readers (writers wait meanwhile). */
const TRUNCATE_WAIT_MS = 20;

/**
 * Between two transactions: checkpoint what we just wrote (PASSIVE: it never takes the write
 * lock, so the writer can commit meanwhile), then sleep for the rest of the time we held the lock.
 * Our connection's auto-checkpoint is off while pruning so this runs outside our timed hold.
 * When the log has grown past `resetFrames` anyway, one short TRUNCATE attempt resets it.
 */
export async function breathe(sqlite: Database.Database, heldMs: number, resetFrames: number): Promise<void> {
  const t0 = performance.now();
  const [r] = sqlite.pragma('wal_checkpoint(PASSIVE)') as { busy: number; log: number; checkpointed: number }[];
  if (r && r.log > resetFrames) truncateWal(sqlite, TRUNCATE_WAIT_MS);
  const spent = performance.now() - t0;
  await sleep(Math.max(1, heldMs - spent));
}

/** One TRUNCATE checkpoint with its own busy timeout; true when the WAL is now empty. */
export function truncateWal(sqlite: Database.Database, busyTimeoutMs: number): boolean {
  const previous = sqlite.pragma('busy_timeout', { simple: true }) as number;
  sqlite.pragma(`busy_timeout = ${busyTimeoutMs}`);
  try {
    const [r] = sqlite.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
    return r !== undefined && r.busy === 0;
  } finally {
    sqlite.pragma(`busy_timeout = ${previous}`);
  }
}

/**
 * Runs fn with this connection's auto-checkpoint off (see breathe), restoring it afterwards; fn
 * gets the WAL size at which breathe forces a reset.
 */
export async function withManualCheckpoints<T>(sqlite: Database.Database, fn: (resetFrames: number) => Promise<T>): Promise<T> {
  const previous = sqlite.pragma('wal_autocheckpoint', { simple: true }) as number;
  sqlite.pragma('wal_autocheckpoint = 0');
  try {
    return await fn(walResetFrames(previous));
  } finally {
    sqlite.pragma(`wal_autocheckpoint = ${previous}`);
  }
}
