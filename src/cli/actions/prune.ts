/**
 * `solflow prune`: retention for cron. Deletes trades, signals and idle tokens' metrics older
 * than their ages in short transactions beside a running ingest, then gives space back.
 *
 * This file (the action behind commands/prune.ts) checks the options, opens the store, runs
 * src/jobs/prune.ts (lock, cutoffs, deletes, space) and prints one summary line (JSON with
 * --json); progress lines only with --verbose.
 */
import { existsSync } from 'node:fs';
import { DEFAULT_PRUNE_BATCH_SIZE, DEFAULT_RETENTION, NotEnoughSpaceError, type Cutoffs, type PruneCounts, type PruneTable } from '../../core/store/prune.js';
import { runPrune, type PruneEvent, type PrunePlan, type PruneSummary } from '../../jobs/prune.js';
import { isPostgresUrl, openStore, resolveDbPath } from '../../store/index.js';
import { defaultIo, type Io } from '../io.js';
import { EXIT, UsageError } from '../errors.js';
import { groupDigits, isoTime } from '../format.js';
import { parseDurationOption, parsePositiveInt } from '../options.js';
import { megabytes } from '../../util/units.js';

export type { PruneSummary } from '../../jobs/prune.js';

/** Exit code for a run stopped by Ctrl-C / SIGTERM (what was committed stays deleted). */
const EXIT_INTERRUPTED = 130;


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


function age(option: string, text: string | undefined, fallback: number | null): number | null {
  if (text === undefined) return fallback;
  if (text.trim().toLowerCase() === 'never') return null;
  return parseDurationOption(option, text);
}

/** Checked options, decided before any I/O. */
function checkOptions(opts: PruneCliOptions): PrunePlan {
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
    dryRun: opts.dryRun === true,
    vacuum: opts.vacuum === true,
    countFirst: opts.verbose === true,
  };
}

export async function runPruneCommand(opts: PruneCliOptions, io: Io = defaultIo()): Promise<number> {
  const plan = checkOptions(opts);
  const path = resolveDbPath(opts.db, io.env);
  // Prune never creates a database: a wrong path is a mistake to report, not an empty file.
  if (!isPostgresUrl(path) && path !== ':memory:' && !existsSync(path)) throw new UsageError(`no database at ${path}; pass --db PATH or set SOLFLOW_DB`);

  const store = await openStore({ db: path, readonly: plan.dryRun });
  try {
    const progress = opts.verbose ? verboseProgress(io) : undefined;
    const run = await runPrune(store, plan, { now: io.now, onInterrupt: io.onInterrupt, onEvent: progress && ((e) => progress(e, store.location)) }).catch((err) => {
      if (err instanceof NotEnoughSpaceError) throw new UsageError(err.message, EXIT.failure);
      throw err;
    });
    if (run.status === 'locked') {
      const who = run.holder ? ` (pid ${run.holder.pid} on ${run.holder.host}, since ${isoTime(Math.floor(run.holder.since / 1000))})` : '';
      io.err(`solflow: another prune is running on ${store.location}${who}; exiting`);
      return EXIT.tempFail;
    }
    const { summary, cutoffs } = run;
    if (opts.json) io.out(JSON.stringify(summary));
    else if (summary.dryRun) io.out(`would prune ${countsText(summary.deleted)}${cutoffText(cutoffs)}; nothing deleted (dry run)`);
    else io.out(summaryLine(summary));
    return summary.interrupted ? EXIT_INTERRUPTED : EXIT.ok;
  } finally {
    await store.close();
  }
}

/** --verbose: what the run is doing, and a line per table at most once a second and when it finishes. */
function verboseProgress(io: Io) {
  let last = 0;
  let lastTable: PruneTable | null = null;
  return (e: PruneEvent, location: string) => {
    if (e.type === 'planned') io.err(`prune: lock held; ${location}: to delete ${countsText(e.expected)}${cutoffText(e.cutoffs)}`);
    else if (e.type === 'deleted') io.err(`prune: deleted ${countsText(e.rows.deleted)} in ${e.rows.transactions} transactions (longest ${e.rows.longestTransactionMs.toFixed(0)} ms); reclaiming space`);
    else if (e.type === 'vacuum') io.err('prune: full VACUUM (writers wait until it ends)');
    else if (e.expected) {
      const p = e.progress;
      const t = io.now();
      const total = Math.max(e.expected[p.table], p.deleted);
      const finished = p.deleted >= total;
      if (p.table === lastTable && !finished && t - last < 1000) return;
      if (p.table !== lastTable) last = 0;
      lastTable = p.table;
      last = t;
      const pct = total === 0 ? 100 : Math.floor((p.deleted / total) * 100);
      io.err(`prune: ${LABEL[p.table]} ${int(p.deleted)} / ${int(total)} (${pct}%)`);
    }
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

/** e.g. `pruned 120,344 trades, 2,011 signals, 34 token metrics, 5 tokens in 1.8s; file 412 MB → 298 MB` */
function summaryLine(s: PruneSummary): string {
  const f = s.file;
  let file = `file ${megabytes(f.bytesBefore)} → ${megabytes(f.bytesAfter)}`;
  // Without incremental auto-vacuum the file keeps its size; say how much of it new rows will reuse.
  if (f.autoVacuum !== 'incremental' && f.freeBytes > 0) file += `, ${megabytes(f.freeBytes)} free inside for new rows (--vacuum shrinks it once)`;
  const head = s.interrupted ? 'interrupted: pruned' : 'pruned';
  return `${head} ${countsText(s.deleted)} in ${s.seconds.toFixed(1)}s; ${file}`;
}
