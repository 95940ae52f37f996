/**
 * `solflow backfill` as a function: options → plan → job runner (src/jobs) → printed progress
 * and summary, with exit codes. The backfill command calls it, and so do `analyze --fetch` (an
 * address backfill) and `demo` (recorded files), so all three print and exit the same way.
 */
import type { RawTransaction } from '../../core/decode/index.js';
import type { Store } from '../../core/store/types.js';
import { JobError } from '../../jobs/errors.js';
import { BACKFILL_JOB_KIND, planBackfillJob, runBackfillJob, type BackfillJobCursor, type BackfillJobParams, type BackfillJobRequest } from '../../jobs/backfill-job.js';
import { ingestFiles } from '../../jobs/files.js';
import { EndpointError, resolveEndpoint } from '../../sources/endpoint.js';
import { RpcClient } from '../../sources/rpc/client.js';
import { redactText } from '../../util/redact.js';
import { EXIT, UsageError } from '../errors.js';
import { defaultIo, type Io } from '../io.js';
import { loadFlowConfig } from '../flow-config-option.js';
import { withWriter } from '../with-db.js';
import { checkOptions, type BackfillOptions, type Plan } from './backfill-plan.js';
import { EXIT_INTERRUPTED, interruptFlag, printDryRun, printSummary, Progress } from './backfill-output.js';

export async function runBackfillCommand(rangeArg: string | undefined, opts: BackfillOptions, io: Io = defaultIo()): Promise<number> {
  if (opts.jobs) return printJobs(opts, io);
  const plan = { ...checkOptions(rangeArg, opts, io.now()), flow: loadFlowConfig(opts.flowConfig, io.env) };
  if (opts.from) return runFromFiles(plan, opts, io);
  let endpoint;
  try {
    endpoint = resolveEndpoint(opts.rpc, io.env);
  } catch (err) {
    if (err instanceof EndpointError) throw new UsageError(err.message);
    throw err;
  }
  if (endpoint.warning && !opts.quiet) io.err(`warning: ${endpoint.warning}`);
  return runFromRpc(plan, opts, endpoint.url, io);
}

/** Job errors as the CLI reports them: a bad request is a usage error, a busy job exit 75. */
function asUsage(err: unknown): unknown {
  if (err instanceof JobError) return new UsageError(err.message, err.kind === 'busy' ? EXIT.tempFail : EXIT.usage);
  return err;
}

function jobRequest(plan: Plan): BackfillJobRequest {
  return { range: plan.spec!, rangeText: plan.rangeText, address: plan.address, programs: plan.programs, commitment: plan.commitment, flow: plan.flow, venues: plan.programs };
}

async function runFromRpc(plan: Plan, opts: BackfillOptions, url: string, io: Io): Promise<number> {
  const client = new RpcClient({
    url,
    concurrency: plan.concurrency,
    rps: plan.rps,
    timeoutMs: plan.timeoutMs,
    maxAttempts: plan.retries + 1,
    onEvent: (e) => {
      if (!opts.verbose) return;
      if (e.type === 'breaker') io.err(`circuit breaker ${e.state}`);
      if (e.type === 'batch-limit') io.err(`endpoint refused a batch: ${e.method} batches now ${e.size}`);
    },
  });
  try {
    // A dry run opens no database: it only says what would be fetched.
    if (opts.dryRun) return printDryRun(plan, await planBackfillJob(null, client, jobRequest(plan)).catch((e) => Promise.reject(asUsage(e))), client.endpoint, io, opts);
    return await withWriter(opts.db, (store) => runJob(store, client, plan, opts, io), { env: io.env, failed: (code) => code === EXIT.failure });
  } catch (err) {
    throw asUsage(err);
  } finally {
    client.close();
  }
}

