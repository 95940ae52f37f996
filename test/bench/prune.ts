/**
 * Prune throughput on a large database, and what it costs the processes around it.
 *
 * A synthetic database of BENCH_PRUNE_TRADES trades (default 2,000,000; 60 days; built once in
 * SQL through the real schema and cached in the temp dir, keyed by size) is copied fresh for each
 * run. The older BENCH_PRUNE_SHARE of it (default 40%) is deleted twice, each time with two
 * worker threads on their own connections beside it:
 *  - a reader: one indexed dashboard query every 5 ms; its longest query is the longest a reader
 *    waited;
 *  - a writer: one transaction of 10 new trades every 20 ms with the ingest writer's busy
 *    timeout (5 s): its longest wait for the lock, and how often it gave up with SQLITE_BUSY.
 * Runs: solflow prune's batched deletes (store/prune.ts pruneRows), then the baseline, one
 * `DELETE FROM trade_rows WHERE block_time < ?` in one transaction. Figures are rows deleted per
 * second of delete work (space reclaim excluded in both), printed as measured, with the ratio.
 *
 *   npm run bench                       (with the other benches)
 *   npx tsx test/bench/prune.ts         (alone)
 */
import { copyFileSync, existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { openDatabase } from '../../src/store/sqlite/index.js';
import { cutoffsFor, pruneRows } from '../../src/store/sqlite/prune/index.js';
import { buildSynthDb } from '../prune/synth-db.js';

const DAY = 86_400;
const START = 1_750_000_000;
const SPAN = 60 * DAY;

export interface PruneRunResult {
  mode: 'batched' | 'one DELETE';
  rows: number;
  seconds: number;
  rowsPerSec: number;
  readerQueries: number;
  readerMaxMs: number;
  readerP99Ms: number;
  writerCommits: number;
  writerMaxWaitMs: number;
  writerBusy: number;
  longestTransactionMs: number;
}

export interface PruneBenchResult {
  trades: number;
  fileBytes: number;
  runs: PruneRunResult[];
  idleReaderMaxMs: number;
}

/** Worker thread code (plain JS, so it runs under tsx or node alike). */
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.sqlitePath);
const db = new Database(workerData.path, { readonly: workerData.role === 'reader' });
db.pragma('busy_timeout = 5000');
const times = [];
let busy = 0;
let stop = false;
parentPort.on('message', (m) => { if (m === 'stop') stop = true; if (m === 'reset') { times.length = 0; busy = 0; } });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
let i = 0;
(async () => {
  if (workerData.role === 'reader') {
    const hot = db.prepare('SELECT base_mint FROM trades WHERE id < 10000 GROUP BY base_mint ORDER BY count(*) DESC LIMIT 1').pluck().get();
    const q = db.prepare('SELECT count(*), sum(sol_amount) FROM trades WHERE base_mint = ? AND block_time >= ?');
    parentPort.postMessage('ready');
    while (!stop) {
      const t0 = performance.now();
      q.get(hot, workerData.recent);
      times.push(performance.now() - t0);
      await sleep(5);
    }
  } else {
    const id = (a) => {
      db.prepare('INSERT INTO addresses (address) VALUES (?) ON CONFLICT DO NOTHING').run(a);
      return db.prepare('SELECT id FROM addresses WHERE address = ?').pluck().get(a);
    };
    const [program, wallet, mint, wsol] = ['pAMMBay6oceH9fJKBRHGP5D4bD4sWpmSwMn52FMfXEA', 'BenchWallet', 'BenchMint', 'So11111111111111111111111111111111111111112'].map(id);
    // No sig_key (plain JS here, without solflow's key function): NULL, as for a colliding
    // signature, which costs this bench nothing and nobody re-inserts these rows.
    const ins = db.prepare("INSERT INTO trade_rows (signature, ix_path, slot, block_time, venue, program_id, trader_id, side, base_mint_id, base_amount, base_decimals, quote_mint_id, quote_amount, quote_decimals, signer_id, inserted_at) VALUES (?, '0.0', ?, ?, 'pumpswap', ?, ?, 'buy', ?, '1', 6, ?, '1', 9, ?, 0)");
    parentPort.postMessage('ready');
    while (!stop) {
      const t0 = performance.now();
      try {
        db.exec('BEGIN IMMEDIATE');
        for (let k = 0; k < 10; k++, i++) ins.run('bench-' + workerData.tag + '-' + i, 900000000 + i, workerData.recent + 86400, program, wallet, mint, wsol, wallet);
        db.exec('COMMIT');
        times.push(performance.now() - t0);
      } catch (err) {
        if (db.inTransaction) db.exec('ROLLBACK');
        if (err.code !== 'SQLITE_BUSY') throw err;
        busy++;
        times.push(performance.now() - t0);
      }
      await sleep(20);
    }
  }
  const sorted = [...times].sort((a, b) => a - b);
  parentPort.postMessage({ n: times.length, max: sorted[sorted.length - 1] ?? 0, p99: sorted[Math.floor(sorted.length * 0.99)] ?? 0, busy });
  db.close();
})();
`;

interface WorkerStats {
  n: number;
  max: number;
  p99: number;
  busy: number;
}

function startWorker(role: 'reader' | 'writer', path: string, tag: string) {
  const sqlitePath = createRequire(import.meta.url).resolve('better-sqlite3');
  const w = new Worker(WORKER, { eval: true, workerData: { role, path, sqlitePath, tag, recent: START + SPAN - DAY } });
  const messages: unknown[] = [];
  let notify: (() => void) | null = null;
  w.on('message', (m) => {
    messages.push(m);
    notify?.();
  });
  const next = () =>
    new Promise<unknown>((resolve, reject) => {
      w.once('error', reject);
      const take = () => {
        if (messages.length) resolve(messages.shift());
        else notify = take;
      };
      take();
    });
  return {
    ready: () => next(),
    reset: () => w.postMessage('reset'),
    stop: async () => {
      w.postMessage('stop');
      const stats = (await next()) as WorkerStats;
      await w.terminate();
      return stats;
    },
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The cached source database for this size, built on first use. */
async function sourceDb(trades: number): Promise<string> {
  const path = join(tmpdir(), `solflow-bench-prune-${trades}-v3.db`);
  if (existsSync(path)) return path;
  const building = `${path}.building`;
  for (const f of [building, `${building}-wal`, `${building}-shm`]) rmSync(f, { force: true });
  const t0 = performance.now();
  console.log(`  building ${trades.toLocaleString('en-US')} synthetic trades into ${path} (cached for later runs)…`);
  await buildSynthDb({ path: building, trades, startTime: START, spanSeconds: SPAN });
  renameSync(building, path);
  console.log(`  built in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  return path;
}

