/**
 * Write-path throughput: synthetic trades through bot flags → rolling metrics → signals → the
 * batched writer into a real SQLite file with all its indexes (the full createPipeline path with
 * its default options, minus decode, which bench/decode.ts measures on real transactions), next
 * to the ceiling: a plain better-sqlite3 insert of the same rows (same statement, same schema,
 * indexes and pragmas, parameters prepared in advance) in one transaction. All on fresh files in
 * a temp dir, in one process, so the ratios hold even on a busy machine.
 *
 * Trades are handed to the engine as a backfill's decoder hands them (adopt: annotated in place,
 * not copied); each run resets the flags it finds on them.
 *
 * The pipeline runs twice: with the writer on its own thread (writerThread: true, as backfill
 * --from and demo run it) and on the engine's thread (the default, as an RPC backfill runs it).
 *
 * For what limits the pipeline, the writer thread alone, fed the engine's output computed
 * beforehand: the pipeline cannot beat it.
 *
 * For what limits the ceiling, three more plain inserts of the same rows: in transactions of the
 * writer's batch size (what committing as you go costs), the same building each row as it goes
 * (what the writer does besides SQLite), and into a file with only the idempotency key (what the
 * secondary indexes analyze/query/prune read cost).
 *
 * And the CPU each trade took over all threads (pipeline, ceiling, engine alone), with the rate
 * that CPU allows on this machine's cores: wall-clock ratios alone cannot tell a slow pipeline
 * from a machine with too few cores for the work.
 *
 *   npm run bench                          (with the other benches)
 *   npx tsx test/bench/write-path.ts       (alone; BENCH_TRADES=… to change the size)
 */
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { createFlowEngine } from '../../src/core/flow/index.js';
import { createPipeline } from '../../src/core/pipeline.js';
import type { Trade } from '../../src/core/trade.js';
import { openDatabase, sqliteStore } from '../../src/store/sqlite/index.js';
import { createAddressBook, TRADE_INSERT_SQL, tradeParams } from '../../src/store/sqlite/rows.js';
import { DEFAULT_BATCH_SIZE, type WriteBatch } from '../../src/store/sqlite/writer.js';
import { createThreadedWriter } from '../../src/store/sqlite/writer-thread.js';
import { synthTrades } from '../flow/gen.js';
import { tempDir } from '../store/tmp.js';

export interface WritePathResult {
  trades: number;
  pipelineTradesPerSec: number;
  /** The same pipeline with the writer on the caller's thread (writerThread: false). */
  sameThreadTradesPerSec: number;
  /** The writer thread fed the engine's output computed beforehand: the pipeline's upper bound. */
  writerAloneTradesPerSec: number;
  ceilingTradesPerSec: number;
  /** The same plain insert, committed every DEFAULT_BATCH_SIZE rows. */
  batchedCeilingTradesPerSec: number;
  /** The batched plain insert with each row built as it goes (address ids, parameters). */
  buildingRowsTradesPerSec: number;
  /** The same plain insert into a file with only the unique trade key (slot, sig_key, ix_path). */
  keyOnlyCeilingTradesPerSec: number;
  engineOnlyTradesPerSec: number;
  /** pipeline / ceiling */
  ratio: number;
  /** CPU time per trade over all the process's threads (GC helpers included), in µs. */
  pipelineCpuUsPerTrade: number;
  ceilingCpuUsPerTrade: number;
  engineCpuUsPerTrade: number;
  /** What that CPU time allows on this machine's cores, however well the work were spread. */
  cores: number;
  signals: number;
  botTrades: number;
}

/** The ingest batches a source hands the pipeline. */
const INGEST_BATCH = 5000;

