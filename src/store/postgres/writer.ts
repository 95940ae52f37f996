/**
 * The batched writer on PostgreSQL: the same contract as the SQLite writer (src/store/writer.ts)
 * — bounded queue with backpressure, one transaction per batch, flush on size, timer and close,
 * the same counters — with each batch written as a handful of multi-row statements instead of
 * one statement per row (a round trip per row would bound a remote server at a few thousand
 * rows/s):
 *
 *   1. addresses the batch needs and the cache lacks: one INSERT … ON CONFLICT DO NOTHING, one SELECT;
 *   2. trades: COPY into a session-local staging table, then one INSERT … SELECT FROM it ON
 *      CONFLICT (sig_key, ix_path) DO NOTHING RETURNING what went in (the same rows bound as
 *      32 unnest() arrays took ~2.5x as long: parsing the arrays cost more than the inserts).
 *      A row that did not go in is a duplicate when its key holds the
 *      same signature; otherwise two signatures share the key, and it is resolved exactly as on
 *      SQLite (sql/004): the key goes into sig_collisions and the trade is stored unkeyed unless
 *      it already is. Trades whose key is a listed collision are first looked for among the
 *      unkeyed rows, so a re-run never stores one twice even after the key's owner was pruned;
 *   3. tokens, token_metrics, signals, flag updates: one statement each.
 *
 * A statement that fails on one bad row (a CHECK, a NOT NULL the cheap checks let through) rolls
 * back to a savepoint and its rows are retried one by one, so only the bad row is rejected, as
 * on SQLite. Rows are sent in key order so two writers on one database take locks in one order.
 */
import type pg from 'pg';
import type { ClassifiedTrade, Signal, WindowMetrics } from '../../core/flow/types.js';
import type { Trade } from '../../core/trade.js';
import { invalidTrade } from '../sqlite/rows.js';
import { sigKey } from '../sig-key.js';
import type { FlagUpdate, Writer, WriterCounters, WriterOptions, WriterTx } from '../../core/store/types.js';
import { setCursorPg, updateJobPg } from './jobs.js';
import { copyFrom, copyText } from './copy.js';
import { addressesOf, createPgAddressBook, TRADE_ROW_COLUMN_NAMES, tradeValues, type PgAddressBook } from './rows.js';

/**
 * Rows per transaction. Unlike SQLite's, a Postgres commit does not rewrite the index pages a
 * batch touched, so the size mostly trades round trips against how long one batch holds its
 * row locks and how much a failed batch must redo; 20,000 as on SQLite measured close to the
 * best (test/bench/write-path-pg.ts).
 */
export const DEFAULT_PG_BATCH_SIZE = 20_000;

type QueuedTrade = Trade | ClassifiedTrade;
type Delta = Pick<WriterCounters, 'written' | 'duplicate' | 'rejected' | 'lateWritten' | 'metricsWritten' | 'signalsWritten' | 'signalsDuplicate' | 'flagsUpdated'>;
type Reject = (what: 'trade' | 'signal' | 'metrics', item: unknown, reason: string) => void;