async function run(mode: PruneRunResult['mode'], source: string, work: string, cutoffAge: number): Promise<PruneRunResult & { idleReaderMaxMs: number }> {
  for (const f of [work, `${work}-wal`, `${work}-shm`]) rmSync(f, { force: true });
  copyFileSync(source, work);
  const db = openDatabase({ path: work });
  const c = cutoffsFor(db.sqlite, { trades: cutoffAge, signals: null, metrics: null }, 'newest', 0);
  // What must go: the run is checked against it.
  const expected = db.sqlite.prepare('SELECT count(*) FROM trades WHERE block_time < ?').pluck().get(c.trades) as number;
  const reader = startWorker('reader', work, mode);
  const writer = startWorker('writer', work, mode);
  await reader.ready();
  await writer.ready();
  await sleep(1000);
  const idle = await reader.stop();
  const reader2 = startWorker('reader', work, mode);
  await reader2.ready();
  writer.reset();

  const t0 = performance.now();
  let rows: number;
  let longest: number;
  if (mode === 'batched') {
    const r = await pruneRows(db.sqlite, c);
    rows = r.deleted.trades;
    longest = r.longestTransactionMs;
  } else {
    // Yield once so the workers are surely running, then block this thread like the DELETE does.
    await sleep(10);
    const t1 = performance.now();
    rows = db.sqlite.transaction(() => db.sqlite.prepare('DELETE FROM trade_rows WHERE block_time < ?').run(c.trades).changes).immediate();
    longest = performance.now() - t1;
  }
  const seconds = (performance.now() - t0) / 1000;
  const rs = await reader2.stop();
  const ws = await writer.stop();
  await db.close();
  if (rows !== expected) throw new Error(`${mode}: deleted ${rows} rows, expected ${expected}`);
  for (const f of [work, `${work}-wal`, `${work}-shm`]) rmSync(f, { force: true });
  return {
    mode, rows, seconds, rowsPerSec: rows / seconds, readerQueries: rs.n, readerMaxMs: rs.max, readerP99Ms: rs.p99,
    writerCommits: ws.n - ws.busy, writerMaxWaitMs: ws.max, writerBusy: ws.busy, longestTransactionMs: longest, idleReaderMaxMs: idle.max,
  };
}

