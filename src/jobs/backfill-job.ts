/**
 * A backfill as a resumable job: range → job row → RPC source → pipeline → cursor. The job is
 * found again by its key (the range and scope as typed), so running the same request after
 * Ctrl-C or kill -9 resumes where it stopped and then retries its gaps. While it runs, the
 * store's `job-<id>` lock is held: a second process asking for the same job is refused at once
 * (JobError 'busy'); the lock dies with its holder, so a killed run leaves nothing to clean up.
 *
 * Used by `backfill`, `analyze --fetch` and `demo` (through backfill); live ingest's gap fill
 * calls fillRange (./fill.ts) directly with its own pipeline and cursor.
 */
import { hostname } from 'node:os';
import type { EngineOptionsInput } from '../core/flow/options.js';
import { createPipeline, envelopeSignature, type PipelineSummary } from '../core/pipeline.js';
import { LockHeldError, type JobRow, type JobStatus, type Store, type StoreLock } from '../core/store/types.js';
import type { BackfillCounts, Checkpoint, Gap } from '../sources/backfill.js';
import type { RpcClient } from '../sources/rpc/client.js';
import type { Commitment, SlotRange } from '../sources/types.js';
import { JobError } from './errors.js';
import { fillRange } from './fill.js';
import { resolveSlots, type RangeRequest } from './slots.js';

export const BACKFILL_JOB_KIND = 'backfill';

export interface BackfillJobRequest {
  /** What was asked, resolved against the chain on the first run only. */
  range: RangeRequest;
  /** The range as the user typed it (part of the job's key, shown in lists). */
  rangeText: string;
  address: string | null;
  /** Venue names to keep (null: every supported DEX). */
  programs: ReadonlySet<string> | null;
  commitment: Commitment;
  /** Flow-engine thresholds (defaults when undefined). */
  flow?: EngineOptionsInput;
  /** The decoder (tests and --program filters); the pipeline's own when undefined. */
  /** Only trades of these venues (--program); null: every venue. */
  venues?: ReadonlySet<string> | null;
}

