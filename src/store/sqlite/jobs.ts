/**
 * Backfill jobs: one row per job in `jobs` (001_init.sql), with job-specific JSON in
 * params/cursor/counts/gaps, and per-transaction failures in `job_failures` (002).
 *
 * A job is found again by its key (the command's range and scope as typed), so running the
 * same command after Ctrl-C or kill -9 resumes it. Every write here is a small synchronous
 * statement; callers that also write trades run these inside Writer.exclusive so the cursor is
 * never ahead of the rows it covers.
 */
import type Database from 'better-sqlite3';
import { redactText } from '../../util/redact.js';
import type { Selectable } from 'kysely';
import type { JobsTable } from '../schema.js';
import type { JobFailure, JobRow, JobStatus, JobUpdate } from '../../core/store/types.js';

export type { JobFailure, JobRow, JobStatus, JobUpdate } from '../../core/store/types.js';

/** A jobs row as SQLite returns it (the table's one definition is in schema.ts). */
type RawJob = Selectable<JobsTable>;

function fromRaw(r: RawJob): JobRow<any, any> {
  return {
    id: r.id,
    kind: r.kind,
    params: JSON.parse(r.params_json),
    status: r.status as JobStatus,
    cursor: r.cursor_json ? JSON.parse(r.cursor_json) : null,
    counts: r.counts_json ? JSON.parse(r.counts_json) : {},
    gaps: r.gaps_json ? JSON.parse(r.gaps_json) : [],
    lastError: r.last_error,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    finishedAt: r.finished_at,
  };
}

/** Secrets never reach a stored row: params and errors are redacted on the way in. */
function safeJson(value: unknown): string {
  return redactText(JSON.stringify(value));
}

export function createJob<P extends { key: string }>(sqlite: Database.Database, kind: string, params: P, cursor: unknown, now = Date.now()): JobRow<P, any> {
  const info = sqlite
    .prepare(
      `INSERT INTO jobs (kind, params_json, status, cursor_json, counts_json, gaps_json, created_at, updated_at)
       VALUES (?, ?, 'running', ?, '{}', '[]', ?, ?)`,
    )
    .run(kind, safeJson(params), JSON.stringify(cursor), now, now);
  return getJob(sqlite, Number(info.lastInsertRowid))!;
}

export function getJob(sqlite: Database.Database, id: number): JobRow<any, any> | null {
  const r = sqlite.prepare('SELECT * FROM jobs WHERE id = ?').get(id) as RawJob | undefined;
  return r ? fromRaw(r) : null;
}

/** The newest unfinished job (anything but 'done') of this kind and key: what a re-run resumes. */
export function findUnfinishedJob(sqlite: Database.Database, kind: string, key: string): JobRow<any, any> | null {
  const rows = sqlite
    .prepare(`SELECT * FROM jobs WHERE kind = ? AND status != 'done' ORDER BY id DESC`)
    .all(kind) as RawJob[];
  for (const r of rows) {
    const job = fromRaw(r);
    if (job.params.key === key) return job;
  }
  return null;
}

export function updateJob(sqlite: Database.Database, id: number, u: JobUpdate, now = Date.now()): void {
  const sets: string[] = ['updated_at = @now'];
  const params: Record<string, unknown> = { id, now };
  if (u.status !== undefined) {
    sets.push('status = @status');
    params.status = u.status;
  }
  if (u.cursor !== undefined) {
    sets.push('cursor_json = @cursor');
    params.cursor = JSON.stringify(u.cursor);
  }
  if (u.counts !== undefined) {
    sets.push('counts_json = @counts');
    params.counts = JSON.stringify(u.counts);
  }
  if (u.gaps !== undefined) {
    sets.push('gaps_json = @gaps');
    params.gaps = safeJson(u.gaps);
  }
  if (u.lastError !== undefined) {
    sets.push('last_error = @lastError');
    params.lastError = u.lastError === null ? null : redactText(u.lastError);
  }
  if (u.finished !== undefined) {
    sets.push('finished_at = @finishedAt');
    params.finishedAt = u.finished ? now : null;
  }
  sqlite.prepare(`UPDATE jobs SET ${sets.join(', ')} WHERE id = @id`).run(params);
}

export function listJobs(sqlite: Database.Database, opts: { kind?: string; limit?: number } = {}): JobRow<any, any>[] {
  const rows = opts.kind
    ? (sqlite.prepare('SELECT * FROM jobs WHERE kind = ? ORDER BY id DESC LIMIT ?').all(opts.kind, opts.limit ?? 50) as RawJob[])
    : (sqlite.prepare('SELECT * FROM jobs ORDER BY id DESC LIMIT ?').all(opts.limit ?? 50) as RawJob[]);
  return rows.map(fromRaw);
}

/** Idempotent: the same transaction failing again on a re-run updates its row. */
export function recordFailure(sqlite: Database.Database, jobId: number, f: JobFailure, now = Date.now()): void {
  sqlite
    .prepare(
      `INSERT INTO job_failures (job_id, signature, slot, stage, error, at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (job_id, signature, stage) DO UPDATE SET error = excluded.error, at = excluded.at`,
    )
    .run(jobId, f.signature, f.slot, f.stage, redactText(f.error).slice(0, 500), now);
}
