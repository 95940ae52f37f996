/**
 * `solflow backfill <range>`: historical trades over RPC (or from recorded files) through the one
 * ingest pipeline, as a resumable job.
 *
 * This file parses and checks options, wires endpoint → client → source → pipeline → job row,
 * and formats progress and the summary. The fetching lives in sources/, the storing in store/
 * and core/pipeline.
 */
import { hostname } from 'node:os';
import type { Command } from 'commander';
import { decodeTransaction, type RawTransaction } from '../core/decode/index.js';
import { defaultLabels } from '../core/labels.js';
import type { EngineOptionsInput } from '../core/flow/options.js';
import { createPipeline, type Pipeline, type TxEnvelope } from '../core/pipeline.js';
import { openDatabase, resolveDbPath, type SolflowDb } from '../store/index.js';
import { createJob, findUnfinishedJob, listJobs, recordFailure, updateJob, type JobRow } from '../store/jobs.js';
import { runAddressBackfill, runSlotBackfill, type BackfillCounts, type BackfillSink, type Checkpoint, type Gap, type RunResult } from '../sources/backfill.js';
import { EndpointError, resolveEndpoint } from '../sources/endpoint.js';
import { readRecorded } from '../sources/recorded.js';
import { RpcClient } from '../sources/rpc/client.js';
import { RpcError } from '../sources/rpc/errors.js';
import { chainBounds, timeRangeToSlots } from '../sources/slot-time.js';
import type { Commitment, SlotRange, SourceTx } from '../sources/types.js';
import { redactText } from '../util/redact.js';
import { EXIT, UsageError } from './errors.js';
import { withExample } from './examples.js';
import { defaultIo, type Io } from './io.js';
import { loadFlowConfig } from './flow-config-option.js';
import type { CommandRegistrar } from './main.js';
import { parseAddress, parsePositiveInt } from './options.js';
import { parseLast, parseRange, type RangeSpec } from './range.js';

/** Exit code for a run stopped by Ctrl-C / SIGTERM (128 + SIGINT, the shell convention). */
const EXIT_INTERRUPTED = 130;
const JOB_KIND = 'backfill';

export interface BackfillOptions {
  last?: string;
  program?: string;
  address?: string;
  rpc?: string;
  from?: string;
  concurrency?: string;
  rps?: string;
  timeout?: string;
  retries?: string;
  commitment?: string;
  dryRun?: boolean;
  jobs?: boolean;
  db?: string;
  json?: boolean;
  quiet?: boolean;
  verbose?: boolean;
  flowConfig?: string;
}

export const registerBackfill: CommandRegistrar = (program, setExit) => {
  const cmd = program
    .command('backfill')
    .description('fill the database with the DEX trades of a slot or time range, over RPC or from recorded files; resumable')
    .argument('[range]', 'START..END, both inclusive: slots 312000000..312000500, times 2025-06-01T00:00Z..2025-06-01T01:00Z, relative -2h..now')
    .option('--last <duration>', 'the last 30m / 2h / 1d, instead of a range')
    .option('--program <names>', 'only these venues, comma-separated (default: every supported DEX)')
    .option('--address <pubkey>', "one account's history (wallet, mint or pool) via getSignaturesForAddress")
    .option('-u, --rpc <url>', 'RPC endpoint, or mainnet-beta|devnet|testnet|localhost (env SOLFLOW_RPC_URL)')
    .option('--from <path>', 'recorded transactions instead of RPC: a file, a directory, JSON Lines, getBlock results')
    .option('--concurrency <n>', 'HTTP requests in flight', '16')
    .option('--rps <n>', 'ceiling on RPC calls per second (default: learned from the endpoint)')
    .option('--commitment <level>', 'confirmed or finalized', 'finalized')
    .option('--timeout <seconds>', 'per-request timeout', '30')
    .option('--retries <n>', 'retries per call after a timeout, 5xx or "block not available" (429s are waited out separately)', '5')
    .option('--dry-run', 'print what would be fetched, fetch nothing')
    .option('--jobs', 'list backfill jobs and exit')
    .option('--db <path>', 'SQLite database (env SOLFLOW_DB, default ./solflow.db)')
    .option('--json', 'print the summary (or the --jobs list) as JSON on stdout')
    .option('--quiet', 'no progress lines')
    .option('--flow-config <file>', 'bot-flag and signal thresholds from a JSON file (env SOLFLOW_FLOW_CONFIG; see solflow flow-config)')
    // Relative ranges start with '-' (-2h..now): let commander pass them through as the range,
    // and reject real unknown options here.
    .allowUnknownOption()
    .action(async (range: string | undefined, opts: BackfillOptions, command: Command) => {
      const stray = command.args.filter((a) => a !== range);
      if (range !== undefined && range.startsWith('-') && !range.includes('..')) throw new UsageError(`unknown option '${range}'`);
      if (stray.length > 0) throw new UsageError(`unexpected argument${stray.length > 1 ? 's' : ''}: ${stray.join(' ')}`);
      const verbose = command.optsWithGlobals().verbose === true;
      setExit(await runBackfillCommand(range, { ...opts, verbose }));
    });
  withExample(cmd, 'solflow backfill -2h..now --rpc "$SOLFLOW_RPC_URL" --program pumpfun,pumpswap --rps 50');
  cmd.addHelpText(
    'after',
    '\nRe-run the same command to resume an interrupted job or to retry its gaps.\n' +
      'Exit codes: 0 the whole range is stored · 3 finished with gaps (listed; re-run to retry) · 2 usage · 1 failure · 130 interrupted · 75 the job is running elsewhere',
  );
};

