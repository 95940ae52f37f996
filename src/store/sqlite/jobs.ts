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
import type { JobFailure, JobRow, JobUpdate } from '../../core/store/types.js';
import { jobFromRow, jobUpdateColumns, newestWithKey, safeJson, storedError, type RawJob } from '../job-rows.js';

export type { JobFailure, JobRow, JobStatus, JobUpdate } from '../../core/store/types.js';

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
  return r ? jobFromRow(r) : null;
}

/** The newest unfinished job (anything but 'done') of this kind and key: what a re-run resumes. */
export function findUnfinishedJob(sqlite: Database.Database, kind: string, key: string): JobRow<any, any> | null {
  const rows = sqlite.prepare(`SELECT * FROM jobs WHERE kind = ? AND status != 'done' ORDER BY id DESC`).all(kind) as RawJob[];
  return newestWithKey(rows, key);
}

export function updateJob(sqlite: Database.Database, id: number, u: JobUpdate, now = Date.now()): void {
  const sets = jobUpdateColumns(u, now);
  const params = Object.fromEntries([...sets, ['id', id]]);
  sqlite.prepare(`UPDATE jobs SET ${sets.map(([c]) => `${c} = @${c}`).join(', ')} WHERE id = @id`).run(params);
}

export function listJobs(sqlite: Database.Database, opts: { kind?: string; limit?: number } = {}): JobRow<any, any>[] {
  const rows = opts.kind
    ? (sqlite.prepare('SELECT * FROM jobs WHERE kind = ? ORDER BY id DESC LIMIT ?').all(opts.kind, opts.limit ?? 50) as RawJob[])
    : (sqlite.prepare('SELECT * FROM jobs ORDER BY id DESC LIMIT ?').all(opts.limit ?? 50) as RawJob[]);
  return rows.map(jobFromRow);
}

/** Idempotent: the same transaction failing again on a re-run updates its row. */
export function recordFailure(sqlite: Database.Database, jobId: number, f: JobFailure, now = Date.now()): void {
  sqlite
    .prepare(
      `INSERT INTO job_failures (job_id, signature, slot, stage, error, at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (job_id, signature, stage) DO UPDATE SET error = excluded.error, at = excluded.at`,
    )
    .run(jobId, f.signature, f.slot, f.stage, storedError(f), now);
}