export interface BackfillJobParams {
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

export interface BackfillJobCursor {
  /** Every slot ≤ pos of the range is stored or listed in gaps. */
  pos: number;
  pid: number;
  host: string;
}

export interface BackfillJobHooks {
  shouldStop?: () => boolean;
  onProgress?: (counts: BackfillCounts) => void;
  onListing?: (listed: number, oldestSlot: number) => void;
  /** Told once the job row is known: resumed (with where) or new. */
  onStart?: (job: JobRow<BackfillJobParams, BackfillJobCursor>, resumedAt: { pos: number; gaps: number } | null) => void;
  onDecodeError?: (signature: string, error: Error) => void;
}

export interface BackfillJobOutcome {
  job: JobRow<BackfillJobParams, BackfillJobCursor>;
  status: JobStatus;
  range: SlotRange;
  checkpoint: Checkpoint;
  gaps: Gap[];
  decodeFailures: number;
  pipeline: PipelineSummary;
  /** What stopped the run; the job keeps its place. */
  fatal: Error | null;
}

export function backfillJobKey(r: Pick<BackfillJobRequest, 'rangeText' | 'address' | 'programs'>): string {
  return JSON.stringify({ range: r.rangeText, address: r.address, programs: r.programs ? [...r.programs].sort() : null });
}

/** The cursor at `pos`, held by this process. */
const cursorAt = (pos: number): BackfillJobCursor => ({ pos, pid: process.pid, host: hostname() });


/**
 * The slots a request covers, as the job would run it: a resumed job's own range, else resolved
 * against the chain. For --dry-run: reads the store, writes nothing.
 */
export async function planBackfillJob(store: Store | null, client: RpcClient, req: BackfillJobRequest): Promise<{ start: number; end: number }> {
  const existing = store ? await store.jobs.findUnfinished(BACKFILL_JOB_KIND, backfillJobKey(req)) : null;
  if (existing) {
    // Only asks whether someone else runs it, as a real run would.
    await (await lockJob(store!, existing.id)).release();
    return { start: existing.params.start as number, end: existing.params.end as number };
  }
  return resolveSlots(client, req.range, req.commitment, req.rangeText);
}

export async function runBackfillJob(store: Store, client: RpcClient, req: BackfillJobRequest, hooks: BackfillJobHooks = {}): Promise<BackfillJobOutcome> {
  const key = backfillJobKey(req);
  const existing = await store.jobs.findUnfinished(BACKFILL_JOB_KIND, key);
  let lock: StoreLock | null = existing ? await lockJob(store, existing.id) : null;
  try {
    const resolved = existing ? { start: existing.params.start as number, end: existing.params.end as number } : await resolveSlots(client, req.range, req.commitment, req.rangeText);
    const job: JobRow<BackfillJobParams, BackfillJobCursor> =
      existing ??
      (await store.jobs.create<BackfillJobParams>(
        BACKFILL_JOB_KIND,
        {
          key,
          range: req.rangeText,
          scope: req.address ? 'address' : 'slots',
          address: req.address,
          programs: req.programs ? [...req.programs].sort() : null,
          ...resolved,
          // Redacted: safe to store in the job row.
          endpoint: client.endpoint,
          commitment: req.commitment,
        },
        cursorAt(resolved.start - 1),
      ));
    lock ??= await lockJob(store, job.id);
    const cursorPos: number = existing?.cursor?.pos ?? resolved.start - 1;
    const oldGaps = (existing?.gaps ?? []) as Gap[];
    hooks.onStart?.(job, existing ? { pos: cursorPos, gaps: oldGaps.length } : null);
    await store.jobs.update(job.id, { status: 'running', cursor: cursorAt(cursorPos), lastError: null, finished: false });
    return await execute(store, client, req, hooks, job, { cursorPos, oldGaps, range: [resolved.start, resolved.end] });
  } finally {
    await lock?.release();
  }
}

async function lockJob(store: Store, id: number): Promise<StoreLock> {
  try {
    return await store.lock(`job-${id}`);
  } catch (err) {
    if (!(err instanceof LockHeldError)) throw err;
    const who = err.holder ? `process ${err.holder.pid}` : 'another process';
    throw new JobError('busy', `job ${id} is being run by ${who}; wait for it or stop it first`);
  }
}

async function execute(
  store: Store,
  client: RpcClient,
  req: BackfillJobRequest,
  hooks: BackfillJobHooks,
  job: JobRow<BackfillJobParams, BackfillJobCursor>,
  work: { cursorPos: number; oldGaps: Gap[]; range: SlotRange },
): Promise<BackfillJobOutcome> {
  let decodeFailures = 0;
  const failures: Promise<void>[] = [];
  const pipeline = await createPipeline({
    store,
    venues: req.venues,
    engine: req.flow,
    onDecodeError: (env, error) => {
      decodeFailures++;
      const signature = envelopeSignature(env);
      failures.push(store.jobs.recordFailure(job.id, { signature, slot: ('tx' in env ? env.tx.slot : null) ?? null, stage: 'decode', error: error.message }));
      hooks.onDecodeError?.(signature, error);
    },
  });
  const fill = await fillRange({
    client,
    pipeline,
    range: work.range,
    address: req.address,
    commitment: req.commitment,
    resume: { pos: work.cursorPos, gaps: work.oldGaps },
    shouldStop: hooks.shouldStop,
    onProgress: hooks.onProgress,
    onListing: hooks.onListing,
    onCheckpoint: (tx, cp) => tx.updateJob(job.id, { cursor: cursorAt(cp.pos), gaps: cp.gaps, counts: { ...cp.counts, decodeFailures } }),
  });
  const summary = await pipeline.close();
  await Promise.all(failures);
  const cp = fill.checkpoint;
  const gaps = cp.gaps;
  const status: JobStatus = fill.error ? 'failed' : fill.stopped ? 'interrupted' : gaps.length > 0 ? 'gaps' : 'done';
  // After close() nothing is held in the engine: the walked position is safe to store as is.
  await store.jobs.update(job.id, {
    status,
    cursor: cursorAt(Math.max(work.cursorPos, cp.pos)),
    gaps,
    counts: { ...cp.counts, decodeFailures, written: summary.writer.written },
    lastError: fill.error ? fill.error.message : gaps.length ? `${gaps.length} gap(s); first: ${gaps[0].error}` : null,
    finished: status === 'done' || status === 'gaps',
  });
  return { job, status, range: work.range, checkpoint: cp, gaps, decodeFailures, pipeline: summary, fatal: fill.error };
}
