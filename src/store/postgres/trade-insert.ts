/**
 * Trades into trade_rows, idempotent on (slot, signature, ix_path) exactly as on SQLite (sql/004,
 * sql/006): a batch is COPYed into a session-local staging table and inserted from it with ON
 * CONFLICT (slot, sig_key, ix_path) DO NOTHING; a row that did not go in is a duplicate when its
 * key holds the same signature, else a key two signatures share in one slot, resolved row by row.
 * Rows the unique index never matches (unkeyed, or without a slot: NULLs are distinct) are
 * looked up by signature before inserting.
 */
import type pg from 'pg';
import { copyFrom, copyText } from './copy.js';
import { addressesOf, TRADE_ROW_COLUMN_NAMES, tradeValues, type PgAddressBook } from './rows.js';
import { bulkOrEach, type QueuedTrade, type Reject } from './batch.js';

/** Stored rows trades_key never matches; the WHERE is trades_unkeyed's predicate, so that index serves it. */
export const STORED_UNKEYED_SQL = `SELECT r.signature, r.ix_path, r.slot FROM trade_rows r
  JOIN unnest($1::text[], $2::text[], $3::int8[]) AS u(sig, ix, s) ON r.signature = u.sig AND r.ix_path = u.ix AND r.slot IS NOT DISTINCT FROM u.s
  WHERE r.sig_key IS NULL OR r.slot IS NULL`;

const STAGE = 'solflow_stage';
const STAGE_COLUMNS = TRADE_ROW_COLUMN_NAMES.join(', ');
/**
 * Asked for on every batch, not remembered per connection: the CREATE runs inside the batch's
 * transaction (and savepoint), so a batch that rolls back — a row the server refuses, a lock
 * timeout — takes the table with it, and a remembered "created" made the next batch fail on a
 * missing solflow_stage.
 */
async function ensureStage(client: pg.PoolClient): Promise<void> {
  // No constraints but NOT NULL: CHECKs and the unique key apply on the way into trade_rows.
  await client.query(`CREATE TEMP TABLE IF NOT EXISTS ${STAGE} (LIKE trade_rows INCLUDING DEFAULTS) ON COMMIT DELETE ROWS`);
}

/**
 * Rows into trade_rows through the staging table. Returns the ids that went in, and for each
 * keyed row that did not, the signature already holding its (slot, sig_key, ix_path).
 */
async function insertStaged(client: pg.PoolClient, rows: unknown[][]): Promise<{ inserted: Set<number>; owners: Map<number, string> }> {
  await ensureStage(client);
  await client.query(`TRUNCATE ${STAGE}`);
  await copyFrom(client, STAGE, TRADE_ROW_COLUMN_NAMES, rows.map(copyText));
  // Key order: two writers take the unique index's locks in one order and cannot deadlock.
  const r = await client.query<{ id: number }>(
    `INSERT INTO trade_rows (${STAGE_COLUMNS}) SELECT ${STAGE_COLUMNS} FROM ${STAGE} ORDER BY slot, sig_key, ix_path, id
     ON CONFLICT (slot, sig_key, ix_path) DO NOTHING RETURNING id`,
  );
  const inserted = new Set(r.rows.map((x) => Number(x.id)));
  const owners = new Map<number, string>();
  if (inserted.size < rows.length) {
    const o = await client.query<{ id: number; signature: string }>(
      `SELECT s.id, r.signature FROM ${STAGE} s JOIN trade_rows r ON r.slot = s.slot AND r.sig_key = s.sig_key AND r.ix_path = s.ix_path
       WHERE r.id <> s.id`,
    );
    for (const x of o.rows) owners.set(Number(x.id), x.signature);
  }
  return { inserted, owners };
}

/** A trade's identity as a Map key: (slot, signature, ix_path), a missing slot being one value of its own. */
export const tradeKey = (signature: string, ixPath: string, slot: number | null) => `${slot ?? ''}\u0000${signature}\u0000${ixPath}`;

export interface TradeInput {
  t: QueuedTrade;
  late: boolean;
  key: number;
  /** trade_rows.id, taken from the sequence in arrival order (storeTrades). */
  id?: number;
}

