/**
 * `solflow prune`: retention for cron. Deletes trades, signals and idle tokens' metrics older
 * than their ages in short transactions beside a running ingest, then gives space back.
 *
 * This file parses options, takes the prune lock, wires store/prune and prints one summary line
 * (JSON with --json); progress lines only with --verbose. The SQL is in src/store/prune.ts.
 */
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { openDatabase, resolveDbPath, type SolflowDb } from '../store/index.js';
import { acquireFileLock, LockHeldError, type FileLock } from '../store/lock.js';
import {
  checkpointWal, countPrunable, cutoffsFor, DEFAULT_BATCH_SIZE, DEFAULT_RETENTION, fileStats, fullVacuum, NotEnoughSpaceError, pruneRows, reclaimSpace,
  type Cutoffs, type FileStats, type PruneCounts, type PruneTable, type ReclaimResult, type RelativeTo, type Retention,
} from '../store/prune.js';
import { defaultIo, type Io } from './io.js';
import { EXIT, UsageError } from './errors.js';
import { withExample } from './examples.js';
import { isoTime } from './format.js';
import type { CommandRegistrar } from './main.js';
import { parseDurationOption, parsePositiveInt } from './options.js';
import { megabytes } from '../util/units.js';

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

const days = (s: number) => `${s / 86_400}d`;

export const registerPrune: CommandRegistrar = (program, setExit) => {
  const cmd = program
    .command('prune')
    .description('delete old trades, signals and idle tokens\' metrics in short transactions (safe beside a running ingest), then give space back')
    .option('--older-than <age>', `trades older than this go ('never' keeps them)`, days(DEFAULT_RETENTION.trades!))
    .option('--signals-older-than <age>', `signals older than this go ('never' keeps them)`, days(DEFAULT_RETENTION.signals!))
    .option('--metrics-idle <age>', `token metrics not updated for this long go: tokens that went quiet ('never' keeps them)`, days(DEFAULT_RETENTION.metrics!))
    .option('--relative-to <clock>', 'count ages back from: newest = the newest block time stored (a historical database is never emptied), now = the wall clock', 'newest')
    .option('--batch-size <n>', 'most rows per delete transaction (each is also held under ~50 ms)', String(DEFAULT_BATCH_SIZE))
    .option('--dry-run', 'print what would be deleted; delete nothing')
    .option('--vacuum', 'afterwards rewrite the file with a full VACUUM (needs 2x the data free on disk and blocks writers while it runs: stop ingest first; never needed for files created by this version)')
    .option('--db <path>', 'SQLite database (env SOLFLOW_DB, default ./solflow.db)')
    .option('--json', 'print the summary as one JSON object')
    .action(async (opts: PruneCliOptions, command: Command) => {
      const verbose = command.optsWithGlobals().verbose === true;
      setExit(await runPruneCommand({ ...opts, verbose }));
    });
  withExample(cmd, 'solflow prune --older-than 7d --dry-run');
  cmd.addHelpText(
    'after',
    '\nAges: 90s, 30m, 12h, 7d, 4w, or never. Trades without a block time are never pruned by age; a token\'s\n' +
      'row goes once its last trade is older than --older-than and no trade, signal or metric refers to it.\n' +
      'Quiet for cron: one summary line on stdout, progress on stderr only with --verbose. A second prune\n' +
      'on the same database exits 75 at once. Crontab, nightly at 03:17:\n' +
      '  17 3 * * * solflow prune --db /var/lib/solflow/solflow.db --older-than 7d\n' +
      'Exit codes: 0 done (also: nothing to prune) · 75 another prune holds the lock · 2 usage · 1 failure · 130 interrupted',
  );
};

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
    batchSize: parsePositiveInt('--batch-size', opts.batchSize ?? String(DEFAULT_BATCH_SIZE), 1_000_000),
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
  if (/^postgres(ql)?:\/\//i.test(path)) throw new UsageError('prune works on SQLite files; PostgreSQL databases are not supported yet');
  // Prune never creates a database: a wrong path is a mistake to report, not an empty file.
  if (path !== ':memory:' && !existsSync(path)) throw new UsageError(`no database at ${path}; pass --db PATH or set SOLFLOW_DB`);

  let lock: FileLock | null = null;
  if (!opts.dryRun) {
    try {
      lock = acquireFileLock(path, LOCK_NAME);
    } catch (err) {
      if (!(err instanceof LockHeldError)) throw err;
      const who = err.holder ? ` (pid ${err.holder.pid} on ${err.holder.host}, since ${isoTime(Math.floor(err.holder.since / 1000))})` : '';
      io.err(`solflow: another prune is running on ${path}${who}; exiting`);
      return EXIT.tempFail;
    }
  }
  let db: SolflowDb | null = null;
  try {
    db = openDatabase({ path, readonly: opts.dryRun === true });
    return await (opts.dryRun ? dryRun(db, plan, opts, io) : prune(db, plan, opts, io));
  } finally {
    await db?.close();
    lock?.release();
  }
}