async function runJob(store: Store, client: RpcClient, plan: Plan, opts: BackfillOptions, io: Io): Promise<number> {
  const stop = interruptFlag(io);
  const progress = new Progress(io, opts, client, plan.address ? 'signatures' : 'slots');
  let outcome;
  try {
    outcome = await runBackfillJob(store, client, jobRequest(plan), {
      shouldStop: stop.requested,
      onProgress: (c) => progress.update(c),
      onListing: (n, slot) => progress.listing(n, slot),
      onStart: (job, resumed) => {
        if (!resumed || opts.quiet) return;
        const { start, end } = job.params;
        const what = resumed.pos >= end ? `retrying ${resumed.gaps} gap(s)` : `resuming at slot ${resumed.pos + 1}`;
        io.err(`job ${job.id}: ${what} of ${start}..${end}`);
      },
      onDecodeError: (signature, error) => {
        if (opts.verbose) io.err(`undecodable transaction ${signature}: ${error.message}`);
      },
    });
  } finally {
    stop.dispose();
    progress.done();
  }
  const { job, status, range, checkpoint: cp, gaps, fatal } = outcome;
  const report = {
    job: job.id,
    status,
    range: `${range[0]}..${range[1]}`,
    endpoint: client.endpoint,
    ...cp.counts,
    decodeFailures: outcome.decodeFailures,
    tradesWritten: outcome.pipeline.writer.written,
    gaps: gaps.length,
    requests: client.stats.requests,
    calls: client.stats.calls,
    throttled: client.stats.throttled,
    retries: client.stats.retries,
    seconds: Number(((io.now() - progress.startedAt) / 1000).toFixed(1)),
  };
  printSummary(report, gaps, opts, io);
  if (fatal) {
    io.err(`solflow: backfill stopped: ${redactText(fatal.message)} (job ${job.id} keeps its place; re-run the same command to resume)`);
    if (opts.verbose && fatal.stack) io.err(redactText(fatal.stack));
    return EXIT.failure;
  }
  if (status === 'interrupted') return EXIT_INTERRUPTED;
  return gaps.length > 0 ? EXIT.partial : EXIT.ok;
}

// ---------------------------------------------------------------------------------------------
// Recorded files (--from): the same pipeline, no network, no job.

async function runFromFiles(plan: Plan, opts: BackfillOptions, io: Io): Promise<number> {
  const spec = plan.spec;
  const accept = ({ slot, blockTime }: RawTransaction): boolean => {
    if (!spec) return true;
    if (spec.kind === 'slots') return typeof slot === 'number' && slot >= spec.start && slot <= spec.end;
    return typeof blockTime === 'number' && blockTime * 1000 >= spec.startMs && blockTime * 1000 <= spec.endMs;
  };
  if (opts.dryRun) {
    io.out(`would read recorded transactions from ${opts.from}${spec ? ` (only ${plan.rangeText})` : ''}; nothing is written`);
    return EXIT.ok;
  }
  const r = await withWriter(opts.db, (store) => ingestFiles(store, { paths: [opts.from!], accept, venues: plan.programs, flow: plan.flow }), { env: io.env });
  const report = { source: opts.from, transactions: r.transactions, trades: r.trades, tradesWritten: r.tradesWritten, problems: r.problems.length };
  if (opts.json) io.out(JSON.stringify(report));
  else io.err(`read ${r.transactions} transactions from ${opts.from}: ${r.trades} trades, ${r.tradesWritten} new in the database`);
  for (const p of r.problems.slice(0, 20)) io.err(`  skipped ${redactText(p)}`);
  if (r.problems.length > 20) io.err(`  … and ${r.problems.length - 20} more`);
  return r.problems.length > 0 ? EXIT.partial : EXIT.ok;
}

// ---------------------------------------------------------------------------------------------
// --jobs

async function printJobs(opts: BackfillOptions, io: Io): Promise<number> {
  const jobs = await withWriter(opts.db, (store) => store.jobs.list({ kind: BACKFILL_JOB_KIND }), { env: io.env });
  if (opts.json) {
    for (const j of jobs) io.out(JSON.stringify({ id: j.id, status: j.status, ...j.params, cursor: j.cursor?.pos ?? null, counts: j.counts, gaps: j.gaps, lastError: j.lastError, updatedAt: new Date(j.updatedAt).toISOString() }));
    return EXIT.ok;
  }
  if (jobs.length === 0) {
    io.out('no backfill jobs');
    return EXIT.ok;
  }
  io.out(['id', 'status', 'range', 'slots', 'scope', 'done', 'trades', 'gaps', 'updated'].join('\t'));
  for (const j of jobs) {
    const p = j.params as BackfillJobParams;
    const total = p.end - p.start + 1;
    const pos = (j.cursor as BackfillJobCursor | null)?.pos ?? p.start - 1;
    const pct = total > 0 ? Math.min(100, Math.max(0, ((pos - p.start + 1) / total) * 100)) : 100;
    io.out(
      [j.id, j.status, p.range, `${p.start}..${p.end}`, p.address ? `address ${p.address}` : p.programs ? p.programs.join(',') : 'all', `${pct.toFixed(0)}%`, j.counts.trades ?? 0, j.gaps.length, new Date(j.updatedAt).toISOString().slice(0, 19) + 'Z'].join('\t'),
    );
  }
  return EXIT.ok;
}
