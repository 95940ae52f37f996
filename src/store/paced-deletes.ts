/**
 * Prune's delete loop, the same on every backend: each table in turn, one short transaction per
 * batch, the batch size adapting to a time budget (pacer), a pause between batches, a stop
 * check between them (what is committed stays deleted), progress after each. A backend supplies
 * only "delete one batch of this table" (its statements and its transaction) and the pause
 * (SQLite: checkpoint the WAL and sleep as long as the write lock was held; Postgres: a breath).
 */
import type { Cutoffs, PruneCounts, PruneOptions, PruneResult, PruneTable, RelativeTo, Retention } from '../core/store/prune.js';
import { DEFAULT_PRUNE_BATCH_SIZE } from '../core/store/prune.js';

export const DEFAULT_BATCH_SIZE = DEFAULT_PRUNE_BATCH_SIZE;
export const DEFAULT_MAX_TRANSACTION_MS = 50;
const MIN_BATCH = 50;

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
export const zeroCounts = (): PruneCounts => ({ trades: 0, signals: 0, tokenMetrics: 0, tokens: 0 });

/**
 * Batch sizes that keep each transaction near the time budget: grow by at most 2x a step (a
 * cold page cache makes the first batches slow), shrink at once when a batch ran long.
 */
export function pacer(cap: number, budgetMs: number) {
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

/** The chain-clock cutoffs: each age counted back from `reference` (null keeps the table). */
export function cutoffsAt(retention: Retention, relativeTo: RelativeTo, reference: number | null): Cutoffs {
  const back = (age: number | null) => (reference === null || age === null ? null : reference - age);
  return { relativeTo, reference, trades: back(retention.trades), signals: back(retention.signals), metrics: back(retention.metrics) };
}

/**
 * One batch, committed: `rows` deleted, `more` false once the table is done, `held` the
 * milliseconds it held its locks (the wait to get them left out: that is not the batch being slow).
 */
export interface BatchOutcome {
  rows: number;
  more: boolean;
  held: number;
}

/** Deletes up to n rows (or walks n keys) of one table in one transaction. */
export type DeleteBatch = (n: number) => BatchOutcome | Promise<BatchOutcome>;

/** The tables to prune, in order, each with its batch (tables whose cutoff is null left out). */
export type TableBatches = ReadonlyArray<readonly [PruneTable, DeleteBatch]>;

export async function pacedDeletes(tables: TableBatches, opts: PruneOptions, pause: (heldMs: number) => Promise<void>): Promise<PruneResult> {
  const cap = Math.max(1, opts.batchSize ?? DEFAULT_BATCH_SIZE);
  const budgetMs = opts.maxTransactionMs ?? DEFAULT_MAX_TRANSACTION_MS;
  const stop = opts.shouldStop ?? (() => false);
  const t0 = performance.now();
  const result: PruneResult = { deleted: zeroCounts(), transactions: 0, longestTransactionMs: 0, stopped: false, ms: 0 };
  for (const [table, batch] of tables) {
    const pace = pacer(cap, budgetMs);
    for (;;) {
      if (stop()) {
        result.stopped = true;
        break;
      }
      const r = await batch(pace.size());
      result.transactions++;
      result.longestTransactionMs = Math.max(result.longestTransactionMs, r.held);
      result.deleted[table] += r.rows;
      if (r.more) pace.record(r.held);
      opts.onBatch?.({ table, deleted: result.deleted[table], batchRows: r.rows, batchMs: r.held });
      if (!r.more) break;
      await pause(r.held);
    }
    if (result.stopped) break;
  }
  result.ms = performance.now() - t0;
  return result;
}