export async function benchWritePath(n = Number(process.env.BENCH_TRADES ?? 300_000)): Promise<WritePathResult> {
  const trades = synthTrades({ trades: n, seed: 2024, mints: 5000, wallets: 50_000, tradesPerSlot: 20 });
  const tmp = tempDir('solflow-bench-');
  try {
    // Engine alone (no I/O), for context; its output is dropped, so the runs below do not carry it.
    const engineClock = stopwatch();
    engineOutput(trades);
    const { ms: engineMs, cpu: engineCpu } = engineClock();

    // Full write path with the writer on its own thread, then on the engine's.
    const run = async (file: string, writerThread: boolean, input = trades) => {
      const db = openDatabase({ path: tmp.file(file) });
      const clock = stopwatch();
      const p = await createPipeline({ store: sqliteStore(db), writerThread });
      for (let i = 0; i < input.length; i += INGEST_BATCH) await p.ingestTrades(input.slice(i, i + INGEST_BATCH), { adopt: true });
      const summary = await p.close();
      const { ms, cpu } = clock();
      const botTrades = db.sqlite.prepare('SELECT count(*) FROM trades WHERE is_bot = 1').pluck().get() as number;
      await db.close();
      if (summary.writer.written !== input.length) throw new Error(`pipeline wrote ${summary.writer.written} of ${input.length} trades`);
      return { ms, cpu, summary, botTrades };
    };
    // Warm both paths first: whichever ran first would otherwise pay for compiling the writer.
    const warmup = trades.slice(0, Math.min(n, 30_000));
    await run('warm-threaded.db', true, warmup);
    await run('warm-same.db', false, warmup);
    const { ms: pipelineMs, cpu: pipelineCpu, summary, botTrades } = await run('pipeline.db', true);
    const { ms: sameThreadMs } = await run('same-thread.db', false);

    const writerAloneMs = await writerAlone(tmp.file('writer-alone.db'), engineOutput(trades), n);

    const { ms: ceilingMs, cpu: ceilingCpu } = await plainInsert(tmp.file('ceiling.db'), trades, n);
    const { ms: batchedMs } = await plainInsert(tmp.file('batched.db'), trades, DEFAULT_BATCH_SIZE);
    const { ms: buildingMs } = await plainInsert(tmp.file('building.db'), trades, DEFAULT_BATCH_SIZE, { buildRows: true });
    const { ms: keyOnlyMs } = await plainInsert(tmp.file('key-only.db'), trades, n, { setup: 'DROP INDEX trades_trader_time; DROP INDEX trades_mint_time; DROP INDEX trades_time;' });

    const rate = (ms: number) => (n / ms) * 1000;
    const r: WritePathResult = {
      trades: n,
      pipelineTradesPerSec: rate(pipelineMs),
      sameThreadTradesPerSec: rate(sameThreadMs),
      writerAloneTradesPerSec: rate(writerAloneMs),
      ceilingTradesPerSec: rate(ceilingMs),
      batchedCeilingTradesPerSec: rate(batchedMs),
      keyOnlyCeilingTradesPerSec: rate(keyOnlyMs),
      buildingRowsTradesPerSec: rate(buildingMs),
      engineOnlyTradesPerSec: rate(engineMs),
      ratio: ceilingMs / pipelineMs,
      signals: summary.writer.signalsWritten,
      botTrades,
      pipelineCpuUsPerTrade: pipelineCpu / n,
      ceilingCpuUsPerTrade: ceilingCpu / n,
      engineCpuUsPerTrade: engineCpu / n,
      cores: availableParallelism(),
    };
    const f = (x: number) => x.toFixed(0).padStart(9);
    const w = summary.writer;
    console.log(`write path: ${n} synthetic trades, 5000 mints, 50000 wallets, SQLite WAL file with 4 trade indexes`);
    console.log(`  flags → metrics → signals → writer   ${f(r.pipelineTradesPerSec)} trades/s   writer on its own thread   (${w.batches} transactions, ${r.signals} signals, ${botTrades} bot trades, ${w.metricsWritten} metric rows)`);
    console.log(`    same, writer on the engine's thread  ${f(r.sameThreadTradesPerSec)} trades/s   (writerThread: false; the threaded run takes ${(pipelineMs / sameThreadMs).toFixed(2)}x its time)`);
    console.log(`    writer thread alone                  ${f(r.writerAloneTradesPerSec)} trades/s   (the engine's output computed beforehand: the most the pipeline can do)`);
    console.log(`  plain insert, one transaction         ${f(r.ceilingTradesPerSec)} trades/s   (ceiling: same rows, params prebuilt)`);
    console.log(`  ratio pipeline / ceiling              ${r.ratio.toFixed(2).padStart(9)}`);
    console.log(`  what limits the ceiling, and what the writer adds to it:`);
    console.log(`    plain insert, ${DEFAULT_BATCH_SIZE}-row transactions  ${f(r.batchedCeilingTradesPerSec)} trades/s   (the writer's batch size: each commit rewrites the index pages it touched)`);
    console.log(`    same, each row built as it goes     ${f(r.buildingRowsTradesPerSec)} trades/s   (address ids looked up or inserted, parameters made, per trade: the writer's work besides SQLite)`);
    console.log(`    plain insert, unique key only       ${f(r.keyOnlyCeilingTradesPerSec)} trades/s   (without the trader, mint and time indexes readers use)`);
    console.log(`  flow engine alone (no I/O)            ${f(r.engineOnlyTradesPerSec)} trades/s`);
    const us = (x: number) => `${x.toFixed(1)} µs`;
    const most = (cpuUs: number) => ((r.cores * 1e6) / cpuUs).toFixed(0);
    console.log(`  CPU per trade, all threads: pipeline ${us(r.pipelineCpuUsPerTrade)}, ceiling ${us(r.ceilingCpuUsPerTrade)}, engine alone ${us(r.engineCpuUsPerTrade)}`);
    console.log(`    on ${r.cores} cores that CPU allows at most: the pipeline ${most(r.pipelineCpuUsPerTrade)} trades/s; the engine plus the ceiling, spread perfectly, ${most(r.engineCpuUsPerTrade + r.ceilingCpuUsPerTrade)} trades/s`);
    return r;
  } finally {
    tmp.cleanup();
  }
}

