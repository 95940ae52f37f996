/** `query jobs`: backfill jobs, their status, progress and gaps. */
import type { JobRow } from '../../core/store/types.js';
import { EXIT } from '../errors.js';
import { withReader } from '../with-db.js';
import { parseFormat } from '../options.js';
import type { Column } from '../output.js';
import { limitOf, note, objectOf, printRows, type DataOpts } from './common.js';
import { redactText } from '../../util/redact.js';

type Job = JobRow<Record<string, unknown>, Record<string, unknown>>;

const JOB_COLUMNS: Column<Job>[] = [
  { key: 'id', value: (j) => j.id, numeric: true },
  { key: 'kind', value: (j) => j.kind },
  { key: 'status', value: (j) => j.status },
  { key: 'range', value: (j) => (typeof j.params.range === 'string' ? j.params.range : null) },
  { key: 'slots', value: (j) => (typeof j.params.start === 'number' ? `${j.params.start}..${j.params.end}` : null) },
  { key: 'cursor', value: (j) => (typeof j.cursor?.pos === 'number' ? j.cursor.pos : null), numeric: true },
  { key: 'trades', value: (j) => j.counts.trades ?? null, numeric: true },
  { key: 'gaps', value: (j) => j.gaps.length, numeric: true },
  // Transactions decode refused and the job skipped (each in job_failures).
  { key: 'failures', value: (j) => (typeof j.counts.decodeFailures === 'number' ? j.counts.decodeFailures : null), numeric: true },
  { key: 'updated', value: (j) => new Date(j.updatedAt).toISOString() },
  { key: 'finished', value: (j) => (j.finishedAt === null ? null : new Date(j.finishedAt).toISOString()) },
  { key: 'last_error', value: (j) => (j.lastError === null ? null : redactText(j.lastError)) },
];

export async function runJobs(opts: DataOpts & { kind?: string }): Promise<number> {
  const format = parseFormat(opts);
  const limit = limitOf(opts);
  return withReader(opts.db, async (store) => {
    const jobs = await store.jobs.list({ kind: opts.kind?.trim(), limit }) as Job[];
    printRows(jobs, JOB_COLUMNS, format, (j) =>
      JSON.parse(redactText(JSON.stringify({ ...objectOf(j, JOB_COLUMNS), params: j.params, counts: j.counts, gaps: j.gaps, created: new Date(j.createdAt).toISOString() }))),
    );
    if (format === 'table' && jobs.length === 0) note('no jobs');
    return EXIT.ok;
  });
}