const METRICS_UPSERT_SQL = `INSERT INTO token_metrics (mint, "window", as_of, as_of_slot, buy_volume, sell_volume,
  buy_count, sell_count, net_flow, unique_wallets, unique_buyers, unique_sellers, bot_volume, bot_trades,
  bot_wallets, bot_share, dca_volume, dca_buy_volume, dca_trades, dca_wallets, dca_share, updated_at)
  SELECT u.*, $22::int8 FROM unnest($1::text[], $2::text[], $3::int8[], $4::int8[], $5::int8[], $6::int8[], $7::int8[],
    $8::int8[], $9::int8[], $10::int8[], $11::int8[], $12::int8[], $13::int8[], $14::int8[], $15::int8[], $16::float8[],
    $17::int8[], $18::int8[], $19::int8[], $20::int8[], $21::float8[]) AS u
  ON CONFLICT (mint, "window") DO UPDATE SET as_of = excluded.as_of, as_of_slot = excluded.as_of_slot,
  buy_volume = excluded.buy_volume, sell_volume = excluded.sell_volume, buy_count = excluded.buy_count,
  sell_count = excluded.sell_count, net_flow = excluded.net_flow, unique_wallets = excluded.unique_wallets,
  unique_buyers = excluded.unique_buyers, unique_sellers = excluded.unique_sellers,
  bot_volume = excluded.bot_volume, bot_trades = excluded.bot_trades, bot_wallets = excluded.bot_wallets,
  bot_share = excluded.bot_share, dca_volume = excluded.dca_volume, dca_buy_volume = excluded.dca_buy_volume,
  dca_trades = excluded.dca_trades, dca_wallets = excluded.dca_wallets, dca_share = excluded.dca_share,
  updated_at = excluded.updated_at
  WHERE excluded.as_of >= token_metrics.as_of`;

const SIGNAL_INSERT_SQL = `INSERT INTO signals (mint, type, strength, "window", block_time, slot, signature, inputs_json, created_at)
  SELECT u.*, $9::int8 FROM unnest($1::text[], $2::text[], $3::float8[], $4::text[], $5::int8[], $6::int8[], $7::text[], $8::text[]) AS u
  ON CONFLICT (mint, type, signature) DO NOTHING RETURNING 1`;

// LEAST/GREATEST skip NULLs: first/last seen are min/max over everything seen, in any order.
const TOKEN_UPSERT_SQL = `INSERT INTO tokens (mint, decimals, first_seen_slot, first_seen_time, last_seen_slot, last_seen_time, updated_at)
  SELECT u.*, $7::int8 FROM unnest($1::text[], $2::int2[], $3::int8[], $4::int8[], $5::int8[], $6::int8[]) AS u
  ON CONFLICT (mint) DO UPDATE SET decimals = excluded.decimals,
  first_seen_slot = LEAST(tokens.first_seen_slot, excluded.first_seen_slot),
  first_seen_time = LEAST(tokens.first_seen_time, excluded.first_seen_time),
  last_seen_slot = GREATEST(tokens.last_seen_slot, excluded.last_seen_slot),
  last_seen_time = GREATEST(tokens.last_seen_time, excluded.last_seen_time),
  updated_at = excluded.updated_at`;

const flagUpdateSql = (keyed: boolean) => `UPDATE trade_rows r SET is_bot = u.b, bot_reasons = u.reasons
  FROM unnest($1::int2[], $2::text[], $3::int8[], $4::text[], $5::text[]) AS u(b, reasons, k, ix, sig)
  WHERE ${keyed ? 'r.sig_key = u.k' : 'r.sig_key IS NULL'} AND r.ix_path = u.ix AND r.signature = u.sig
  RETURNING r.signature, r.ix_path`;

/** Rows of the unkeyed (collided) trades among (signature, ix_path) pairs: trades_unkeyed's index. */
const STORED_UNKEYED_SQL = `SELECT r.signature, r.ix_path FROM trade_rows r
  JOIN unnest($1::text[], $2::text[]) AS u(sig, ix) ON r.signature = u.sig AND r.ix_path = u.ix
  WHERE r.sig_key IS NULL`;

const STAGE = 'solflow_stage';
const STAGE_COLUMNS = TRADE_ROW_COLUMN_NAMES.join(', ');
/** Clients that have the staging table (a temp table lives as long as its session). */
const staged = new WeakSet<pg.PoolClient>();

async function ensureStage(client: pg.PoolClient): Promise<void> {
  if (staged.has(client)) return;
  // No constraints but NOT NULL: CHECKs and the unique key apply on the way into trade_rows.
  await client.query(`CREATE TEMP TABLE IF NOT EXISTS ${STAGE} (LIKE trade_rows INCLUDING DEFAULTS) ON COMMIT DELETE ROWS`);
  staged.add(client);
}