function dryRun(db: SolflowDb, plan: Plan, opts: PruneCliOptions, io: Io): number {
  const t0 = performance.now();
  const cutoffs = cutoffsFor(db.sqlite, plan.retention, plan.relativeTo, io.now());
  const counts = countPrunable(db.sqlite, cutoffs);
  const stats = fileStats(db.sqlite, db.path);
  const summary = makeSummary(db.path, true, cutoffs, counts, stats, stats, performance.now() - t0);
  if (opts.json) io.out(JSON.stringify(summary));
  else io.out(`would prune ${countsText(counts)}${cutoffText(cutoffs)}; nothing deleted (dry run)`);
  return EXIT.ok;
}

async function prune(db: SolflowDb, plan: Plan, opts: PruneCliOptions, io: Io): Promise<number> {
  const t0 = performance.now();
  const before = fileStats(db.sqlite, db.path);
  const cutoffs = cutoffsFor(db.sqlite, plan.retention, plan.relativeTo, io.now());
  let stop = false;
  const unsubscribe = io.onInterrupt(() => {
    stop = true;
  });
  try {
    const expected = opts.verbose ? countPrunable(db.sqlite, cutoffs) : null;
    if (expected) io.err(`prune: lock held; ${db.path}: to delete ${countsText(expected)}${cutoffText(cutoffs)}`);
    const progress = verboseProgress(io, expected);
    const rows = await pruneRows(db.sqlite, cutoffs, { batchSize: plan.batchSize, shouldStop: () => stop, onBatch: progress });
    if (opts.verbose) io.err(`prune: deleted ${countsText(rows.deleted)} in ${rows.transactions} transactions (longest ${rows.longestTransactionMs.toFixed(0)} ms); reclaiming space`);
    const space: ReclaimResult = stop ? { vacuumedPages: 0, checkpointed: false, stopped: true } : await reclaimSpace(db.sqlite, { batchSize: plan.batchSize, shouldStop: () => stop });
    let vacuumed = false;
    if (opts.vacuum && !stop) {
      if (opts.verbose) io.err('prune: full VACUUM (writers wait until it ends)');
      try {
        fullVacuum(db.sqlite, db.path);
      } catch (err) {
        if (err instanceof NotEnoughSpaceError) throw new UsageError(err.message, EXIT.failure);
        throw err;
      }
      vacuumed = true;
      // VACUUM in WAL mode writes the whole new file into the log: copy it home and truncate.
      space.checkpointed = await checkpointWal(db.sqlite);
    }
    const after = fileStats(db.sqlite, db.path);
    const summary = makeSummary(db.path, false, cutoffs, rows.deleted, before, after, performance.now() - t0);
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

const int = (n: number) => n.toLocaleString('en-US');

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
