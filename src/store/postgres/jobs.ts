/**
 * Backfill jobs, their failures and live-ingest cursors on Postgres: the same rows and rules as
 * the SQLite backend (JobStore, CursorStore in src/core/store/types.ts). Every function takes
 * anything with query(): the pool for a standalone statement, or the writer's transaction client
 * inside Writer.exclusive, so a job's cursor commits with, and never ahead of, its trades.
 */
import type pg from 'pg';
import type { CursorRow, CursorStore, JobFailure, JobStore, JobUpdate } from '../../core/store/types.js';
import { jobFromRow, jobUpdateColumns, newestWithKey, safeJson, storedError, type RawJob } from '../job-rows.js';

export type Queryable = Pick<pg.Pool, 'query'> | Pick<pg.PoolClient, 'query'>;

export async function updateJobPg(q: Queryable, id: number, u: JobUpdate, now = Date.now()): Promise<void> {
  const sets = jobUpdateColumns(u, now);
  const params: unknown[] = sets.map(([, v]) => v);
  params.push(id);
  await q.query(`UPDATE jobs SET ${sets.map(([c], i) => `${c} = $${i + 1}`).join(', ')} WHERE id = $${params.length}`, params);
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
    return r.rows[0] ? jobFromRow(r.rows[0]) : null;
  };
  return {
    async create(kind, params, cursor, now = Date.now()) {
      const r = await q.query<RawJob>(
        `INSERT INTO jobs (kind, params_json, status, cursor_json, counts_json, gaps_json, created_at, updated_at)
         VALUES ($1, $2, 'running', $3, '{}', '[]', $4, $4) RETURNING *`,
        [kind, safeJson(params), JSON.stringify(cursor), now],
      );
      return jobFromRow(r.rows[0]);
    },
    get,
    async findUnfinished(kind, key) {
      const r = await q.query<RawJob>(`SELECT * FROM jobs WHERE kind = $1 AND status <> 'done' ORDER BY id DESC`, [kind]);
      return newestWithKey(r.rows, key);
    },
    update: (id, u, now) => updateJobPg(q, id, u, now),
    async list(opts = {}) {
      const r = opts.kind
        ? await q.query<RawJob>('SELECT * FROM jobs WHERE kind = $1 ORDER BY id DESC LIMIT $2', [opts.kind, opts.limit ?? 50])
        : await q.query<RawJob>('SELECT * FROM jobs ORDER BY id DESC LIMIT $1', [opts.limit ?? 50]);
      return r.rows.map(jobFromRow);
    },
    async recordFailure(jobId: number, f: JobFailure, now = Date.now()) {
      await q.query(
        `INSERT INTO job_failures (job_id, signature, slot, stage, error, at) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (job_id, signature, stage) DO UPDATE SET error = excluded.error, at = excluded.at`,
        [jobId, f.signature, f.slot, f.stage, storedError(f), now],
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
