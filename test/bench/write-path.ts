/**
 * Write-path throughput: synthetic trades through bot flags → rolling metrics → signals → the
 * batched writer into a real SQLite file with all its indexes (the full createPipeline path,
 * minus decode, which bench/decode.ts measures on real transactions), next to the ceiling: a
 * plain better-sqlite3 insert of the same rows (same statement, same schema and indexes,
 * parameters prepared in advance) in one transaction. Both on fresh files in a temp dir.
 *
 *   npm run bench                          (with the other benches)
 *   npx tsx test/bench/write-path.ts       (alone; BENCH_TRADES=… to change the size)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createFlowEngine } from '../../src/core/flow/index.js';
import { createPipeline } from '../../src/core/pipeline.js';
import { openDatabase } from '../../src/store/index.js';
import { TRADE_INSERT_SQL, tradeParams } from '../../src/store/rows.js';
import { synthTrades } from '../flow/gen.js';

export interface WritePathResult {
  trades: number;
  pipelineTradesPerSec: number;
  ceilingTradesPerSec: number;
  engineOnlyTradesPerSec: number;
  ratio: number;
  signals: number;
  botTrades: number;
}

export async function benchWritePath(n = Number(process.env.BENCH_TRADES ?? 300_000)): Promise<WritePathResult> {
  const trades = synthTrades({ trades: n, seed: 2024, mints: 5000, wallets: 50_000, tradesPerSlot: 20 });
  const dir = mkdtempSync(join(tmpdir(), 'solflow-bench-'));
  const BATCH = 5000;
  try {
    // Engine alone (no I/O), for context.
    let t0 = performance.now();
    const engine = createFlowEngine();
    for (let i = 0; i < trades.length; i += BATCH) {
      engine.push(trades.slice(i, i + BATCH));
      if (i % 50_000 === 0) engine.takeMetrics();
    }
    engine.flush();
    const engineMs = performance.now() - t0;

    // Full write path.
    const db = openDatabase({ path: join(dir, 'pipeline.db') });
    t0 = performance.now();
    const p = createPipeline({ db, warmStart: false, writer: { batchSize: 10_000 } });
    for (let i = 0; i < trades.length; i += BATCH) await p.ingestTrades(trades.slice(i, i + BATCH));
    const summary = await p.close();
    const pipelineMs = performance.now() - t0;
    const botTrades = db.sqlite.prepare('SELECT count(*) FROM trades WHERE is_bot = 1').pluck().get() as number;
    await db.close();
    if (summary.writer.written !== n) throw new Error(`pipeline wrote ${summary.writer.written} of ${n} trades`);

    // Ceiling: the same rows, one prepared statement, one transaction.
    const raw = openDatabase({ path: join(dir, 'ceiling.db') });
    const params = trades.map((t) => tradeParams(t, 0));
    const insert = raw.sqlite.prepare(TRADE_INSERT_SQL);
    t0 = performance.now();
    raw.sqlite.transaction(() => {
      for (const row of params) insert.run(row);
    })();
    const ceilingMs = performance.now() - t0;
    await raw.close();

    const r: WritePathResult = {
      trades: n,
      pipelineTradesPerSec: (n / pipelineMs) * 1000,
      ceilingTradesPerSec: (n / ceilingMs) * 1000,
      engineOnlyTradesPerSec: (n / engineMs) * 1000,
      ratio: ceilingMs / pipelineMs,
      signals: summary.writer.signalsWritten,
      botTrades,
    };
    const f = (x: number) => x.toFixed(0).padStart(9);
    console.log(`write path: ${n} synthetic trades, 5000 mints, 50000 wallets, SQLite WAL file with 5 trade indexes`);
    console.log(`  flags → metrics → signals → writer   ${f(r.pipelineTradesPerSec)} trades/s   (${summary.writer.batches} transactions, ${r.signals} signals, ${botTrades} bot trades, ${summary.writer.metricsWritten} metric rows)`);
    console.log(`  plain insert, one transaction         ${f(r.ceilingTradesPerSec)} trades/s   (ceiling: same rows, params prebuilt)`);
    console.log(`  ratio pipeline / ceiling              ${r.ratio.toFixed(2).padStart(9)}`);
    console.log(`  flow engine alone (no I/O)            ${f(r.engineOnlyTradesPerSec)} trades/s`);
    return r;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await benchWritePath();
}
