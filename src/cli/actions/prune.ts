/**
 * `solflow prune`: retention for cron. Deletes trades, signals and idle tokens' metrics older
 * than their ages in short transactions beside a running ingest, then gives space back.
 *
 * This file (the action behind commands/prune.ts) takes the store's prune lock, runs the store's
 * prune steps and prints one summary line (JSON with --json); progress lines only with
 * --verbose. The SQL is the backend's (src/store/sqlite/prune/).
 */
import { existsSync } from 'node:fs';
import { LockHeldError, type Store, type StoreLock } from '../../core/store/types.js';
import {
  DEFAULT_PRUNE_BATCH_SIZE, DEFAULT_RETENTION, NotEnoughSpaceError,
  type Cutoffs, type FileStats, type PruneCounts, type PruneTable, type ReclaimResult, type RelativeTo, type Retention,
} from '../../core/store/prune.js';
import { isPostgresUrl, openStore, resolveDbPath } from '../../store/index.js';
import { defaultIo, type Io } from '../io.js';
import { EXIT, UsageError } from '../errors.js';
import { groupDigits, isoTime } from '../format.js';
import { parseDurationOption, parsePositiveInt } from '../options.js';
import { megabytes } from '../../util/units.js';

/** Exit code for a run stopped by Ctrl-C / SIGTERM (what was committed stays deleted). */
const EXIT_INTERRUPTED = 130;
const LOCK_NAME = 'prune';


export interface PruneCliOptions {
  olderThan?: string;
  signalsOlderThan?: string;
  metricsIdle?: string;
  relativeTo?: string;
  batchSize?: string;
  dryRun?: boolean;
  vacuum?: boolean;
  db?: string;
  json?: boolean;
  verbose?: boolean;
}

/** Checked options, decided before any I/O. */
interface Plan {
  retention: Retention;
  relativeTo: RelativeTo;
  batchSize: number;
}

function age(option: string, text: string | undefined, fallback: number | null): number | null {
  if (text === undefined) return fallback;
  if (text.trim().toLowerCase() === 'never') return null;
  return parseDurationOption(option, text);
}