/**
 * Started now; each call reads the wall time (ms) and the CPU time (µs, user + system, over every
 * thread of the process) since.
 */
function stopwatch(): () => { ms: number; cpu: number } {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  return () => {
    const d = process.cpuUsage(c0);
    return { ms: performance.now() - t0, cpu: d.user + d.system };
  };
}

/**
 * What the engine hands the writer for these trades, with the metric snapshots the pipeline's
 * run writes (its 5 s timer fires about once mid-run, then the final one).
 */
function engineOutput(trades: Trade[]): WriteBatch[] {
  const engine = createFlowEngine();
  const batches: WriteBatch[] = [];
  const middle = Math.floor(trades.length / 2 / INGEST_BATCH) * INGEST_BATCH;
  for (let i = 0; i < trades.length; i += INGEST_BATCH) {
    const out = engine.push(trades.slice(i, i + INGEST_BATCH), { adopt: true });
    batches.push({ trades: out.trades, lateTrades: out.late, signals: out.signals });
    if (i === middle) batches.push({ metrics: engine.takeMetrics() });
  }
  const last = engine.flush();
  batches.push({ trades: last.trades, lateTrades: last.late, signals: last.signals, metrics: last.metrics });
  return batches;
}

/** The threaded writer alone, fed `batches` as fast as it takes them; returns ms. */
async function writerAlone(path: string, batches: readonly WriteBatch[], n: number): Promise<number> {
  const db = openDatabase({ path });
  try {
    const writer = createThreadedWriter(db.sqlite, db.path);
    const clock = stopwatch();
    for (const b of batches) await writer.write(b);
    await writer.close();
    const { ms } = clock();
    if (writer.counters().written !== n) throw new Error(`the writer wrote ${writer.counters().written} of ${n} trades`);
    return ms;
  } finally {
    await db.close();
  }
}

/**
 * Insert the trades' rows with one prepared statement, committing every `perTx` rows; returns
 * the wall time (ms) and CPU time (µs) of the inserts. The same rows the writer stores: each address once in `addresses` and one trade_rows row
 * per trade.
 *  - By default (the ceiling) every parameter is built beforehand and the addresses go in first,
 *    with the ids the trade rows refer to.
 *  - `buildRows`: each row is built as it is inserted, as the writer does: the address book
 *    (rows.ts) looks up, or inserts, each address, and tradeParams runs per trade. What building
 *    rows costs on top of the ceiling, whichever thread does it.
 */
async function plainInsert(path: string, trades: Trade[], perTx: number, opts: { setup?: string; buildRows?: boolean } = {}): Promise<{ ms: number; cpu: number }> {
  const db = openDatabase({ path });
  try {
    if (opts.setup) db.sqlite.exec(opts.setup);
    const insert = db.sqlite.prepare(TRADE_INSERT_SQL);
    let tx: (from: number, to: number) => void;
    if (opts.buildRows) {
      const book = createAddressBook(db.sqlite);
      tx = (from, to) => {
        for (let i = from; i < to; i++) insert.run(tradeParams(trades[i], 0, book.id));
      };
    } else {
      const ids = new Map<string, number>();
      const id = (address: string) => {
        let v = ids.get(address);
        if (v === undefined) ids.set(address, (v = ids.size + 1));
        return v;
      };
      const params = trades.map((t) => tradeParams(t, 0, id));
      const insertAddress = db.sqlite.prepare('INSERT INTO addresses (address, id) VALUES (?, ?)');
      tx = (from, to) => {
        if (from === 0) for (const a of ids) insertAddress.run(a);
        for (let i = from; i < to; i++) insert.run(params[i]);
      };
    }
    const transaction = db.sqlite.transaction(tx);
    const clock = stopwatch();
    for (let i = 0; i < trades.length; i += perTx) transaction.immediate(i, Math.min(trades.length, i + perTx));
    return clock();
  } finally {
    await db.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await benchWritePath();
}