/** Checked options: everything a run needs, decided before any I/O. */
interface Plan {
  spec: RangeSpec | null;
  rangeText: string;
  programs: Set<string> | null;
  address: string | null;
  concurrency: number;
  rps: number | undefined;
  timeoutMs: number;
  retries: number;
  commitment: Commitment;
  /** Flow-engine thresholds from --flow-config (defaults when undefined). */
  flow: EngineOptionsInput | undefined;
}

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

// ---------------------------------------------------------------------------------------------
// Options

function checkOptions(rangeArg: string | undefined, opts: BackfillOptions, nowMs: number): Omit<Plan, 'flow'> {
  if (rangeArg && opts.last) throw new UsageError('give a range or --last, not both');
  if (opts.from && opts.rpc) throw new UsageError('--from reads recorded files; it cannot be combined with --rpc');
  if (opts.from && opts.address) throw new UsageError('--address needs RPC; it cannot be combined with --from');
  let spec: RangeSpec | null = null;
  if (rangeArg) spec = parseRange(rangeArg, nowMs);
  else if (opts.last) spec = parseLast(opts.last, nowMs);
  else if (!opts.from) throw new UsageError('missing range: e.g. solflow backfill 312000000..312000500, -2h..now or --last 30m');
  const rangeText = rangeArg ? rangeArg.trim() : opts.last ? `--last ${opts.last.trim()}` : 'all';

  let programs: Set<string> | null = null;
  if (opts.program) {
    const known = knownVenues();
    programs = new Set(opts.program.split(',').map((p) => p.trim()).filter(Boolean));
    const unknown = [...programs].filter((p) => !known.has(p));
    if (unknown.length) throw new UsageError(`unknown --program ${unknown.join(', ')}; known: ${[...known].sort().join(', ')}`);
  }
  const address = opts.address === undefined ? null : parseAddress('--address', opts.address);
  const concurrency = parsePositiveInt('--concurrency', opts.concurrency ?? '16', 256);
  const rps = opts.rps === undefined ? undefined : Number(opts.rps);
  if (rps !== undefined && (!Number.isFinite(rps) || rps <= 0)) throw new UsageError('--rps must be a positive number');
  const timeout = Number(opts.timeout ?? 30);
  if (!Number.isFinite(timeout) || timeout <= 0) throw new UsageError('--timeout must be a positive number of seconds');
  const retries = Number(opts.retries ?? 5);
  if (!Number.isInteger(retries) || retries < 0 || retries > 100) throw new UsageError('--retries must be a whole number from 0 to 100');
  const commitment = (opts.commitment ?? 'finalized') as Commitment;
  if (commitment !== 'confirmed' && commitment !== 'finalized') throw new UsageError('--commitment must be confirmed or finalized (getBlock serves nothing less)');
  return { spec, rangeText, programs, address, concurrency, rps, timeoutMs: timeout * 1000, retries, commitment };
}

function knownVenues(): Set<string> {
  const out = new Set<string>();
  for (const p of defaultLabels.programs.values()) if (p.kind === 'dex') out.add(p.name);
  return out;
}

