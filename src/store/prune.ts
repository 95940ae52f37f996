/**
 * Retention: deleting what is older than its age while `ingest` keeps writing. All of prune's
 * SQL lives here; the CLI only parses options and prints.
 *
 * Why it is shaped like this:
 *  - WAL allows one writer, and the ingest writer needs the same lock as our DELETEs (its
 *    busy timeout is 5 s). So every delete is a short IMMEDIATE transaction sized to a time
 *    budget (maxTransactionMs), and after each one we sleep at least as long as it took: the
 *    writer, polling through its busy timeout, finds the lock free at least half the time.
 *    One big DELETE would hold the lock for as long as it runs (seconds per 100k trades).
 *    Readers are never blocked by a writer in WAL mode.
 *  - Trades and signals go oldest first through their block_time indexes, so each batch is an
 *    index range scan from the start: O(batch), whatever the table size. token_metrics and
 *    tokens (text keys, no time index) are walked once in key order, page by page.
 *  - Every DELETE re-checks its condition in the same statement, so a row the writer has just
 *    refreshed (token_metrics with a newer as_of, a token that traded again) is never taken.
 *  - Space: SQLite reuses freed pages for new rows, so after a prune the file does not grow
 *    until ingest has refilled them. Files created with auto_vacuum=INCREMENTAL (open.ts sets it
 *    on new files) are also shrunk: incremental_vacuum in short transactions, then a WAL
 *    checkpoint truncates the file. A full VACUUM rewrites the whole file (transiently twice the
 *    data on disk) while holding the write lock, so it only runs when asked (fullVacuum).
 *
 * Clocks: block_time and as_of are the chain clock (unix seconds). Ages count back either from
 * the newest block time stored ('newest', safe for a historical database) or from the wall clock
 * ('now'). Trades with no block time are never pruned by age.
 */