/**
 * Rows into trade_rows through the staging table. Returns the ids that went in, and for each
 * keyed row that did not, the signature already holding its (sig_key, ix_path).
 */
async function insertStaged(client: pg.PoolClient, rows: unknown[][]): Promise<{ inserted: Set<number>; owners: Map<number, string> }> {
  await ensureStage(client);
  await client.query(`TRUNCATE ${STAGE}`);
  await copyFrom(client, STAGE, TRADE_ROW_COLUMN_NAMES, rows.map(copyText));
  // Key order: two writers take the unique index's locks in one order and cannot deadlock.
  const r = await client.query<{ id: number }>(
    `INSERT INTO trade_rows (${STAGE_COLUMNS}) SELECT ${STAGE_COLUMNS} FROM ${STAGE} ORDER BY sig_key, ix_path, id
     ON CONFLICT (sig_key, ix_path) DO NOTHING RETURNING id`,
  );
  const inserted = new Set(r.rows.map((x) => Number(x.id)));
  const owners = new Map<number, string>();
  if (inserted.size < rows.length) {
    const o = await client.query<{ id: number; signature: string }>(
      `SELECT s.id, r.signature FROM ${STAGE} s JOIN trade_rows r ON r.sig_key = s.sig_key AND r.ix_path = s.ix_path WHERE r.id <> s.id`,
    );
    for (const x of o.rows) owners.set(Number(x.id), x.signature);
  }
  return { inserted, owners };
}

const pairKey = (signature: string, ixPath: string) => `${signature}\u0000${ixPath}`;
const keyOf = (k: number | bigint, ixPath: string) => `${k}\u0000${ixPath}`;

interface TokenSeen {
  decimals: number;
  minSlot: number | null;
  minTime: number | null;
  maxSlot: number | null;
  maxTime: number | null;
}

const minN = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.min(a, b));
const maxN = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.max(a, b));

