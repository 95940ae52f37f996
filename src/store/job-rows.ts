/**
 * Jobs rows as both backends read and write them: the row → JobRow mapping, what an update
 * sets, and the redaction every stored params/gaps/error goes through. Each backend keeps only
 * its statements (sqlite/jobs.ts, postgres/jobs.ts).
 */
import type { Selectable } from 'kysely';
import type { JobFailure, JobRow, JobStatus, JobUpdate } from '../core/store/types.js';
import { redactText } from '../util/redact.js';
import type { JobsTable } from './schema.js';

/** A jobs row as a driver returns it (integers may come back as bigint or number). */
export type RawJob = Selectable<JobsTable>;

export function jobFromRow(r: RawJob): JobRow<any, any> {
  return {
    id: Number(r.id),
    kind: r.kind,
    params: JSON.parse(r.params_json),
    status: r.status as JobStatus,
    cursor: r.cursor_json ? JSON.parse(r.cursor_json) : null,
    counts: r.counts_json ? JSON.parse(r.counts_json) : {},
    gaps: r.gaps_json ? JSON.parse(r.gaps_json) : [],
    lastError: r.last_error,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
    finishedAt: r.finished_at === null ? null : Number(r.finished_at),
  };
}

/** Secrets never reach a stored row: params and gaps are redacted on the way in. */
export const safeJson = (value: unknown): string => redactText(JSON.stringify(value));

/** A failure's error as stored: redacted, cut to 500 characters. */
export const storedError = (f: JobFailure): string => redactText(f.error).slice(0, 500);

/** The columns an update sets and their values: updated_at always, the rest when given. */
export function jobUpdateColumns(u: JobUpdate, now: number): Array<[column: string, value: unknown]> {
  const sets: Array<[string, unknown]> = [['updated_at', now]];
  if (u.status !== undefined) sets.push(['status', u.status]);
  if (u.cursor !== undefined) sets.push(['cursor_json', JSON.stringify(u.cursor)]);
  if (u.counts !== undefined) sets.push(['counts_json', JSON.stringify(u.counts)]);
  if (u.gaps !== undefined) sets.push(['gaps_json', safeJson(u.gaps)]);
  if (u.lastError !== undefined) sets.push(['last_error', u.lastError === null ? null : redactText(u.lastError)]);
  if (u.finished !== undefined) sets.push(['finished_at', u.finished ? now : null]);
  return sets;
}

/**
 * The newest of these unfinished rows (newest first) whose params.key is `key`. params_json is
 * the job's JSON as text, parsed here, so every backend compares keys the same way.
 */
export function newestWithKey(rows: readonly RawJob[], key: string): JobRow<any, any> | null {
  for (const r of rows) {
    const job = jobFromRow(r);
    if (job.params.key === key) return job;
  }
  return null;
}