import { existsSync, statfsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import type Database from 'better-sqlite3';
import { megabytes } from '../util/units.js';

export type RelativeTo = 'newest' | 'now';

/** Ages in seconds; null keeps the table whole. */
export interface Retention {
  trades: number | null;
  signals: number | null;
  /** token_metrics rows whose as_of (last update, chain clock) is older than this. */
  metrics: number | null;
}

const DAY = 86_400;
export const DEFAULT_RETENTION: Retention = { trades: 30 * DAY, signals: 30 * DAY, metrics: 1 * DAY };

/** Unix-second cutoffs: rows strictly older go. `tokens` follows the trades cutoff. */
export interface Cutoffs {
  relativeTo: RelativeTo;
  /** The time ages count back from; null when 'newest' and the database holds nothing. */
  reference: number | null;
  trades: number | null;
  signals: number | null;
  metrics: number | null;
}

export interface PruneCounts {
  trades: number;
  signals: number;
  tokenMetrics: number;
  tokens: number;
}

export type PruneTable = keyof PruneCounts;

const zeroCounts = (): PruneCounts => ({ trades: 0, signals: 0, tokenMetrics: 0, tokens: 0 });

/**
 * The newest chain time stored: the newest trade, else the newest signal, else the newest metric.
 * Metrics come last because a quiet token's last row is stamped hours after its last trade.
 */
export function newestChainTime(sqlite: Database.Database): number | null {
  for (const sql of [
    'SELECT max(block_time) FROM trade_rows',
    'SELECT max(block_time) FROM signals',
    'SELECT max(as_of) FROM token_metrics',
  ]) {
    const t = sqlite.prepare(sql).pluck().get() as number | null;
    if (t !== null) return t;
  }
  return null;
}

export function cutoffsFor(sqlite: Database.Database, retention: Retention, relativeTo: RelativeTo, nowMs: number): Cutoffs {
  const reference = relativeTo === 'now' ? Math.floor(nowMs / 1000) : newestChainTime(sqlite);
  const back = (age: number | null) => (reference === null || age === null ? null : reference - age);
  return { relativeTo, reference, trades: back(retention.trades), signals: back(retention.signals), metrics: back(retention.metrics) };
}

// ---------------------------------------------------------------------------------------------
// What would go (the dry run, and the totals progress lines count against)

/**
 * Rows each table would lose. tokens counts the rows that nothing would refer to once the other
 * tables are pruned: the same rule the delete applies afterwards, stated in cutoffs.
 */
export function countPrunable(sqlite: Database.Database, c: Cutoffs): PruneCounts {
  const out = zeroCounts();
  if (c.trades !== null) out.trades = sqlite.prepare('SELECT count(*) FROM trade_rows WHERE block_time < ?').pluck().get(c.trades) as number;
  if (c.signals !== null) out.signals = sqlite.prepare('SELECT count(*) FROM signals WHERE block_time < ?').pluck().get(c.signals) as number;
  if (c.metrics !== null) out.tokenMetrics = sqlite.prepare('SELECT count(*) FROM token_metrics WHERE as_of < ?').pluck().get(c.metrics) as number;
  if (c.trades !== null) {
    out.tokens = sqlite
      .prepare(
        `SELECT count(*) FROM tokens t WHERE t.last_seen_time < @tc
           AND NOT EXISTS (SELECT 1 FROM trade_rows WHERE base_mint_id = (SELECT id FROM addresses WHERE address = t.mint) AND (block_time IS NULL OR block_time >= @tc))
           AND NOT EXISTS (SELECT 1 FROM token_metrics WHERE mint = t.mint AND (@mc IS NULL OR as_of >= @mc))
           AND NOT EXISTS (SELECT 1 FROM signals WHERE mint = t.mint AND (@sc IS NULL OR block_time >= @sc))`,
      )
      .pluck()
      .get({ tc: c.trades, mc: c.metrics, sc: c.signals }) as number;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Deleting

export interface PruneOptions {
  /** Most rows in one transaction. */
  batchSize?: number;
  /** Time budget of one transaction; the batch size adapts to it. */
  maxTransactionMs?: number;
  /** Told after every committed batch. */
  onBatch?: (p: BatchProgress) => void;
  /** Checked between batches (Ctrl-C): what is committed stays deleted. */
  shouldStop?: () => boolean;
}

export interface BatchProgress {
  table: PruneTable;
  /** Rows of this table deleted so far. */
  deleted: number;
  batchRows: number;
  batchMs: number;
}

export interface PruneResult {
  deleted: PruneCounts;
  transactions: number;
  longestTransactionMs: number;
  /** Stopped by shouldStop before the end. */
  stopped: boolean;
  ms: number;
}

export const DEFAULT_BATCH_SIZE = 5000;
export const DEFAULT_MAX_TRANSACTION_MS = 50;
const MIN_BATCH = 50;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Batch sizes that keep each transaction near the time budget: grow by at most 2x a step (a
 * cold page cache makes the first batches slow), shrink at once when a batch ran long.
 */
function pacer(cap: number, budgetMs: number) {
  let size = Math.min(cap, 256);
  return {
    size: () => size,
    /** After a full batch of `size` (a short last batch says nothing about the rate). */
    record(ms: number) {
      const fit = Math.floor((size * budgetMs) / Math.max(ms, 0.5));
      size = Math.max(Math.min(MIN_BATCH, cap), Math.min(cap, size * 2, fit));
    },
  };
}

/** One step: delete up to n rows (or scan n keys); `more` false when the table is done. */
type Step = (n: number) => { rows: number; more: boolean };

/**
 * Runs fn in an IMMEDIATE transaction and says how long we held the write lock (the wait for
 * it, while the ingest writer commits, is left out: that is not our batch being slow).
 */
function transact<T>(sqlite: Database.Database, fn: () => T): { value: T; held: number } {
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
async function breathe(sqlite: Database.Database, heldMs: number, resetFrames: number): Promise<void> {
  const t0 = performance.now();
  const [r] = sqlite.pragma('wal_checkpoint(PASSIVE)') as { busy: number; log: number; checkpointed: number }[];
  if (r && r.log > resetFrames) truncateWal(sqlite, TRUNCATE_WAIT_MS);
  const spent = performance.now() - t0;
  await sleep(Math.max(1, heldMs - spent));
}

/** One TRUNCATE checkpoint with its own busy timeout; true when the WAL is now empty. */
function truncateWal(sqlite: Database.Database, busyTimeoutMs: number): boolean {
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
async function withManualCheckpoints<T>(sqlite: Database.Database, fn: (resetFrames: number) => Promise<T>): Promise<T> {
  const previous = sqlite.pragma('wal_autocheckpoint', { simple: true }) as number;
  sqlite.pragma('wal_autocheckpoint = 0');
  try {
    return await fn(walResetFrames(previous));
  } finally {
    sqlite.pragma(`wal_autocheckpoint = ${previous}`);
  }
}

export async function pruneRows(sqlite: Database.Database, c: Cutoffs, opts: PruneOptions = {}): Promise<PruneResult> {
  return withManualCheckpoints(sqlite, (resetFrames) => pruneTables(sqlite, c, opts, resetFrames));
}

async function pruneTables(sqlite: Database.Database, c: Cutoffs, opts: PruneOptions, resetFrames: number): Promise<PruneResult> {
  const cap = Math.max(1, opts.batchSize ?? DEFAULT_BATCH_SIZE);
  const budgetMs = opts.maxTransactionMs ?? DEFAULT_MAX_TRANSACTION_MS;
  const stop = opts.shouldStop ?? (() => false);
  const t0 = performance.now();
  const result: PruneResult = { deleted: zeroCounts(), transactions: 0, longestTransactionMs: 0, stopped: false, ms: 0 };

  async function drain(table: PruneTable, step: Step): Promise<void> {
    const pace = pacer(cap, budgetMs);
    for (;;) {
      if (stop()) {
        result.stopped = true;
        return;
      }
      const n = pace.size();
      const { value: r, held } = transact(sqlite, () => step(n));
      result.transactions++;
      result.longestTransactionMs = Math.max(result.longestTransactionMs, held);
      result.deleted[table] += r.rows;
      if (r.more) pace.record(held);
      opts.onBatch?.({ table, deleted: result.deleted[table], batchRows: r.rows, batchMs: held });
      if (!r.more) return;
      await breathe(sqlite, held, resetFrames);
    }
  }

  // Trades and signals: the oldest n rows by block time (its index) per transaction.
  for (const [table, sqlTable, cut] of [['trades', 'trade_rows', c.trades], ['signals', 'signals', c.signals]] as const) {
    if (cut === null || result.stopped) continue;
    const del = sqlite.prepare(`DELETE FROM ${sqlTable} WHERE id IN (SELECT id FROM ${sqlTable} WHERE block_time < ? ORDER BY block_time LIMIT ?)`);
    await drain(table, (n) => {
      const rows = del.run(cut, n).changes;
      return { rows, more: rows === n };
    });
  }
  if (c.metrics !== null && !result.stopped) {
    // Pages of n keys in (mint, window) order; a page's rows that are old enough go.
    const pageEnd = sqlite.prepare('SELECT mint, window FROM token_metrics WHERE (mint, window) > (?, ?) ORDER BY mint, window LIMIT 1 OFFSET ?');
    const delPage = sqlite.prepare('DELETE FROM token_metrics WHERE (mint, window) > (@m, @w) AND (mint, window) <= (@em, @ew) AND as_of < @cut');
    const delRest = sqlite.prepare('DELETE FROM token_metrics WHERE (mint, window) > (@m, @w) AND as_of < @cut');
    let after = { m: '', w: '' };
    const cut = c.metrics;
    await drain('tokenMetrics', (n) => {
      const end = pageEnd.get(after.m, after.w, n - 1) as { mint: string; window: string } | undefined;
      if (end === undefined) return { rows: delRest.run({ ...after, cut }).changes, more: false };
      const rows = delPage.run({ ...after, em: end.mint, ew: end.window, cut }).changes;
      after = { m: end.mint, w: end.window };
      return { rows, more: true };
    });
  }
  if (c.trades !== null && !result.stopped) {
    // A token row goes when its last trade is older than the trades cutoff and nothing refers to
    // it any more (checked against what is stored now, so a token that just traded stays).
    const unused = `last_seen_time < @cut
      AND NOT EXISTS (SELECT 1 FROM trade_rows WHERE base_mint_id = (SELECT id FROM addresses WHERE address = tokens.mint))
      AND NOT EXISTS (SELECT 1 FROM token_metrics WHERE mint = tokens.mint)
      AND NOT EXISTS (SELECT 1 FROM signals WHERE mint = tokens.mint)`;
    const pageEnd = sqlite.prepare('SELECT mint FROM tokens WHERE mint > ? ORDER BY mint LIMIT 1 OFFSET ?').pluck();
    const delPage = sqlite.prepare(`DELETE FROM tokens WHERE mint > @after AND mint <= @end AND ${unused}`);
    const delRest = sqlite.prepare(`DELETE FROM tokens WHERE mint > @after AND ${unused}`);
    let after = '';
    const cut = c.trades;
    await drain('tokens', (n) => {
      const end = pageEnd.get(after, n - 1) as string | undefined;
      if (end === undefined) return { rows: delRest.run({ after, cut }).changes, more: false };
      const rows = delPage.run({ after, end, cut }).changes;
      after = end;
      return { rows, more: true };
    });
  }
  result.ms = performance.now() - t0;
  return result;
}

// ---------------------------------------------------------------------------------------------
// Space

export type AutoVacuum = 'none' | 'full' | 'incremental';

export interface FileStats {
  /** The database file on disk (0 for :memory:). */
  bytes: number;
  /** Its -wal file (0 when absent). */
  walBytes: number;
  pageSize: number;
  pages: number;
  /** Pages on the free list: reused by new rows, or given back by incremental_vacuum. */
  freePages: number;
  autoVacuum: AutoVacuum;
}

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

export interface ReclaimResult {
  /** Free pages handed back to the file system by incremental_vacuum. */
  vacuumedPages: number;
  /** The WAL was checkpointed whole and truncated to zero bytes. */
  checkpointed: boolean;
  stopped: boolean;
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

export class NotEnoughSpaceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotEnoughSpaceError';
  }
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
