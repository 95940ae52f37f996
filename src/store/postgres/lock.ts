/**
 * Store.lock on Postgres: a session-level advisory lock (pg_try_advisory_lock) held on a
 * connection of its own for as long as the lock is held. The server drops it when that session
 * ends in any way (the process killed with -9, the machine gone once TCP gives up), so there is
 * no stale lock to detect, and it works across machines sharing the database, which a lock file
 * cannot. Names in use: 'prune', 'job-<id>', and 'ingest' (one live ingest per database: a second
 * one refuses with LockHeldError rather than both advancing the same cursor).
 *
 * Who holds it: the winner sets its session's application_name to `solflow lock <name> pid=…
 * host=… since=…`, which a loser reads back from pg_stat_activity for its message.
 */
import { hostname } from 'node:os';
import pg from 'pg';
import { LockHeldError, type LockHolder, type StoreLock } from '../../core/store/types.js';
import { solflowTypes } from './types.js';

/** pg_stat_activity.application_name keeps 63 bytes. */
const MAX_APP_NAME = 63;

const tag = (name: string) => `solflow lock ${name} `;

function holderName(name: string, now: number): string {
  const head = `${tag(name)}pid=${process.pid} since=${now} host=`;
  return head + hostname().slice(0, Math.max(0, MAX_APP_NAME - head.length));
}

function parseHolder(app: string): LockHolder | null {
  const m = /pid=(\d+) since=(\d+) host=(.*)$/.exec(app);
  return m ? { pid: Number(m[1]), since: Number(m[2]), host: m[3] } : null;
}

export async function takeAdvisoryLock(url: string, name: string): Promise<StoreLock> {
  const path = `advisory:${name}`;
  const client = new pg.Client({ connectionString: url, types: solflowTypes, application_name: 'solflow lock-attempt' });
  client.on('error', () => undefined);
  await client.connect();
  try {
    const key = `solflow:${name}`;
    const r = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS ok', [key]);
    if (!r.rows[0].ok) {
      const h = await client.query<{ application_name: string }>(
        `SELECT application_name FROM pg_stat_activity WHERE datname = current_database() AND starts_with(application_name, $1) LIMIT 1`,
        [tag(name)],
      );
      throw new LockHeldError(path, h.rows[0] ? parseHolder(h.rows[0].application_name) : null);
    }
    await client.query(`SELECT set_config('application_name', $1, false)`, [holderName(name, Date.now())]);
  } catch (err) {
    await client.end().catch(() => undefined);
    throw err;
  }
  let released = false;
  return {
    path,
    async release() {
      if (released) return;
      released = true;
      // Ending the session releases every lock it holds.
      await client.end().catch(() => undefined);
    },
  };
}
