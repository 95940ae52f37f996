/** SQLite retention (rows.ts deletes, space.ts reclaims, paced.ts paces); shapes in core/store/prune.ts. */
export { countPrunable, cutoffsFor, newestChainTime, pruneRows } from './rows.js';
export { checkpointWal, fileStats, fullVacuum, reclaimSpace } from './space.js';
export { DEFAULT_BATCH_SIZE, DEFAULT_MAX_TRANSACTION_MS, walResetFrames } from './paced.js';
export {
  DEFAULT_RETENTION,
  NotEnoughSpaceError,
  type AutoVacuum,
  type BatchProgress,
  type Cutoffs,
  type FileStats,
  type PruneCounts,
  type PruneOptions,
  type PruneResult,
  type PruneTable,
  type ReclaimResult,
  type RelativeTo,
  type Retention,
} from '../../../core/store/prune.js';
