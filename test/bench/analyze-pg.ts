/**
 * `analyze` on 10,000,000 trades on PostgreSQL, next to the same on SQLite in the same process.
 *
 * The rows are store-queries.ts's synthetic market (1,000,000 power-law light wallets, 113
 * heavy wallets of 1,000 to 50,000 trades each, 100,000 mints, 30 days; cached in the temp dir
 * as a SQLite file), copied row for row — same address ids, same signature keys — into a
 * throwaway cluster (test/support/postgres) with COPY, the trade indexes dropped during the fill
 * and rebuilt from their own definitions afterwards, so the schema ends as migrations left it.
 *
 * Timed: runAnalyzeCommand, the function behind `solflow analyze <wallet> --json`, in this
 * process, on each backend: opening the store, walletTrades, lastPrices, the analysis and the
 * JSON. Then every statement analyze sent to the server, with its plan (auto_explain with
 * ANALYZE), so an index that is not used shows up here and not in production.
 *
 *   npm run bench                                   (with the other benches)
 *   npx tsx test/bench/analyze-pg.ts                (alone; SOLFLOW_BENCH_PG_TRADES=… to change the size, default 10M)
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { runAnalyzeCommand } from '../../src/cli/actions/analyze.js';
import { openPostgres } from '../../src/store/postgres/connect.js';
import { TRADE_ROW_COLUMN_NAMES } from '../../src/store/postgres/rows.js';
import { copyFrom } from '../../src/store/postgres/copy.js';
import { openDatabase } from '../../src/store/sqlite/index.js';
import { captureIo } from '../support/cli-io.js';
import { startCluster, type Cluster } from '../support/postgres/cluster.js';
import { withDatabaseName } from '../support/postgres/database.js';
import { benchDatabase, type Meta } from './store-queries.js';

const COPY_ROWS = 100_000;

export async function benchAnalyzePg(n = Number(process.env.SOLFLOW_BENCH_PG_TRADES ?? 10_000_000)): Promise<void> {
  const { path, meta } = benchDatabase(n);
  const cluster = await startCluster({ durable: true });
  try {
    const admin = new pg.Client({ connectionString: cluster.url });
    await admin.connect();
    await admin.query('CREATE DATABASE analyze_bench');
    const url = withDatabaseName(cluster.url, 'analyze_bench');
    console.log(`analyze on PostgreSQL: ${n.toLocaleString('en')} trades copied from ${path}; server on this machine, durable commits`);
    await fill(url, path);
    const s = await sizes(url);
    console.log(`  database ${gb(s.db)} GB (trade_rows ${gb(s.heap)} GB + its indexes ${gb(s.indexes)} GB, addresses ${gb(s.addresses)} GB); the SQLite file ${gb(statSync(path).size)} GB`);
    await timeBoth(url, path, meta);
    await explainAnalyze(admin, url, cluster, meta);
    await admin.end();
  } finally {
    cluster.stop();
  }
}

const gb = (bytes: number) => (bytes / 1e9).toFixed(2);

// ---------------------------------------------------------------------------------------------
// Fill

/** A value in COPY text form; only strings can hold the characters COPY escapes. */
function field(v: unknown): string {
  if (v === null || v === undefined) return '\\N';
  if (typeof v !== 'string') return String(v);
  return /[\\\t\n\r]/.test(v) ? v.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r') : v;
}

async function fill(url: string, sqlitePath: string): Promise<void> {
  // Migrations through the real open path, then the trade indexes out of the way of the fill.
  const db = await openPostgres({ url });
  await db.close();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const indexes = (await client.query<{ name: string; def: string }>(
    `SELECT indexname AS name, indexdef AS def FROM pg_indexes WHERE tablename = 'trade_rows' AND indexname <> 'trade_rows_pkey'`,
  )).rows;
  for (const ix of indexes) await client.query(`DROP INDEX ${ix.name}`);

  const src = openDatabase({ path: sqlitePath, readonly: true });
  const t0 = performance.now();
  const copyAll = async (table: string, columns: readonly string[], sql: string) => {
    let lines: string[] = [];
    let copied = 0;
    const flush = async () => {
      if (lines.length === 0) return;
      copied += await copyFrom(client, table, columns, lines);
      lines = [];
    };
    for (const row of src.sqlite.prepare(sql).raw().iterate() as Iterable<unknown[]>) {
      lines.push(row.map(field).join('\t'));
      if (lines.length === COPY_ROWS) await flush();
    }
    await flush();
    return copied;
  };
  const addresses = await copyAll('addresses', ['id', 'address'], 'SELECT id, address FROM addresses ORDER BY id');
  const trades = await copyAll('trade_rows', TRADE_ROW_COLUMN_NAMES, `SELECT ${TRADE_ROW_COLUMN_NAMES.join(', ')} FROM trade_rows ORDER BY id`);
  const copySeconds = (performance.now() - t0) / 1000;
  await src.close();
  // The identities go on after the copied ids, as after any write.
  for (const table of ['addresses', 'trade_rows']) {
    await client.query(`SELECT setval(pg_get_serial_sequence('${table}', 'id'), (SELECT max(id) FROM ${table}))`);
  }
  console.log(`  COPY ${trades.toLocaleString('en')} trades and ${addresses.toLocaleString('en')} addresses: ${copySeconds.toFixed(0)} s (${Math.round(trades / copySeconds).toLocaleString('en')} trades/s, reading the SQLite file included)`);
  const t1 = performance.now();
  for (const ix of indexes) {
    const s = performance.now();
    await client.query(ix.def);
    console.log(`  index ${ix.name} built in ${((performance.now() - s) / 1000).toFixed(0)} s`);
  }
  const s = performance.now();
  await client.query('VACUUM ANALYZE trade_rows');
  await client.query('VACUUM ANALYZE addresses');
  console.log(`  VACUUM ANALYZE ${((performance.now() - s) / 1000).toFixed(0)} s; fill total ${((performance.now() - t0) / 1000).toFixed(0)} s (indexes ${((s - t1) / 1000).toFixed(0)} s)`);
  await client.end();
}