function checkOptions(opts: PruneCliOptions): Plan {
  const relativeTo = (opts.relativeTo ?? 'newest').trim().toLowerCase();
  if (relativeTo !== 'newest' && relativeTo !== 'now') throw new UsageError(`bad --relative-to '${opts.relativeTo}': expected newest or now`);
  if (opts.dryRun && opts.vacuum) throw new UsageError('--dry-run changes nothing; it cannot be combined with --vacuum');
  return {
    retention: {
      trades: age('--older-than', opts.olderThan, DEFAULT_RETENTION.trades),
      signals: age('--signals-older-than', opts.signalsOlderThan, DEFAULT_RETENTION.signals),
      metrics: age('--metrics-idle', opts.metricsIdle, DEFAULT_RETENTION.metrics),
    },
    relativeTo,
    batchSize: parsePositiveInt('--batch-size', opts.batchSize ?? String(DEFAULT_PRUNE_BATCH_SIZE), 1_000_000),
  };
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

export async function runPruneCommand(opts: PruneCliOptions, io: Io = defaultIo()): Promise<number> {
  const plan = checkOptions(opts);
  const path = resolveDbPath(opts.db, io.env);
  // Prune never creates a database: a wrong path is a mistake to report, not an empty file.
  if (!isPostgresUrl(path) && path !== ':memory:' && !existsSync(path)) throw new UsageError(`no database at ${path}; pass --db PATH or set SOLFLOW_DB`);

  const store = await openStore({ db: path, readonly: opts.dryRun === true });
  let lock: StoreLock | null = null;
  try {
    if (!opts.dryRun) {
      try {
        lock = await store.lock(LOCK_NAME);
      } catch (err) {
        if (!(err instanceof LockHeldError)) throw err;
        const who = err.holder ? ` (pid ${err.holder.pid} on ${err.holder.host}, since ${isoTime(Math.floor(err.holder.since / 1000))})` : '';
        io.err(`solflow: another prune is running on ${store.location}${who}; exiting`);
        return EXIT.tempFail;
      }
    }
    return await (opts.dryRun ? dryRun(store, plan, opts, io) : prune(store, plan, opts, io));
  } finally {
    await lock?.release();
    await store.close();
  }
}

async function dryRun(store: Store, plan: Plan, opts: PruneCliOptions, io: Io): Promise<number> {
  const t0 = performance.now();
  const cutoffs = await store.prune.cutoffs(plan.retention, plan.relativeTo, io.now());
  const counts = await store.prune.countPrunable(cutoffs);
  const stats = await store.prune.fileStats();
  const summary = makeSummary(store.location, true, cutoffs, counts, stats, stats, performance.now() - t0);
  if (opts.json) io.out(JSON.stringify(summary));
  else io.out(`would prune ${countsText(counts)}${cutoffText(cutoffs)}; nothing deleted (dry run)`);
  return EXIT.ok;
}

async function prune(store: Store, plan: Plan, opts: PruneCliOptions, io: Io): Promise<number> {
  const t0 = performance.now();
  const before = await store.prune.fileStats();
  const cutoffs = await store.prune.cutoffs(plan.retention, plan.relativeTo, io.now());
  let stop = false;
  const unsubscribe = io.onInterrupt(() => {
    stop = true;
  });
  try {
    const expected = opts.verbose ? await store.prune.countPrunable(cutoffs) : null;
    if (expected) io.err(`prune: lock held; ${store.location}: to delete ${countsText(expected)}${cutoffText(cutoffs)}`);
    const progress = verboseProgress(io, expected);
    const rows = await store.prune.deleteRows(cutoffs, { batchSize: plan.batchSize, shouldStop: () => stop, onBatch: progress });
    if (opts.verbose) io.err(`prune: deleted ${countsText(rows.deleted)} in ${rows.transactions} transactions (longest ${rows.longestTransactionMs.toFixed(0)} ms); reclaiming space`);
    const space: ReclaimResult = stop ? { vacuumedPages: 0, checkpointed: false, stopped: true } : await store.prune.reclaimSpace({ batchSize: plan.batchSize, shouldStop: () => stop });
    let vacuumed = false;
    if (opts.vacuum && !stop) {
      if (opts.verbose) io.err('prune: full VACUUM (writers wait until it ends)');
      try {
        await store.prune.fullVacuum();
      } catch (err) {
        if (err instanceof NotEnoughSpaceError) throw new UsageError(err.message, EXIT.failure);
        throw err;
      }
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
    if (opts.json) io.out(JSON.stringify(summary));
    else io.out(summaryLine(summary));
    return stop ? EXIT_INTERRUPTED : EXIT.ok;
  } finally {
    unsubscribe();
  }
}

/** One line per table at most once a second, and when a table finishes. */
function verboseProgress(io: Io, expected: PruneCounts | null) {
  if (!expected) return undefined;
  let last = 0;
  let lastTable: PruneTable | null = null;
  return (p: { table: PruneTable; deleted: number; batchRows: number }) => {
    const t = io.now();
    const total = Math.max(expected[p.table], p.deleted);
    const finished = p.deleted >= total;
    if (p.table === lastTable && !finished && t - last < 1000) return;
    if (p.table !== lastTable) last = 0;
    lastTable = p.table;
    last = t;
    const pct = total === 0 ? 100 : Math.floor((p.deleted / total) * 100);
    io.err(`prune: ${LABEL[p.table]} ${int(p.deleted)} / ${int(total)} (${pct}%)`);
  };
}

const LABEL: Record<PruneTable, string> = { trades: 'trades', signals: 'signals', tokenMetrics: 'token metrics', tokens: 'tokens' };

const int = groupDigits;

function countsText(c: PruneCounts): string {
  return (Object.keys(LABEL) as PruneTable[]).map((t) => `${int(c[t])} ${LABEL[t]}`).join(', ');
}

function cutoffText(c: Cutoffs): string {
  if (c.reference === null) return ' (the database holds nothing with a time)';
  const parts: string[] = [];
  if (c.trades !== null) parts.push(`trades before ${isoTime(c.trades)}`);
  if (c.signals !== null) parts.push(`signals before ${isoTime(c.signals)}`);
  if (c.metrics !== null) parts.push(`metrics before ${isoTime(c.metrics)}`);
  const clock = c.relativeTo === 'newest' ? `newest stored ${isoTime(c.reference)}` : 'the wall clock';
  return parts.length ? ` (${parts.join(', ')}; ages from ${clock})` : ' (every table kept: all ages are never)';
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

/** e.g. `pruned 120,344 trades, 2,011 signals, 34 token metrics, 5 tokens in 1.8s; file 412 MB → 298 MB` */
function summaryLine(s: PruneSummary): string {
  const f = s.file;
  let file = `file ${megabytes(f.bytesBefore)} → ${megabytes(f.bytesAfter)}`;
  // Without incremental auto-vacuum the file keeps its size; say how much of it new rows will reuse.
  if (f.autoVacuum !== 'incremental' && f.freeBytes > 0) file += `, ${megabytes(f.freeBytes)} free inside for new rows (--vacuum shrinks it once)`;
  const head = s.interrupted ? 'interrupted: pruned' : 'pruned';
  return `${head} ${countsText(s.deleted)} in ${s.seconds.toFixed(1)}s; ${file}`;
}
