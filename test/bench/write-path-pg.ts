/**
 * Write-path throughput on PostgreSQL: synthetic trades through the Postgres batched writer
 * (per 20,000-row batch: COPY into a staging table, INSERT … ON CONFLICT DO NOTHING from it, addresses interned, the
 * signature key computed in TypeScript), next to the ceiling: a plain COPY of the same rows,
 * built beforehand with their address ids, into trade_rows with the same indexes, in one
 * statement. Also the writer given the same trades again (every one a duplicate: the cost of
 * idempotency on a re-run).
 *
 * The server is a throwaway cluster from Debian's postgresql package (test/support/postgres),
 * with durable commits on (fsync, synchronous_commit, full_page_writes), on this machine: the
 * figures include the client's CPU and the server's, which share its cores.
 *
 *   npm run bench                          (with the other benches)
 *   npx tsx test/bench/write-path-pg.ts    (alone; BENCH_TRADES=… to change the size)
 */
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { Trade } from '../../src/core/trade.js';
import { openPostgres } from '../../src/store/postgres/connect.js';
import { addressesOf, TRADE_ROW_COLUMN_NAMES, tradeValues } from '../../src/store/postgres/rows.js';
import { createPgWriter, DEFAULT_PG_BATCH_SIZE } from '../../src/store/postgres/writer.js';
import { sigKey } from '../../src/store/sig-key.js';
import { synthTrades } from '../flow/gen.js';
import { startCluster } from '../support/postgres/cluster.js';
import { withDatabaseName } from '../support/postgres/database.js';
import { copyFrom, copyText } from '../../src/store/postgres/copy.js';

export interface WritePathPgResult {
  trades: number;
  writerTradesPerSec: number;
  rerunTradesPerSec: number;
  copyTradesPerSec: number;
  /** writer / COPY */
  ratio: number;
  cores: number;
}

const INGEST_BATCH = 5000;

export async function benchWritePathPg(n = Number(process.env.BENCH_TRADES ?? 200_000)): Promise<WritePathPgResult> {
  const trades = synthTrades({ trades: n, seed: 2024, mints: 5000, wallets: 50_000, tradesPerSlot: 20 });
  const cluster = await startCluster({ durable: true });
  try {
    const admin = await openPostgres({ url: cluster.url, maxConnections: 1 });
    const fresh = async (name: string) => {
      await admin.pool.query(`CREATE DATABASE ${name}`);
      return openPostgres({ url: withDatabaseName(cluster.url, name) });
    };

    // Warm the writer (and the server's catalog caches) on a small run first.
    const warm = await fresh('warm');
    await writeAll(warm.pool, trades.slice(0, Math.min(n, 20_000)));
    await warm.close();

    const db = await fresh('writer');
    const t0 = performance.now();
    const counters = await writeAll(db.pool, trades);
    const writerMs = performance.now() - t0;
    if (counters.written !== n) throw new Error(`writer wrote ${counters.written} of ${n} trades`);
    const t1 = performance.now();
    const again = await writeAll(db.pool, trades);
    const rerunMs = performance.now() - t1;
    if (again.duplicate !== n) throw new Error(`re-run found ${again.duplicate} of ${n} duplicates`);
    await db.close();

    const ceiling = await fresh('ceiling');
    const copyMs = await plainCopy(ceiling.pool, trades);
    await ceiling.close();
    await admin.close();

    const rate = (ms: number) => (n / ms) * 1000;
    const r: WritePathPgResult = {
      trades: n,
      writerTradesPerSec: rate(writerMs),
      rerunTradesPerSec: rate(rerunMs),
      copyTradesPerSec: rate(copyMs),
      ratio: copyMs / writerMs,
      cores: availableParallelism(),
    };
    const f = (x: number) => x.toFixed(0).padStart(9);
    console.log(`write path on PostgreSQL: ${n} synthetic trades, 5000 mints, 50000 wallets, durable commits, server on this machine (${r.cores} cores)`);
    console.log(`  batched writer                        ${f(r.writerTradesPerSec)} trades/s   (${counters.batches} transactions of ≤${DEFAULT_PG_BATCH_SIZE} rows: COPY to staging, INSERT … ON CONFLICT DO NOTHING)`);
    console.log(`  same trades again (all duplicates)    ${f(r.rerunTradesPerSec)} trades/s`);
    console.log(`  plain COPY, one statement             ${f(r.copyTradesPerSec)} trades/s   (ceiling: same rows and indexes, address ids and text built beforehand)`);
    console.log(`  ratio writer / COPY                   ${r.ratio.toFixed(2).padStart(9)}`);
    return r;
  } finally {
    cluster.stop();
  }
}

async function writeAll(pool: import('pg').Pool, trades: Trade[]) {
  const w = createPgWriter(pool);
  for (let i = 0; i < trades.length; i += INGEST_BATCH) await w.write({ trades: trades.slice(i, i + INGEST_BATCH) });
  await w.close();
  return w.counters();
}

/** Addresses interned and every row's COPY text built first (untimed); then one timed COPY. */
async function plainCopy(pool: import('pg').Pool, trades: Trade[]): Promise<number> {
  const addresses = new Set<string>();
  for (const t of trades) addressesOf(t, addresses);
  const list = [...addresses].sort();
  await pool.query('INSERT INTO addresses (address) SELECT unnest($1::text[])', [list]);
  const ids = new Map((await pool.query<{ id: number; address: string }>('SELECT id, address FROM addresses')).rows.map((r) => [r.address, Number(r.id)]));
  const now = Date.now();
  const lines = trades.map((t, i) => copyText(tradeValues(i + 1, t, now, (a) => ids.get(a)!, sigKey(t.signature))));
  const client = await pool.connect();
  try {
    const t0 = performance.now();
    const copied = await copyFrom(client, 'trade_rows', TRADE_ROW_COLUMN_NAMES, lines);
    const ms = performance.now() - t0;
    if (copied !== trades.length) throw new Error(`COPY stored ${copied} of ${trades.length} rows`);
    return ms;
  } finally {
    client.release();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchWritePathPg();
