/**
 * A prune run on one store, below the CLI: take the store's 'prune' lock, work out the cutoffs,
 * delete in short transactions (stopping between batches when asked), give space back, and
 * optionally rewrite the store; or, for a dry run, only count. Returns the summary `solflow
 * prune` prints; what happens along the way is told through onEvent (the command prints it with
 * --verbose). The SQL is each backend's (Store.prune).
 */
import { LockHeldError, type LockHolder, type Store, type StoreLock } from '../core/store/types.js';
import type { BatchProgress, Cutoffs, FileStats, PruneCounts, PruneResult, ReclaimResult, RelativeTo, Retention } from '../core/store/prune.js';

export const PRUNE_LOCK = 'prune';

export interface PrunePlan {
  retention: Retention;
  relativeTo: RelativeTo;
  /** Most rows per delete transaction. */
  batchSize: number;
  /** Count only; delete nothing (no lock taken). */
  dryRun: boolean;
  /** Afterwards a full rewrite (SQLite VACUUM, Postgres VACUUM FULL). */
  vacuum: boolean;
  /** Count what will go before deleting (for progress against totals: costs a scan). */
  countFirst: boolean;
}

export type PruneEvent =
  | { type: 'planned'; expected: PruneCounts; cutoffs: Cutoffs }
  | { type: 'batch'; progress: BatchProgress; expected: PruneCounts | null }
  | { type: 'deleted'; rows: PruneResult }
  | { type: 'vacuum' };

export interface PruneHooks {
  /** Wall clock, unix ms (ages count back from it with relativeTo 'now'). */
  now(): number;
  /** Calls fn on Ctrl-C / SIGTERM; returns the unsubscribe. */
  onInterrupt(fn: () => void): () => void;
  onEvent?(e: PruneEvent): void;
}

export interface PruneSummary {
  dryRun: boolean;
  db: string;
  relativeTo: RelativeTo;
  /** Unix seconds the ages count back from (null: nothing stored). */
  reference: number | null;
  cutoffs: { trades: number | null; signals: number | null; tokenMetrics: number | null };
  /** Rows deleted, or with --dry-run the rows that would be. */
  deleted: PruneCounts;
  interrupted: boolean;
  seconds: number;
  transactions: number;
  longestTransactionMs: number;
  file: {
    bytesBefore: number;
    bytesAfter: number;
    /** Free pages inside the file after pruning: new rows reuse them before the file grows. */
    freeBytes: number;
    autoVacuum: FileStats['autoVacuum'];
    walCheckpointed: boolean;
    vacuumed: boolean;
  };
}

export type PruneOutcome =
  | { status: 'done'; summary: PruneSummary; cutoffs: Cutoffs }
  /** Another prune holds the store's lock: nothing was done. */
  | { status: 'locked'; holder: LockHolder | null };

export async function runPrune(store: Store, plan: PrunePlan, hooks: PruneHooks): Promise<PruneOutcome> {
  if (plan.dryRun) return dryRun(store, plan, hooks);
  let lock: StoreLock;
  try {
    lock = await store.lock(PRUNE_LOCK);
  } catch (err) {
    if (!(err instanceof LockHeldError)) throw err;
    return { status: 'locked', holder: err.holder };
  }
  try {
    return await prune(store, plan, hooks);
  } finally {
    await lock.release();
  }
}

async function dryRun(store: Store, plan: PrunePlan, hooks: PruneHooks): Promise<PruneOutcome> {
  const t0 = performance.now();
  const cutoffs = await store.prune.cutoffs(plan.retention, plan.relativeTo, hooks.now());
  const counts = await store.prune.countPrunable(cutoffs);
  const stats = await store.prune.fileStats();
  return { status: 'done', cutoffs, summary: makeSummary(store.location, true, cutoffs, counts, stats, stats, performance.now() - t0) };
}

async function prune(store: Store, plan: PrunePlan, hooks: PruneHooks): Promise<PruneOutcome> {
  const t0 = performance.now();
  const emit = (e: PruneEvent) => hooks.onEvent?.(e);
  const before = await store.prune.fileStats();
  const cutoffs = await store.prune.cutoffs(plan.retention, plan.relativeTo, hooks.now());
  let stop = false;
  const unsubscribe = hooks.onInterrupt(() => {
    stop = true;
  });
  try {
    const expected = plan.countFirst ? await store.prune.countPrunable(cutoffs) : null;
    if (expected) emit({ type: 'planned', expected, cutoffs });
    const rows = await store.prune.deleteRows(cutoffs, {
      batchSize: plan.batchSize,
      shouldStop: () => stop,
      onBatch: hooks.onEvent ? (progress) => emit({ type: 'batch', progress, expected }) : undefined,
    });
    emit({ type: 'deleted', rows });
    const space: ReclaimResult = stop ? { vacuumedPages: 0, checkpointed: false, stopped: true } : await store.prune.reclaimSpace({ batchSize: plan.batchSize, shouldStop: () => stop });
    let vacuumed = false;
    if (plan.vacuum && !stop) {
      emit({ type: 'vacuum' });
      await store.prune.fullVacuum();
      vacuumed = true;
      // VACUUM in WAL mode writes the whole new file into the log: copy it home and truncate.
      space.checkpointed = await store.prune.checkpoint();
    }
    const after = await store.prune.fileStats();
    const summary = makeSummary(store.location, false, cutoffs, rows.deleted, before, after, performance.now() - t0);
    summary.interrupted = stop;
    summary.transactions = rows.transactions;
    summary.longestTransactionMs = Math.round(rows.longestTransactionMs);
    summary.file.walCheckpointed = space.checkpointed;
    summary.file.vacuumed = vacuumed;
    return { status: 'done', cutoffs, summary };
  } finally {
    unsubscribe();
  }
}

function makeSummary(db: string, dryRun: boolean, c: Cutoffs, counts: PruneCounts, before: FileStats, after: FileStats, ms: number): PruneSummary {
  return {
    dryRun,
    db,
    relativeTo: c.relativeTo,
    reference: c.reference,
    cutoffs: { trades: c.trades, signals: c.signals, tokenMetrics: c.metrics },
    deleted: counts,
    interrupted: false,
    seconds: Math.round(ms) / 1000,
    transactions: 0,
    longestTransactionMs: 0,
    file: {
      bytesBefore: before.bytes + before.walBytes,
      bytesAfter: after.bytes + after.walBytes,
      freeBytes: after.freePages * after.pageSize,
      autoVacuum: after.autoVacuum,
      walCheckpointed: false,
      vacuumed: false,
    },
  };
}