/** The one ingest pipeline, with --program's venue filter and --flow-config's thresholds. */
/** `writerThread`: for recorded files, which are CPU-bound (see PipelineOptions.writerThread). */
function pipelineFor(db: SolflowDb, plan: Plan, writerThread: boolean, onDecodeError: (env: TxEnvelope, error: Error) => void): Pipeline {
  const { programs } = plan;
  // Without --program, the pipeline's own decoder.
  const decode = programs ? (tx: RawTransaction) => decodeTransaction(tx).filter((t) => programs.has(t.venue)) : undefined;
  return createPipeline({ db, decode, engine: plan.flow, onDecodeError, writerThread });
}

const signatureOf = (tx: RawTransaction): string => (tx.transaction as { signatures?: string[] } | null)?.signatures?.[0] ?? '?';

// ---------------------------------------------------------------------------------------------
// RPC backfill

interface JobParams {
  key: string;
  range: string;
  scope: 'slots' | 'address';
  address: string | null;
  programs: string[] | null;
  start: number;
  end: number;
  endpoint: string;
  commitment: Commitment;
}

interface JobCursor {
  /** Every slot ≤ pos of the range is stored or listed in gaps. */
  pos: number;
  pid: number;
  host: string;
}

/** The cursor at `pos`, held by this process. */
const cursorAt = (pos: number): JobCursor => ({ pos, pid: process.pid, host: hostname() });

function jobKey(plan: Plan): string {
  return JSON.stringify({ range: plan.rangeText, address: plan.address, programs: plan.programs ? [...plan.programs].sort() : null });
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
  // Redacted: safe to print and to store in the job row.
  const endpoint = client.endpoint;
  const db = opts.dryRun ? null : openDatabase({ path: resolveDbPath(opts.db, io.env) });
  try {
    const key = jobKey(plan);
    const existing = db ? findUnfinishedJob(db.sqlite, JOB_KIND, key) : null;
    if (existing) assertNotRunningElsewhere(existing);
    const resolved = existing ? { start: existing.params.start as number, end: existing.params.end as number } : await resolveSlots(client, plan);
    if (opts.dryRun) return printDryRun(plan, resolved, endpoint, io, opts);

    const job: JobRow<JobParams, JobCursor> =
      existing ??
      createJob<JobParams>(
        db!.sqlite,
        JOB_KIND,
        {
          key,
          range: plan.rangeText,
          scope: plan.address ? 'address' : 'slots',
          address: plan.address,
          programs: plan.programs ? [...plan.programs].sort() : null,
          ...resolved,
          endpoint,
          commitment: plan.commitment,
        },
        cursorAt(resolved.start - 1),
      );
    const cursorPos = existing?.cursor?.pos ?? resolved.start - 1;
    const oldGaps = (existing?.gaps ?? []) as Gap[];
    if (existing && !opts.quiet) {
      const what = cursorPos >= resolved.end ? `retrying ${oldGaps.length} gap(s)` : `resuming at slot ${cursorPos + 1}`;
      io.err(`job ${job.id}: ${what} of ${resolved.start}..${resolved.end}`);
    }
    updateJob(db!.sqlite, job.id, { status: 'running', cursor: cursorAt(cursorPos), lastError: null, finished: false });
    return await execute(client, db!, job, { plan, cursorPos, oldGaps, range: [resolved.start, resolved.end] }, opts, io);
  } finally {
    client.close();
    await db?.close();
  }
}

/** A kill -9 leaves 'running' behind; only a live process on this host really holds the job. */
function assertNotRunningElsewhere(job: JobRow<any, any>): void {
  const c = job.cursor as JobCursor | null;
  if (job.status !== 'running' || !c?.pid || c.host !== hostname() || c.pid === process.pid) return;
  try {
    process.kill(c.pid, 0);
  } catch {
    return; // gone: resume
  }
  throw new UsageError(`job ${job.id} is being run by process ${c.pid}; wait for it or stop it first`, EXIT.tempFail);
}

