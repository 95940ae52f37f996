/**
 * The batched writer on PostgreSQL: the shared queue, batching, backpressure, flush and close
 * (../writer/batched.ts, as on SQLite) with each batch written here in one transaction as a
 * handful of multi-row statements instead of one statement per row (a round trip per row would bound a remote server at a few thousand
 * rows/s):
 *
 *   1. addresses the batch needs and the cache lacks: one INSERT … ON CONFLICT DO NOTHING, one SELECT;
 *   2. trades: COPY into a session-local staging table, then one INSERT … SELECT FROM it ON
 *      CONFLICT (slot, sig_key, ix_path) DO NOTHING RETURNING what went in (the same rows bound
 *      as 32 unnest() arrays took ~2.5x as long: parsing the arrays cost more than the inserts).
 *      A row that did not go in is a duplicate when its key holds the
 *      same signature; otherwise two signatures share the key in one slot, and it is resolved
 *      exactly as on SQLite (sql/004): the key goes into sig_collisions and the trade is stored
 *      unkeyed unless it already is. Trades whose key is a listed collision, and trades without
 *      a slot (which the unique index never matches), are first looked for among the rows it
 *      does not hold, so a re-run never stores one twice even after the key's owner was pruned;
 *   3. tokens, token_metrics, signals, flag updates: one statement each.
 *
 * A statement that fails on one bad row (a CHECK, a NOT NULL the cheap checks let through) rolls
 * back to a savepoint and its rows are retried one by one, so only the bad row is rejected, as
 * on SQLite. Rows are sent in key order so two writers on one database take locks in one order.
 */
import type pg from 'pg';
import type { Writer, WriterOptions, WriterTx } from '../../core/store/types.js';
import { sigKey } from '../sig-key.js';
import { createBatchedWriter, type BatchContext } from '../writer/batched.js';
import type { BatchRows } from '../writer/queue.js';
import { setCursorPg, updateJobPg } from './jobs.js';
import { createPgAddressBook } from './rows.js';
import { inTransaction } from './transaction.js';
import { invalidTrade } from '../sqlite/rows.js';
import { storeTrades, type TradeInput } from './trade-insert.js';
import { clearFlowTablesPg, insertSignals, updateFlags, upsertMetrics, upsertTokens } from './upserts.js';

export { clearFlowTablesPg };

/**
 * Rows per transaction. Unlike SQLite's, a Postgres commit does not rewrite the index pages a
 * batch touched, so the size mostly trades round trips against how long one batch holds its
 * row locks and how much a failed batch must redo. 20,000 as on SQLite: not yet tuned for
 * Postgres (test/bench/write-path-pg.ts measures the writer at this size).
 */
export const DEFAULT_PG_BATCH_SIZE = 20_000;

/** Writer.exclusive's handle: its writes go through the same transaction client. */
function writerTx(client: pg.PoolClient): WriterTx {
  return {
    updateJob: (id, u) => updateJobPg(client, id, u),
    setCursor: (name, slot) => setCursorPg(client, name, slot),
    clearFlowTables: () => clearFlowTablesPg(client),
  };
}

/** `thread` is ignored: the server already works beside the pipeline's thread. */
export function createPgWriter(pool: pg.Pool, opts: WriterOptions = {}): Writer {
  const book = createPgAddressBook();
  const collided = async (client: pg.PoolClient) =>
    new Set((await client.query<{ sig_key: number }>('SELECT sig_key FROM sig_collisions')).rows.map((r) => Number(r.sig_key)));

  async function writeBatch(client: pg.PoolClient, rows: BatchRows, { at, d, reject }: BatchContext): Promise<void> {
    const inputs: TradeInput[] = [];
    for (const [list, late] of [[rows.trades, false], [rows.lates, true]] as const) {
      for (const t of list) {
        const bad = invalidTrade(t);
        if (bad) reject('trade', t, bad);
        else inputs.push({ t, late, key: sigKey(t.signature) });
      }
    }
    const { fresh, duplicates } = inputs.length > 0 ? await storeTrades(client, inputs, at, book, reject) : { fresh: [], duplicates: 0 };
    d.written = fresh.length;
    d.lateWritten = fresh.filter((i) => i.late).length;
    d.duplicate = duplicates;
    await upsertTokens(client, fresh, at);
    await upsertMetrics(client, rows.metrics, at, reject, d);
    await insertSignals(client, rows.signals, at, reject, d);
    await updateFlags(client, rows.flags, () => collided(client), d);
  }

  const w = createBatchedWriter({ ...opts, defaultBatchSize: DEFAULT_PG_BATCH_SIZE }, async (rows, ctx) => {
    try {
      await inTransaction(pool, (client) => writeBatch(client, rows, ctx));
    } catch (err) {
      // Ids the cache learnt inside the rolled-back transaction are not in the table.
      book.forget();
      throw err;
    }
    book.committed();
  });

  return {
    write: w.write,
    flush: w.flush,
    async exclusive(fn) {
      await w.flush();
      return w.inTurn(() => inTransaction(pool, (client) => fn(writerTx(client))));
    },
    counters: w.counters,
    close: w.close,
  };
}