async function sizes(url: string): Promise<Record<'db' | 'heap' | 'indexes' | 'addresses', number>> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const r = (await c.query(
    `SELECT pg_database_size(current_database()) AS db, pg_table_size('trade_rows') AS heap,
            pg_indexes_size('trade_rows') AS indexes, pg_total_relation_size('addresses') AS addresses`,
  )).rows[0] as Record<string, string>;
  await c.end();
  return { db: Number(r.db), heap: Number(r.heap), indexes: Number(r.indexes), addresses: Number(r.addresses) };
}

// ---------------------------------------------------------------------------------------------
// Timing

interface Case {
  label: string;
  wallet: string;
}

function cases(meta: Meta): Case[] {
  return [
    ...meta.light.slice(0, 3).map((wallet) => ({ label: 'light', wallet })),
    { label: 'medium', wallet: meta.heavy[2][0] },
    { label: 'heavy', wallet: meta.heavy[1][0] },
    { label: 'heaviest', wallet: meta.heavy[0][0] },
  ];
}

/** One `solflow analyze <wallet> --json` in this process; the JSON's trade count as a check. */
async function analyzeOnce(db: string, wallet: string): Promise<{ ms: number; trades: number; positions: number }> {
  const io = captureIo();
  const t = performance.now();
  const exit = await runAnalyzeCommand(wallet, { db, json: true, quiet: true }, io);
  const ms = performance.now() - t;
  if (exit !== 0) throw new Error(`analyze ${wallet} on ${db.startsWith('postgres') ? 'PostgreSQL' : 'SQLite'} exited ${exit}: ${io.stderr.join(' ')}`);
  const doc = JSON.parse(io.stdout.join('\n')) as { summary: { trades: number }; positions: unknown[] };
  return { ms, trades: doc.summary.trades, positions: doc.positions.length };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

async function timeBoth(url: string, sqlitePath: string, meta: Meta): Promise<void> {
  console.log('  runAnalyzeCommand(<wallet>, --json): open the store, read, analyse, JSON; first call, then the median of 5; PostgreSQL / SQLite');
  for (const c of cases(meta)) {
    const pgFirst = await analyzeOnce(url, c.wallet);
    const pgMedian = median(await repeat(5, async () => (await analyzeOnce(url, c.wallet)).ms));
    const liteFirst = await analyzeOnce(sqlitePath, c.wallet);
    const liteMedian = median(await repeat(5, async () => (await analyzeOnce(sqlitePath, c.wallet)).ms));
    if (pgFirst.trades !== liteFirst.trades || pgFirst.positions !== liteFirst.positions) {
      throw new Error(`${c.wallet}: PostgreSQL saw ${pgFirst.trades} legs / ${pgFirst.positions} positions, SQLite ${liteFirst.trades} / ${liteFirst.positions}`);
    }
    const f = (x: number) => x.toFixed(1).padStart(8);
    console.log(
      `    ${c.label.padEnd(9)} ${String(pgFirst.trades).padStart(6)} legs ${String(pgFirst.positions).padStart(4)} positions   PostgreSQL first ${f(pgFirst.ms)} median ${f(pgMedian)} ms   SQLite first ${f(liteFirst.ms)} median ${f(liteMedian)} ms   ×${(pgMedian / liteMedian).toFixed(2)}`,
    );
  }
}

async function repeat<T>(times: number, fn: () => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < times; i++) out.push(await fn());
  return out;
}

// ---------------------------------------------------------------------------------------------
// Plans

/**
 * The plans of the statements analyze itself sends: auto_explain (with ANALYZE) on for this
 * database only, one analyze of the heaviest wallet, then its entries in the server log.
 */
async function explainAnalyze(admin: pg.Client, url: string, cluster: Cluster, meta: Meta): Promise<void> {
  const logPath = join(cluster.dir, 'server.log');
  const before = readFileSync(logPath, 'utf8').length;
  for (const set of ["session_preload_libraries = 'auto_explain'", 'auto_explain.log_min_duration = 0', 'auto_explain.log_analyze = on', "auto_explain.log_format = 'text'"]) {
    await admin.query(`ALTER DATABASE analyze_bench SET ${set}`);
  }
  await analyzeOnce(url, meta.heavy[0][0]);
  await admin.query('ALTER DATABASE analyze_bench RESET ALL');
  const log = readFileSync(logPath, 'utf8').slice(before);
  const plans = log.split(/\n(?=\S.*LOG:\s+duration:)/).filter((e) => /FROM (trades|trade_rows)\b/.test(e));
  const seen = new Set<string>();
  console.log(`  plans of analyze's statements on the heaviest wallet (auto_explain, ${plans.length} statements; one of each shown):`);
  for (const p of plans) {
    const query = /Query Text: ([^\n]*)/.exec(p)?.[1] ?? '';
    const shape = query.replace(/\s+/g, ' ').slice(0, 60);
    if (seen.has(shape)) continue;
    seen.add(shape);
    const lines = p.split('\n').filter((l) => /Scan|Sort|Join|Loop|duration:/.test(l)).map((l) => l.replace(/^.*LOG:\s+/, '').trimEnd());
    console.log(`    ${query.replace(/\s+/g, ' ').slice(0, 140)}`);
    for (const l of lines) console.log(`      ${l.trim().slice(0, 160)}`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchAnalyzePg();
