/**
 * Giving prune's freed space back: incremental_vacuum in paced transactions, WAL checkpoints,
 * and the full VACUUM that runs only on request.
 */
import { existsSync, statfsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import type Database from 'better-sqlite3';
import { NotEnoughSpaceError, type FileStats, type PruneOptions, type ReclaimResult } from '../../../core/store/prune.js';
import { megabytes } from '../../../util/units.js';
import { breathe, DEFAULT_BATCH_SIZE, DEFAULT_MAX_TRANSACTION_MS, pacer, sleep, transact, truncateWal, withManualCheckpoints } from './paced.js';

const fileSize = (p: string) => (existsSync(p) ? statSync(p).size : 0);

export function fileStats(sqlite: Database.Database, path: string): FileStats {
  const onDisk = path !== ':memory:' && path !== '';
  const mode = sqlite.pragma('auto_vacuum', { simple: true }) as number;
  return {
    bytes: onDisk ? fileSize(path) : 0,
    walBytes: onDisk ? fileSize(`${path}-wal`) : 0,
    pageSize: sqlite.pragma('page_size', { simple: true }) as number,
    pages: sqlite.pragma('page_count', { simple: true }) as number,
    freePages: sqlite.pragma('freelist_count', { simple: true }) as number,
    autoVacuum: mode === 2 ? 'incremental' : mode === 1 ? 'full' : 'none',
  };
}


/**
 * Gives free pages back (incremental auto-vacuum files only), in the same short transactions as
 * the deletes, then checkpoints the WAL. Neither step can double the file: incremental_vacuum
 * moves pages from the end of the file into free slots, and the checkpoint copies WAL pages home.
 */
export async function reclaimSpace(sqlite: Database.Database, opts: PruneOptions = {}): Promise<ReclaimResult> {
  const cap = Math.max(1, opts.batchSize ?? DEFAULT_BATCH_SIZE);
  const budgetMs = opts.maxTransactionMs ?? DEFAULT_MAX_TRANSACTION_MS;
  const stop = opts.shouldStop ?? (() => false);
  const out: ReclaimResult = { vacuumedPages: 0, checkpointed: false, stopped: false };
  const free = () => sqlite.pragma('freelist_count', { simple: true }) as number;
  if ((sqlite.pragma('auto_vacuum', { simple: true }) as number) === 2) {
    await withManualCheckpoints(sqlite, async (resetFrames) => {
      const pace = pacer(cap, budgetMs);
      for (let left = free(); left > 0; left = free()) {
        if (stop()) {
          out.stopped = true;
          return;
        }
        const n = pace.size();
        // exec steps the pragma to completion; a single step() would free one page.
        const { held } = transact(sqlite, () => sqlite.exec(`PRAGMA incremental_vacuum(${n})`));
        const done = left - free();
        out.vacuumedPages += Math.max(0, done);
        if (done >= n) pace.record(held);
        if (done <= 0) return; // the writer reuses them as fast as we free them: nothing to give
        await breathe(sqlite, held, resetFrames);
      }
    });
  }
  out.checkpointed = await checkpointWal(sqlite);
  return out;
}

/**
 * Copies the WAL into the database file and truncates it. PASSIVE first (never waits on anyone),
 * then TRUNCATE, which must wait for readers while holding off writers: a short busy timeout
 * bounds how long the ingest writer can be held, and a busy attempt is simply retried later
 * (the writer's own auto-checkpoint finishes the job otherwise).
 */
export async function checkpointWal(sqlite: Database.Database, attempts = 5, busyTimeoutMs = 100): Promise<boolean> {
  sqlite.pragma('wal_checkpoint(PASSIVE)');
  for (let i = 0; i < attempts; i++) {
    if (i > 0) await sleep(100);
    if (truncateWal(sqlite, busyTimeoutMs)) return true;
  }
  return false;
}


/**
 * A full VACUUM, on request only: it rewrites the file (a temporary copy of the live data, then
 * the copy again through the WAL) while holding the write lock the whole time, and leaves the file
 * in incremental auto-vacuum mode so later prunes shrink it in place. Refuses up front when the
 * disk lacks room for twice the live data.
 */
export function fullVacuum(sqlite: Database.Database, path: string): void {
  const s = fileStats(sqlite, path);
  const live = (s.pages - s.freePages) * s.pageSize;
  if (path !== ':memory:') {
    const fs = statfsSync(dirname(path));
    const available = fs.bavail * fs.bsize;
    if (available < 2 * live) {
      throw new NotEnoughSpaceError(
        `--vacuum needs about ${megabytes(2 * live)} free next to ${path} (the data is copied twice); only ${megabytes(available)} is free`,
      );
    }
  }
  const temp = sqlite.pragma('temp_store', { simple: true }) as number;
  // The temporary copy goes to a file, not to RAM: it is as large as the data.
  sqlite.pragma('temp_store = FILE');
  try {
    sqlite.pragma('auto_vacuum = INCREMENTAL');
    sqlite.exec('VACUUM');
  } finally {
    sqlite.pragma(`temp_store = ${temp}`);
  }
}