export async function benchPrune(trades = Number(process.env.BENCH_PRUNE_TRADES ?? 2_000_000)): Promise<PruneBenchResult> {
  const share = Number(process.env.BENCH_PRUNE_SHARE ?? 0.4);
  console.log(`prune: ${trades.toLocaleString('en-US')} synthetic trades over 60 days, deleting the oldest ${(share * 100).toFixed(0)}% beside a reader (a query every 5 ms) and a writer (10 trades every 20 ms, busy timeout 5 s)`);
  const source = await sourceDb(trades);
  const fileBytes = statSync(source).size;
  const work = join(tmpdir(), `solflow-bench-prune-work-${process.pid}.db`);
  const age = Math.round(SPAN * (1 - share));
  const batched = await run('batched', source, work, age);
  const single = await run('one DELETE', source, work, age);
  const ms = (x: number, digits = 0) => `${x.toFixed(digits)} ms`;
  console.log(`  file ${(fileBytes / 1e6).toFixed(0)} MB; reader's longest query with nothing else running: ${ms(batched.idleReaderMaxMs)}`);
  for (const r of [batched, single]) {
    console.log(
      `  ${(r.mode === 'batched' ? 'solflow prune (batched)' : 'one DELETE (baseline)').padEnd(24)} ${r.rowsPerSec.toFixed(0).padStart(7)} rows/s  ` +
        `(${r.rows.toLocaleString('en-US')} rows in ${r.seconds.toFixed(1)} s, longest transaction ${ms(r.longestTransactionMs)})   ` +
        `reader: longest wait ${ms(r.readerMaxMs)}, p99 ${ms(r.readerP99Ms, 1)}   writer: longest wait ${ms(r.writerMaxWaitMs)}, ${r.writerBusy} SQLITE_BUSY, ${r.writerCommits} commits`,
    );
  }
  console.log(
    `  ratio batched / one DELETE: ${(batched.rowsPerSec / single.rowsPerSec).toFixed(2)}x the rows/s; the writer's longest wait ` +
      `${ms(batched.writerMaxWaitMs)} vs ${ms(single.writerMaxWaitMs)} (${batched.writerBusy} vs ${single.writerBusy} SQLITE_BUSY: one DELETE held the write lock ${(single.longestTransactionMs / 1000).toFixed(1)} s); ` +
      `the reader's ${ms(batched.readerMaxMs)} vs ${ms(single.readerMaxMs)} (WAL readers never wait for the writer)`,
  );
  return { trades, fileBytes, runs: [batched, single], idleReaderMaxMs: batched.idleReaderMaxMs };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await benchPrune();
}
