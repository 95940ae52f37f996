/**
 * Retention as the Store interface states it: shapes of cutoffs, counts, progress and space
 * reclaimed. The paced delete loop is shared (src/store/paced-deletes.ts); each backend's
 * statements are its own (src/store/sqlite/prune/*, src/store/postgres/prune.ts).
 */

export type RelativeTo = 'newest' | 'now';

/** Ages in seconds; null keeps the table whole. */
export interface Retention {
  trades: number | null;
  signals: number | null;
  /** token_metrics rows whose as_of (last update, chain clock) is older than this. */
  metrics: number | null;
}

const DAY = 86_400;
/** Most rows one prune transaction deletes (it is also held under its time budget). */
export const DEFAULT_PRUNE_BATCH_SIZE = 5000;
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

export type AutoVacuum = 'none' | 'full' | 'incremental';

/**
 * Space the store takes. SQLite: the file, its WAL, pages and the free list. A backend without
 * pages (Postgres) reports bytes = database size, walBytes 0, pageSize 1, pages = bytes,
 * freePages 0, autoVacuum 'none'.
 */
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

export interface ReclaimResult {
  /** Free pages handed back to the file system (SQLite incremental_vacuum; 0 elsewhere). */
  vacuumedPages: number;
  /** The WAL was checkpointed whole and truncated to zero bytes (Postgres: a CHECKPOINT ran). */
  checkpointed: boolean;
  stopped: boolean;
}

/** fullVacuum refused: the disk lacks room for the copy it makes. */
export class NotEnoughSpaceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotEnoughSpaceError';
  }
}

/**
 * Retention on one store. The caller (src/jobs/prune.ts) holds the store's 'prune' lock around
 * deleteRows/reclaimSpace/fullVacuum; these methods do not take it themselves.
 */
export interface PruneStore {
  /**
   * The newest chain time stored: the newest trade, else the newest signal, else the newest
   * metric (a quiet token's last metrics row is stamped hours after its last trade).
   */
  newestChainTime(): Promise<number | null>;
  /** Cutoffs counted back from newestChainTime ('newest') or from nowMs ('now'). */
  cutoffs(retention: Retention, relativeTo: RelativeTo, nowMs: number): Promise<Cutoffs>;
  /**
   * Rows each table would lose. tokens counts the rows nothing would refer to once the other
   * tables are pruned: a token last seen before the trades cutoff with no kept trade (a trade
   * without a block time is always kept), no kept metrics row and no kept signal.
   */
  countPrunable(c: Cutoffs): Promise<PruneCounts>;
  /**
   * Deletes in short transactions (batchSize rows, adapting to maxTransactionMs) so a live
   * writer is never held for long; stops between batches when shouldStop says so.
   */
  deleteRows(c: Cutoffs, opts?: PruneOptions): Promise<PruneResult>;
  /** Gives freed space back where the backend can do so without a full rewrite. */
  reclaimSpace(opts?: PruneOptions): Promise<ReclaimResult>;
  /** Checkpoint the write-ahead log; true when it was emptied. */
  checkpoint(): Promise<boolean>;
  /**
   * Rewrite the whole store compactly (SQLite VACUUM; Postgres VACUUM FULL). Blocks writers
   * while it runs; throws NotEnoughSpaceError when the disk cannot hold the copy.
   */
  fullVacuum(): Promise<void>;
  fileStats(): Promise<FileStats>;
}
