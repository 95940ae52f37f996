/**
 * `solflow query sql` on Postgres: the user's statement runs inside a READ ONLY transaction with
 * a statement timeout, so whatever it says it cannot write a table or a sequence, and cannot run
 * for ever. It is sent through the extended protocol, where the server refuses more than one
 * statement (no `SELECT 1; DELETE …`), and read through a cursor, page by page.
 *
 * What a read-only transaction does not stop are functions with effects outside the tables
 * (pg_terminate_backend, advisory locks): those follow the role's privileges, so the README
 * advises a read-only role for people who only query.
 */
import type pg from 'pg';
import { ReadOnlySqlError, type SqlRows } from '../../core/store/types.js';
import { leadingCode, refused } from '../read-only-sql.js';

export const DEFAULT_STATEMENT_TIMEOUT_MS = 60_000;
const PAGE = 1000;
const ALLOWED = 'one read-only statement: SELECT, WITH … SELECT, VALUES, TABLE or EXPLAIN';

type Shape = 'cursor' | 'explain';

function shapeOf(text: string): Shape {
  const code = leadingCode(text);
  if (code.replace(/[\s;]+/g, '') === '') throw new ReadOnlySqlError('no SQL statement given');
  const first = (/^[A-Za-z_]+/.exec(code)?.[0] ?? '').toUpperCase();
  if (first === 'SELECT' || first === 'WITH' || first === 'VALUES' || first === 'TABLE' || first === '(') return 'cursor';
  if (first === 'EXPLAIN') return 'explain';
  throw refused(`${first || 'that statement'} is not a read`, ALLOWED);
}

/** SqlRows plus close(): gives the session back even if the rows were never read. */
export type PgSqlRows = SqlRows & { close(): Promise<void> };

/** Runs `text` read-only on a client of its own, released when the rows are read or abandoned. */
export async function querySqlPg(pool: pg.Pool, text: string, timeoutMs = DEFAULT_STATEMENT_TIMEOUT_MS): Promise<PgSqlRows> {
  const shape = shapeOf(text);
  const body = text.replace(/[\s;]+$/, '');
  const client = await pool.connect();
  let done = false;
  const finish = async () => {
    if (done) return;
    done = true;
    await client.query('ROLLBACK').catch(() => undefined);
    client.release();
  };
  const run = (sql: string) => client.query({ text: sql, rowMode: 'array', queryMode: 'extended' } as pg.QueryConfig);
  try {
    await client.query('BEGIN READ ONLY');
    await client.query(`SET LOCAL statement_timeout = ${Math.max(1, Math.floor(timeoutMs))}`);
    if (shape === 'explain') {
      const r = await run(body);
      await finish();
      const rows = r.rows as unknown[][];
      return { columns: r.fields.map((f) => f.name), rows: (async function* () { yield* rows; })(), close: finish };
    }
    await run(`DECLARE solflow_query NO SCROLL CURSOR FOR ${body}`);
    const first = await run(`FETCH ${PAGE} FROM solflow_query`);
    const columns = first.fields.map((f) => f.name);
    async function* rows(): AsyncGenerator<unknown[]> {
      try {
        let page = first;
        for (;;) {
          yield* page.rows as unknown[][];
          if (page.rows.length < PAGE) return;
          page = await run(`FETCH ${PAGE} FROM solflow_query`);
        }
      } finally {
        await finish();
      }
    }
    return { columns, rows: rows(), close: finish };
  } catch (err) {
    await finish();
    throw asUserError(err);
  }
}

function asUserError(err: unknown): Error {
  const e = err as Error & { code?: string };
  if (e instanceof ReadOnlySqlError) return e;
  const msg = e.message ?? String(err);
  // 25006 read_only_sql_transaction: the statement tried to write.
  if (e.code === '25006') return refused('the statement writes', ALLOWED);
  if (/cannot insert multiple commands/.test(msg)) return refused('more than one statement', ALLOWED);
  if (e.code === '57014') return new ReadOnlySqlError(`SQL error: ${msg} (the statement ran past the timeout)`);
  return new ReadOnlySqlError(`SQL error: ${msg}`);
}