async function resolveSlots(client: RpcClient, plan: Plan): Promise<{ start: number; end: number }> {
  const spec = plan.spec!;
  try {
    if (spec.kind === 'slots') {
      const { tip } = await chainBounds(client, { commitment: plan.commitment });
      if (spec.start > tip) throw new UsageError(`range starts at slot ${spec.start}, after the ${plan.commitment} tip ${tip}`);
      if (spec.end > tip) throw new UsageError(`range ends at slot ${spec.end}, after the ${plan.commitment} tip ${tip}; use ${spec.start}..${tip}`);
      return { start: spec.start, end: spec.end };
    }
    const r = await timeRangeToSlots(client, spec.startMs, spec.endMs, { commitment: plan.commitment });
    if (!r) throw new UsageError(`empty range '${plan.rangeText}': no blocks in that time span`);
    return { start: r.start, end: r.end };
  } catch (err) {
    if (err instanceof RpcError) throw new Error(`could not resolve the range against ${client.endpoint}: ${err.message}`);
    throw err;
  }
}

interface Work {
  plan: Plan;
  cursorPos: number;
  oldGaps: Gap[];
  range: SlotRange;
}

async function execute(client: RpcClient, db: SolflowDb, job: JobRow<JobParams, JobCursor>, work: Work, opts: BackfillOptions, io: Io): Promise<number> {
  const { plan, oldGaps, range } = work;
  let decodeFailures = 0;
  const pipeline = pipelineFor(db, plan, false, (env, error) => {
    decodeFailures++;
    const sig = signatureOf(env.tx);
    recordFailure(db.sqlite, job.id, { signature: sig, slot: env.tx.slot ?? null, stage: 'decode', error: error.message });
    if (opts.verbose) io.err(`undecodable transaction ${sig}: ${error.message}`);
  });
  const stop = interruptFlag(io);
  const progress = new Progress(io, opts, client, plan.address ? 'signatures' : 'slots');
  let last: Checkpoint | null = null;
  const saveCursor = (cp: Checkpoint) => {
    // exclusive() flushes queued rows first, so the stored cursor never covers unwritten trades.
    pipeline.writer.exclusive((sqlite) =>
      updateJob(sqlite, job.id, {
        cursor: cursorAt(safePos(pipeline, cp.pos, work.cursorPos)),
        gaps: cp.gaps,
        counts: { ...cp.counts, decodeFailures },
      }),
    );
  };
  const sink: BackfillSink = {
    async ingest(txs: SourceTx[], at) {
      const r = await pipeline.ingestTransactions(txs);
      if (at.blockTime !== null) await pipeline.tick(at.blockTime, at.slot);
      return r.received;
    },
    checkpoint(cp) {
      last = cp;
      saveCursor(cp);
    },
  };
  const runOpts = { commitment: plan.commitment, shouldStop: stop.requested, onProgress: (c: BackfillCounts) => progress.update(c) };

  let result: RunResult | null = null;
  let fatal: Error | null = null;
  try {
    result = plan.address
      ? await runAddressBackfill(client, plan.address, range, oldGaps, work.cursorPos, sink, { ...runOpts, onListing: (n, slot) => progress.listing(n, slot) })
      : await runSlotBackfill(client, range, oldGaps, work.cursorPos, sink, runOpts);
  } catch (err) {
    fatal = err as Error;
  } finally {
    stop.dispose();
    progress.done();
  }
  const summary = await pipeline.close();
  const cp: Checkpoint = result?.checkpoint ?? last ?? { pos: work.cursorPos, gaps: oldGaps, counts: progress.counts };
  const gaps = cp.gaps;
  const status = fatal ? 'failed' : result?.stopped ? 'interrupted' : gaps.length > 0 ? 'gaps' : 'done';
  // After close() nothing is held in the engine: the walked position is safe to store as is.
  updateJob(db.sqlite, job.id, {
    status,
    cursor: cursorAt(Math.max(work.cursorPos, cp.pos)),
    gaps,
    counts: { ...cp.counts, decodeFailures, written: summary.writer.written },
    lastError: fatal ? fatal.message : gaps.length ? `${gaps.length} gap(s); first: ${gaps[0].error}` : null,
    finished: status === 'done' || status === 'gaps',
  });

  const report = {
    job: job.id,
    status,
    range: `${range[0]}..${range[1]}`,
    endpoint: client.endpoint,
    ...cp.counts,
    decodeFailures,
    tradesWritten: summary.writer.written,
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

/** The cursor may not pass what the pipeline still holds (trades not yet handed to the writer). */
function safePos(pipeline: Pipeline, pos: number, floor: number): number {
  const committed = pipeline.committedSlot();
  const p = committed === null ? pos : Math.min(pos, committed);
  return Math.max(floor, p);
}

function printDryRun(plan: Plan, r: { start: number; end: number }, endpoint: string, io: Io, opts: BackfillOptions): number {
  const slots = r.end - r.start + 1;
  const info = {
    range: plan.rangeText,
    slots: `${r.start}..${r.end}`,
    slotCount: slots,
    scope: plan.address ? `address ${plan.address}` : 'all transactions',
    programs: plan.programs ? [...plan.programs] : 'all supported',
    endpoint,
    calls: plan.address
      ? 'getSignaturesForAddress pages (1000 each) + one getTransaction per successful signature'
      : `~${Math.ceil(slots / 1000)} getBlocks + up to ${slots} getBlock`,
  };
  if (opts.json) io.out(JSON.stringify(info));
  else {
    io.out(`would backfill ${info.slots} (${slots} slots) from ${endpoint}`);
    io.out(`  scope: ${info.scope}; programs: ${Array.isArray(info.programs) ? info.programs.join(',') : info.programs}`);
    io.out(`  calls: ${info.calls}`);
  }
  return EXIT.ok;
}

// ---------------------------------------------------------------------------------------------
// Recorded files (--from): the same pipeline, no network, no job.

async function runFromFiles(plan: Plan, opts: BackfillOptions, io: Io): Promise<number> {
  const spec = plan.spec;
  const inRange = ({ slot, blockTime }: RawTransaction): boolean => {
    if (!spec) return true;
    if (spec.kind === 'slots') return typeof slot === 'number' && slot >= spec.start && slot <= spec.end;
    return typeof blockTime === 'number' && blockTime * 1000 >= spec.startMs && blockTime * 1000 <= spec.endMs;
  };
  if (opts.dryRun) {
    io.out(`would read recorded transactions from ${opts.from}${spec ? ` (only ${plan.rangeText})` : ''}; nothing is written`);
    return EXIT.ok;
  }
  const db = openDatabase({ path: resolveDbPath(opts.db, io.env) });
  const problems: string[] = [];
  try {
    const pipeline = pipelineFor(db, plan, true, (env, error) => problems.push(`${signatureOf(env.tx)}: ${error.message}`));
    let txs = 0;
    let trades = 0;
    let batch: TxEnvelope[] = [];
    const flush = async () => {
      if (!batch.length) return;
      trades += (await pipeline.ingestTransactions(batch)).received;
      batch = [];
    };
    for await (const item of readRecorded([opts.from!])) {
      if (item.kind === 'error') {
        problems.push(`${item.origin}: ${item.message}`);
        continue;
      }
      if (!inRange(item.tx)) continue;
      txs++;
      // A block's transactions carry their position (txIndex) themselves: decode reads it.
      batch.push({ tx: item.tx });
      if (batch.length >= 256) await flush();
    }
    await flush();
    const summary = await pipeline.close();
    const report = { source: opts.from, transactions: txs, trades, tradesWritten: summary.writer.written, problems: problems.length };
    if (opts.json) io.out(JSON.stringify(report));
    else io.err(`read ${txs} transactions from ${opts.from}: ${trades} trades, ${summary.writer.written} new in the database`);
    for (const p of problems.slice(0, 20)) io.err(`  skipped ${redactText(p)}`);
    if (problems.length > 20) io.err(`  … and ${problems.length - 20} more`);
    return problems.length > 0 ? EXIT.partial : EXIT.ok;
  } finally {
    await db.close();
  }
}

// ---------------------------------------------------------------------------------------------
// --jobs

async function printJobs(opts: BackfillOptions, io: Io): Promise<number> {
  const db = openDatabase({ path: resolveDbPath(opts.db, io.env) });
  try {
    const jobs = listJobs(db.sqlite, { kind: JOB_KIND });
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
      const p = j.params as JobParams;
      const total = p.end - p.start + 1;
      const pos = (j.cursor as JobCursor | null)?.pos ?? p.start - 1;
      const pct = total > 0 ? Math.min(100, Math.max(0, ((pos - p.start + 1) / total) * 100)) : 100;
      io.out(
        [j.id, j.status, p.range, `${p.start}..${p.end}`, p.address ? `address ${p.address}` : p.programs ? p.programs.join(',') : 'all', `${pct.toFixed(0)}%`, j.counts.trades ?? 0, j.gaps.length, new Date(j.updatedAt).toISOString().slice(0, 19) + 'Z'].join('\t'),
      );
    }
    return EXIT.ok;
  } finally {
    await db.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Output: progress, summary, interruption



/** First Ctrl-C: finish the current block, store everything, exit 130. Second: exit at once. */
function interruptFlag(io: Io) {
  let requested = false;
  const off = io.onInterrupt(() => {
    if (requested) process.exit(EXIT_INTERRUPTED);
    requested = true;
    io.err('interrupted: saving progress (press Ctrl-C again to quit at once)');
  });
  return { requested: () => requested, dispose: off };
}

class Progress {
  readonly startedAt: number;
  counts: BackfillCounts = { planned: 0, done: 0, blocks: 0, skippedSlots: 0, transactions: 0, trades: 0, failedTxs: 0 };
  private lastDraw = 0;
  private lastLog: number;
  private readonly logEveryMs: number;

  constructor(
    private readonly io: Io,
    private readonly opts: BackfillOptions,
    private readonly client: RpcClient,
    private readonly unit: 'slots' | 'signatures',
  ) {
    this.startedAt = io.now();
    this.lastLog = this.startedAt;
    this.logEveryMs = Number(io.env.SOLFLOW_PROGRESS_MS ?? 10_000);
  }

  listing(n: number, slot: number): void {
    if (this.opts.quiet || this.opts.json) return;
    const line = `listing signatures: ${n} in range so far, down to slot ${slot}`;
    if (this.io.isTTY) this.io.status(line);
  }

  update(c: BackfillCounts): void {
    this.counts = { ...c };
    if (this.opts.quiet || this.opts.json) return;
    const now = this.io.now();
    if (this.io.isTTY) {
      if (now - this.lastDraw < 200) return;
      this.lastDraw = now;
      this.io.status(this.line(now));
    } else if (now - this.lastLog >= this.logEveryMs) {
      this.lastLog = now;
      this.io.err(this.line(now));
    }
  }

  done(): void {
    if (this.io.isTTY) this.io.status(null);
  }

  private line(now: number): string {
    const c = this.counts;
    const secs = Math.max(0.001, (now - this.startedAt) / 1000);
    const pct = c.planned ? (c.done / c.planned) * 100 : 100;
    const perSec = c.done / secs;
    const eta = perSec > 0 ? (c.planned - c.done) / perSec : NaN;
    const s = this.client.stats;
    return [
      `${this.unit} ${c.done}/${c.planned} (${pct.toFixed(1)}%)`,
      `trades ${c.trades}`,
      `${(c.transactions / secs).toFixed(0)} tx/s`,
      `rate ${this.client.rate.rate.toFixed(0)}/s`,
      `429s ${s.throttled}`,
      `ETA ${formatDuration(eta)}`,
    ].join(' · ');
  }
}

function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

function printSummary(report: Record<string, unknown>, gaps: readonly Gap[], opts: BackfillOptions, io: Io): void {
  if (opts.json) {
    io.out(JSON.stringify({ ...report, gapList: gaps }));
    return;
  }
  const r = report as Record<string, number | string>;
  io.err(
    `job ${r.job} ${r.status}: slots ${r.range}, ${r.blocks} blocks (${r.skippedSlots} skipped slots), ${r.transactions} transactions, ` +
      `${r.trades} trades (${r.tradesWritten} new), ${r.calls} calls, ${r.throttled} throttled, ${r.seconds}s`,
  );
  if (Number(r.decodeFailures) > 0) io.err(`  ${r.decodeFailures} undecodable transaction(s) skipped (their blocks are stored); see the job_failures table`);
  if (gaps.length > 0) {
    io.err(`  ${gaps.length} gap(s) left; re-run the same command to retry them:`);
    for (const g of gaps.slice(0, 10)) io.err(`    ${'signature' in g ? `${g.signature} (slot ${g.slot})` : g.from === g.to ? `slot ${g.from}` : `slots ${g.from}..${g.to}`}: ${redactText(g.error)}`);
    if (gaps.length > 10) io.err(`    … and ${gaps.length - 10} more (solflow backfill --jobs --json)`);
  }
}
