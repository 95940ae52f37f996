/**
 * Backfill jobs, their failures and live-ingest cursors on Postgres: the same rows and rules as
 * the SQLite backend (JobStore, CursorStore in src/core/store/types.ts). Every function takes
 * anything with query(): the pool for a standalone statement, or the writer's transaction client
 * inside Writer.exclusive, so a job's cursor commits with, and never ahead of, its trades.
 */
import type pg from 'pg';
import type { CursorRow, CursorStore, JobFailure, JobRow, JobStatus, JobStore, JobUpdate } from '../../core/store/types.js';
import { redactText } from '../../util/redact.js';

export type Queryable = Pick<pg.Pool, 'query'> | Pick<pg.PoolClient, 'query'>;

interface RawJob {
  id: number;
  kind: string;
  params_json: string;
  status: string;
  cursor_json: string | null;
  counts_json: string | null;
  gaps_json: string | null;
  last_error: string | null;
  created_at: number;
  updated_at: number;
  finished_at: number | null;
}

function fromRaw(r: RawJob): JobRow<any, any> {
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

/** Secrets never reach a stored row. */
const safeJson = (value: unknown): string => redactText(JSON.stringify(value));

export async function updateJobPg(q: Queryable, id: number, u: JobUpdate, now = Date.now()): Promise<void> {
  const sets: string[] = [];
  const params: unknown[] = [];
  const set = (column: string, value: unknown) => {
    params.push(value);
    sets.push(`${column} = $${params.length}`);
  };
  set('updated_at', now);
  if (u.status !== undefined) set('status', u.status);
  if (u.cursor !== undefined) set('cursor_json', JSON.stringify(u.cursor));
  if (u.counts !== undefined) set('counts_json', JSON.stringify(u.counts));
  if (u.gaps !== undefined) set('gaps_json', safeJson(u.gaps));
  if (u.lastError !== undefined) set('last_error', u.lastError === null ? null : redactText(u.lastError));
  if (u.finished !== undefined) set('finished_at', u.finished ? now : null);
  params.push(id);
  await q.query(`UPDATE jobs SET ${sets.join(', ')} WHERE id = $${params.length}`, params);
}

export async function setCursorPg(q: Queryable, name: string, slot: number, now = Date.now()): Promise<void> {
  await q.query(
    'INSERT INTO cursors (name, slot, updated_at) VALUES ($1, $2, $3) ON CONFLICT (name) DO UPDATE SET slot = excluded.slot, updated_at = excluded.updated_at',
    [name, slot, now],
  );
}

export function pgJobStore(q: Queryable): JobStore {
  const get = async (id: number) => {
    const r = await q.query<RawJob>('SELECT * FROM jobs WHERE id = $1', [id]);
    return r.rows[0] ? fromRaw(r.rows[0]) : null;
  };
  return {
    async create(kind, params, cursor, now = Date.now()) {
      const r = await q.query<RawJob>(
        `INSERT INTO jobs (kind, params_json, status, cursor_json, counts_json, gaps_json, created_at, updated_at)
         VALUES ($1, $2, 'running', $3, '{}', '[]', $4, $4) RETURNING *`,
        [kind, safeJson(params), JSON.stringify(cursor), now],
      );
      return fromRaw(r.rows[0]);
    },
    get,
    async findUnfinished(kind, key) {
      // params_json is the job's JSON as text: parsed here, as on SQLite, so both read it the same way.
      const r = await q.query<RawJob>(`SELECT * FROM jobs WHERE kind = $1 AND status <> 'done' ORDER BY id DESC`, [kind]);
      for (const row of r.rows) {
        const job = fromRaw(row);
        if (job.params.key === key) return job;
      }
      return null;
    },
    update: (id, u, now) => updateJobPg(q, id, u, now),
    async list(opts = {}) {
      const r = opts.kind
        ? await q.query<RawJob>('SELECT * FROM jobs WHERE kind = $1 ORDER BY id DESC LIMIT $2', [opts.kind, opts.limit ?? 50])
        : await q.query<RawJob>('SELECT * FROM jobs ORDER BY id DESC LIMIT $1', [opts.limit ?? 50]);
      return r.rows.map(fromRaw);
    },
    async recordFailure(jobId: number, f: JobFailure, now = Date.now()) {
      await q.query(
        `INSERT INTO job_failures (job_id, signature, slot, stage, error, at) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (job_id, signature, stage) DO UPDATE SET error = excluded.error, at = excluded.at`,
        [jobId, f.signature, f.slot, f.stage, redactText(f.error).slice(0, 500), now],
      );
    },
  };
}

export function pgCursorStore(q: Queryable): CursorStore {
  return {
    async get(name) {
      const r = await q.query<{ slot: number }>('SELECT slot FROM cursors WHERE name = $1', [name]);
      return r.rows[0] ? Number(r.rows[0].slot) : null;
    },
    set: (name, slot, now) => setCursorPg(q, name, slot, now),
    async list(): Promise<CursorRow[]> {
      const r = await q.query<{ name: string; slot: number; updated_at: number }>('SELECT name, slot, updated_at FROM cursors ORDER BY name');
      return r.rows.map((x) => ({ name: x.name, slot: Number(x.slot), updatedAt: Number(x.updated_at) }));
    },
  };
}