function take<T>(queue: T[], n: number): [T[], T[]] {
  return queue.length <= n ? [queue, []] : [queue.slice(0, n), queue.slice(n)];
}

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
async function bulkOrEach<T, R>(
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

interface TradeInput {
  t: QueuedTrade;
  late: boolean;
  key: number;
  /** trade_rows.id, taken from the sequence in arrival order (storeTrades). */
  id?: number;
}

/** Inserts valid trades; returns those that were new. Runs inside the batch transaction. */
async function storeTrades(client: pg.PoolClient, inputs: TradeInput[], at: number, book: PgAddressBook, reject: Reject): Promise<{ fresh: TradeInput[]; duplicates: number }> {
  const collided = new Set(
    (await client.query<{ sig_key: number }>('SELECT sig_key FROM sig_collisions')).rows.map((r) => Number(r.sig_key)),
  );
  const wanted = new Set<string>();
  for (const i of inputs) addressesOf(i.t, wanted);
  await book.resolve(client, wanted);

  const duplicate = new Set<TradeInput>();
  const failed = new Set<TradeInput>();
  // Trades under a listed key may be stored unkeyed: look for them before inserting keyed.
  const suspects = inputs.filter((i) => collided.has(i.key));
  if (suspects.length > 0) {
    const found = await client.query<{ signature: string; ix_path: string }>(STORED_UNKEYED_SQL, [
      suspects.map((i) => i.t.signature), suspects.map((i) => i.t.ixPath),
    ]);
    const stored = new Set(found.rows.map((r) => pairKey(r.signature, r.ix_path)));
    for (const i of suspects) if (stored.has(pairKey(i.t.signature, i.t.ixPath))) duplicate.add(i);
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
    const pair = pairKey(i.t.signature, i.t.ixPath);
    let key: number | null = i.key;
    if (owner !== undefined) {
      await client.query('INSERT INTO sig_collisions (sig_key) VALUES ($1) ON CONFLICT DO NOTHING', [i.key]);
      collided.add(i.key);
      key = null;
      const stored = unkeyedDone.has(pair) || (await client.query(STORED_UNKEYED_SQL, [[i.t.signature], [i.t.ixPath]])).rowCount! > 0;
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

async function upsertTokens(client: pg.PoolClient, fresh: TradeInput[], at: number): Promise<void> {
  const seen = new Map<string, TokenSeen>();
  for (const { t } of fresh) {
    const s = seen.get(t.baseMint);
    if (s === undefined) {
      seen.set(t.baseMint, { decimals: t.baseDecimals, minSlot: t.slot, minTime: t.blockTime, maxSlot: t.slot, maxTime: t.blockTime });
    } else {
      s.decimals = t.baseDecimals;
      s.minSlot = minN(s.minSlot, t.slot);
      s.maxSlot = maxN(s.maxSlot, t.slot);
      s.minTime = minN(s.minTime, t.blockTime);
      s.maxTime = maxN(s.maxTime, t.blockTime);
    }
  }
  if (seen.size === 0) return;
  const mints = [...seen.keys()].sort();
  const col = (f: (s: TokenSeen) => number | null) => mints.map((m) => f(seen.get(m)!));
  await client.query(TOKEN_UPSERT_SQL, [
    mints, col((s) => s.decimals), col((s) => s.minSlot), col((s) => s.minTime), col((s) => s.maxSlot), col((s) => s.maxTime), at,
  ]);
}

async function upsertMetrics(client: pg.PoolClient, ms: WindowMetrics[], at: number, reject: Reject, c: Delta): Promise<void> {
  const sorted = [...ms].sort((a, b) => (a.mint < b.mint ? -1 : a.mint > b.mint ? 1 : a.window < b.window ? -1 : a.window > b.window ? 1 : 0));
  const done = await bulkOrEach(
    client,
    sorted,
    async (items) => {
      const col = <K extends keyof WindowMetrics>(k: K) => items.map((m) => m[k]);
      await client.query(METRICS_UPSERT_SQL, [
        col('mint'), col('window'), col('asOf'), col('asOfSlot'), col('buyVolume'), col('sellVolume'), col('buyCount'),
        col('sellCount'), col('netFlow'), col('uniqueWallets'), col('uniqueBuyers'), col('uniqueSellers'), col('botVolume'),
        col('botTrades'), col('botWallets'), col('botShare'), col('dcaVolume'), col('dcaBuyVolume'), col('dcaTrades'),
        col('dcaWallets'), col('dcaShare'), at,
      ]);
      return items;
    },
    (m, reason) => reject('metrics', m, reason),
  );
  c.metricsWritten += done.length;
}

async function insertSignals(client: pg.PoolClient, ss: Signal[], at: number, reject: Reject, c: Delta): Promise<void> {
  let tried = 0;
  const written = await bulkOrEach(
    client,
    ss,
    async (items) => {
      const col = <K extends keyof Signal>(k: K) => items.map((s) => s[k]);
      const r = await client.query(SIGNAL_INSERT_SQL, [
        col('mint'), col('type'), col('strength'), col('window'), col('blockTime'), col('slot'), col('signature'),
        items.map((s) => JSON.stringify(s.inputs)), at,
      ]);
      tried += items.length;
      return r.rows;
    },
    (s, reason) => reject('signal', s, reason),
  );
  c.signalsWritten += written.length;
  c.signalsDuplicate += tried - written.length;
}

async function updateFlags(client: pg.PoolClient, fs: FlagUpdate[], collided: () => Promise<Set<number>>, c: Delta): Promise<void> {
  if (fs.length === 0) return;
  // One UPDATE applies one source row per target: keep the last update of each trade, as applying them in turn would.
  const last = new Map<string, FlagUpdate>();
  for (const f of fs) last.set(pairKey(f.signature, f.ixPath), f);
  const list = [...last.values()].sort((a, b) => (a.signature < b.signature ? -1 : a.signature > b.signature ? 1 : a.ixPath < b.ixPath ? -1 : 1));
  const args = (l: FlagUpdate[]) => [
    l.map((f) => (f.isBot ? 1 : 0)), l.map((f) => JSON.stringify(f.botReasons)), l.map((f) => sigKey(f.signature)),
    l.map((f) => f.ixPath), l.map((f) => f.signature),
  ];
  const hit = new Set((await client.query<{ signature: string; ix_path: string }>(flagUpdateSql(true), args(list))).rows.map((r) => pairKey(r.signature, r.ix_path)));
  const keys = await collided();
  const rest = list.filter((f) => !hit.has(pairKey(f.signature, f.ixPath)) && keys.has(sigKey(f.signature)));
  if (rest.length > 0) {
    for (const r of (await client.query<{ signature: string; ix_path: string }>(flagUpdateSql(false), args(rest))).rows) hit.add(pairKey(r.signature, r.ix_path));
  }
  for (const f of fs) if (hit.has(pairKey(f.signature, f.ixPath))) c.flagsUpdated++;
}

/** Before a flow recompute: drop signals and token_metrics, return the chain clock they reached. */
export async function clearFlowTablesPg(client: pg.PoolClient): Promise<{ clock: number | null }> {
  const r = await client.query<{ clock: number | null }>('SELECT max(as_of) AS clock FROM token_metrics');
  await client.query('DELETE FROM signals');
  await client.query('DELETE FROM token_metrics');
  return { clock: r.rows[0].clock === null ? null : Number(r.rows[0].clock) };
}

/** Writer.exclusive's handle: the writes go through the same transaction client. */
function writerTx(client: pg.PoolClient): WriterTx {
  return {
    updateJob: (id, u) => updateJobPg(client, id, u),
    setCursor: (name, slot) => setCursorPg(client, name, slot),
    clearFlowTables: () => clearFlowTablesPg(client),
  };
}

/** `thread` is ignored: the server already works beside the pipeline's thread. */
export function createPgWriter(pool: pg.Pool, opts: WriterOptions = {}): Writer {
  const batchSize = Math.max(1, opts.batchSize ?? DEFAULT_PG_BATCH_SIZE);
  const flushIntervalMs = opts.flushIntervalMs ?? 100;
  const onReject = opts.onReject;
  const book = createPgAddressBook();

  let trades: QueuedTrade[] = [];
  let lates: QueuedTrade[] = [];
  let metrics = new Map<string, WindowMetrics>();
  let signals: Signal[] = [];
  let flags: FlagUpdate[] = [];
  let timer: NodeJS.Timeout | null = null;
  let closed = false;
  /** Flushes run one at a time, in order: each waits for the one before. */
  let tail: Promise<void> = Promise.resolve();

  const c: WriterCounters = {
    written: 0, duplicate: 0, rejected: 0, lateWritten: 0, metricsWritten: 0, signalsWritten: 0,
    signalsDuplicate: 0, flagsUpdated: 0, batches: 0, writeMs: 0, queued: 0,
  };
  const queued = () => trades.length + lates.length + metrics.size + signals.length + flags.length;
  const mkey = (m: WindowMetrics) => `${m.mint}\u0000${m.window}`;

  async function writeBatch(client: pg.PoolClient, ts: QueuedTrade[], ls: QueuedTrade[], ms: WindowMetrics[], ss: Signal[], fs: FlagUpdate[], at: number): Promise<Delta> {
    const d: Delta = { written: 0, duplicate: 0, rejected: 0, lateWritten: 0, metricsWritten: 0, signalsWritten: 0, signalsDuplicate: 0, flagsUpdated: 0 };
    const reject: Reject = (what, item, reason) => {
      d.rejected++;
      onReject?.(what, item, reason);
    };
    const inputs: TradeInput[] = [];
    for (const [list, late] of [[ts, false], [ls, true]] as const) {
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
    await upsertMetrics(client, ms, at, reject, d);
    await insertSignals(client, ss, at, reject, d);
    await updateFlags(
      client,
      fs,
      async () => new Set((await client.query<{ sig_key: number }>('SELECT sig_key FROM sig_collisions')).rows.map((r) => Number(r.sig_key))),
      d,
    );
    return d;
  }

  async function flushNow(): Promise<void> {
    while (queued() > 0) {
      let room = batchSize;
      let ts: QueuedTrade[], ls: QueuedTrade[], fs: FlagUpdate[], ss: Signal[];
      [ts, trades] = take(trades, room);
      room -= ts.length;
      [ls, lates] = take(lates, room);
      room -= ls.length;
      [fs, flags] = take(flags, room);
      room -= fs.length;
      [ss, signals] = take(signals, room);
      room -= ss.length;
      let ms: WindowMetrics[] = [];
      if (room > 0 && metrics.size > 0) {
        for (const [k, m] of metrics) {
          if (ms.length >= room) break;
          ms.push(m);
          metrics.delete(k);
        }
      }
      const t0 = performance.now();
      let d: Delta;
      const client = await pool.connect().catch((err) => {
        putBack();
        throw err;
      });
      function putBack() {
        book.forget();
        trades = ts.concat(trades);
        lates = ls.concat(lates);
        flags = fs.concat(flags);
        signals = ss.concat(signals);
        for (const m of ms) if (!metrics.has(mkey(m))) metrics.set(mkey(m), m);
      }
      try {
        await client.query('BEGIN');
        d = await writeBatch(client, ts, ls, ms, ss, fs, Date.now());
        await client.query('COMMIT');
      } catch (err) {
        // Nothing of this batch was committed: put it back so a retry (or close) can write it.
        await client.query('ROLLBACK').catch(() => undefined);
        client.release();
        putBack();
        throw err;
      }
      client.release();
      book.committed();
      for (const k of Object.keys(d) as (keyof Delta)[]) c[k] += d[k];
      c.writeMs += performance.now() - t0;
      c.batches++;
    }
  }

  function flush(): Promise<void> {
    if (timer) {
      clearTimeout(timer);
      timer = null;
    }
    const run = tail.then(flushNow);
    tail = run.catch(() => undefined);
    return run;
  }

  function schedule() {
    if (timer || closed || flushIntervalMs <= 0) return;
    timer = setTimeout(() => {
      timer = null;
      flush().catch((err) => onReject?.('trade', null, `background flush failed: ${(err as Error).message}`));
    }, flushIntervalMs);
    timer.unref();
  }

  return {
    async write(batch) {
      if (closed) throw new Error('writer is closed');
      if (batch.trades) for (const t of batch.trades) trades.push(t);
      if (batch.lateTrades) for (const t of batch.lateTrades) lates.push(t);
      if (batch.metrics) for (const m of batch.metrics) metrics.set(mkey(m), m);
      if (batch.signals) for (const s of batch.signals) signals.push(s);
      if (batch.flagUpdates) for (const f of batch.flagUpdates) flags.push(f);
      // Backpressure: a producer that awaits write() waits for the database once a batch is full.
      if (queued() >= batchSize) await flush();
      else schedule();
    },
    flush,
    async exclusive(fn) {
      await flush();
      const run = tail.then(async () => {
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          const v = await fn(writerTx(client));
          await client.query('COMMIT');
          return v;
        } catch (err) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw err;
        } finally {
          client.release();
        }
      });
      tail = run.then(() => undefined, () => undefined);
      return run;
    },
    counters() {
      return { ...c, queued: queued() };
    },
    async close() {
      if (closed) return;
      await flush();
      closed = true;
    },
  };
}
