/**
 * What every statement of a writer batch shares: the row-error rule and the savepoint retry
 * that rejects only the rows a statement failed on.
 */
import type pg from 'pg';

export type { Delta, QueuedTrade, Reject } from '../writer/queue.js';

let savepoints = 0;

/**
 * An error a row's own values caused (SQLSTATE class 22 data exception, 23 integrity
 * violation): that row is rejected and the batch goes on. Anything else (a lock timeout, a lost
 * connection, a deadlock) fails the batch, which stays queued for a retry.
 */
function isRowError(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && (code.startsWith('22') || code.startsWith('23'));
}

/**
 * Runs a multi-row statement; if it fails, rolls back to before it and runs `one` per item so
 * only the failing items are rejected. Returns what each call returned, flattened.
 */
export async function bulkOrEach<T, R>(
  client: pg.PoolClient,
  items: T[],
  bulk: (items: T[]) => Promise<R[]>,
  reject: (item: T, reason: string) => void,
): Promise<R[]> {
  if (items.length === 0) return [];
  const sp = `solflow_sp${++savepoints}`;
  await client.query(`SAVEPOINT ${sp}`);
  try {
    const out = await bulk(items);
    await client.query(`RELEASE SAVEPOINT ${sp}`);
    return out;
  } catch (err) {
    await client.query(`ROLLBACK TO SAVEPOINT ${sp}`);
    if (!isRowError(err)) throw err;
    if (items.length === 1) {
      await client.query(`RELEASE SAVEPOINT ${sp}`);
      reject(items[0], (err as Error).message);
      return [];
    }
  }
  const out: R[] = [];
  for (const item of items) {
    await client.query(`SAVEPOINT ${sp}`);
    try {
      out.push(...(await bulk([item])));
      await client.query(`RELEASE SAVEPOINT ${sp}`);
    } catch (err) {
      await client.query(`ROLLBACK TO SAVEPOINT ${sp}`);
      if (!isRowError(err)) throw err;
      await client.query(`RELEASE SAVEPOINT ${sp}`);
      reject(item, (err as Error).message);
    }
  }
  return out;
}