/** Inserts valid trades; returns those that were new. Runs inside the batch transaction. */
export async function storeTrades(client: pg.PoolClient, inputs: TradeInput[], at: number, book: PgAddressBook, reject: Reject): Promise<{ fresh: TradeInput[]; duplicates: number }> {
  const collided = new Set(
    (await client.query<{ sig_key: number }>('SELECT sig_key FROM sig_collisions')).rows.map((r) => Number(r.sig_key)),
  );
  const wanted = new Set<string>();
  for (const i of inputs) addressesOf(i.t, wanted);
  await book.resolve(client, wanted);

  const duplicate = new Set<TradeInput>();
  const failed = new Set<TradeInput>();
  // Trades under a listed key may be stored unkeyed, and a trade without a slot never meets the
  // unique index (NULLs are distinct): look for them before inserting keyed.
  const suspects = inputs.filter((i) => i.t.slot === null || collided.has(i.key));
  if (suspects.length > 0) {
    const found = await client.query<{ signature: string; ix_path: string; slot: number | null }>(STORED_UNKEYED_SQL, [
      suspects.map((i) => i.t.signature), suspects.map((i) => i.t.ixPath), suspects.map((i) => i.t.slot),
    ]);
    const stored = new Set(found.rows.map((r) => tradeKey(r.signature, r.ix_path, r.slot === null ? null : Number(r.slot))));
    for (const i of suspects) {
      const k = tradeKey(i.t.signature, i.t.ixPath, i.t.slot);
      if (stored.has(k)) duplicate.add(i);
      // Nor does the index stop a slot-less trade's second copy in this batch.
      else if (i.t.slot === null) stored.add(k);
    }
  }

  // Ids in arrival order, as SQLite's rowids are (readers break ties on id), taken beforehand so
  // the rows can go in sorted by key. Ids of rows that turn out duplicates are simply skipped.
  const todo = inputs.filter((i) => !duplicate.has(i));
  const ids = (await client.query<{ id: number }>(`SELECT nextval(pg_get_serial_sequence('trade_rows', 'id')) AS id FROM generate_series(1, $1)`, [todo.length])).rows;
  todo.forEach((i, n) => (i.id = Number(ids[n].id)));
  const inserted = new Set<number>();
  const owners = new Map<number, string>();
  await bulkOrEach(
    client,
    todo,
    async (items) => {
      const r = await insertStaged(client, items.map((i) => tradeValues(i.id!, i.t, at, book.id, i.key)));
      for (const id of r.inserted) inserted.add(id);
      for (const [id, sig] of r.owners) owners.set(id, sig);
      return [];
    },
    (i, reason) => {
      reject('trade', i.t, reason);
      failed.add(i);
    },
  );
  const fresh: TradeInput[] = [];
  const unkeyedDone = new Set<string>();
  for (const i of todo) {
    if (failed.has(i)) continue;
    if (inserted.has(i.id!)) {
      fresh.push(i);
      continue;
    }
    const owner = owners.get(i.id!);
    if (owner === i.t.signature) {
      duplicate.add(i);
      continue;
    }
    // The key is held by another signature (a few in 10^8), or its holder was deleted since
    // (a prune between the INSERT and the look-up): the slow, exact path, row by row.
    const pair = tradeKey(i.t.signature, i.t.ixPath, i.t.slot);
    let key: number | null = i.key;
    if (owner !== undefined) {
      await client.query('INSERT INTO sig_collisions (sig_key) VALUES ($1) ON CONFLICT DO NOTHING', [i.key]);
      collided.add(i.key);
      key = null;
      const stored = unkeyedDone.has(pair) || (await client.query(STORED_UNKEYED_SQL, [[i.t.signature], [i.t.ixPath], [i.t.slot]])).rowCount! > 0;
      if (stored) {
        duplicate.add(i);
        continue;
      }
    }
    let went = false;
    await bulkOrEach(
      client,
      [i],
      async () => {
        const r = await insertStaged(client, [tradeValues(i.id!, i.t, at, book.id, key)]);
        went = r.inserted.size > 0;
        if (!went && r.owners.get(i.id!) === i.t.signature) duplicate.add(i);
        return [];
      },
      (x, reason) => {
        reject('trade', x.t, reason);
        failed.add(x);
      },
    );
    if (went) {
      if (key === null) unkeyedDone.add(pair);
      fresh.push(i);
    } else if (!failed.has(i) && !duplicate.has(i)) {
      throw new Error(`trade ${i.t.signature} ${i.t.ixPath} could neither be stored nor found stored`);
    }
  }
  return { fresh, duplicates: duplicate.size };
}

