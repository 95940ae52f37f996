/**
 * Backfill throughput against a rate-limited, slow endpoint: the replay server with 50 ms
 * latency and a 200 calls/s limit (429 + Retry-After past it), a chain of real recorded
 * transactions long enough for ~BENCH_BACKFILL_SECONDS of work at the limit.
 *
 * Reported per scenario: transactions/s stored, the share of the allowance used (calls the
 * server served per second ÷ 200) and the share of calls answered 429. Two scenarios: the user
 * passes the plan's limit (--rps 200), and the user passes nothing (the client learns it).
 * Goal: ≥ 90% of the allowance with < 2% 429s.
 *
 * Run alone: npx vite-node test/bench/backfill-main.ts   (BENCH_BACKFILL_SECONDS=20 by default)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBackfillCommand } from '../../src/cli/backfill.js';
import { captureIo } from '../support/cli-io.js';
import { startReplay } from '../support/replay/index.js';

const LIMIT = 200;
const LATENCY_MS = 50;

export interface BackfillBenchResult {
  scenario: string;
  seconds: number;
  blocks: number;
  transactions: number;
  txPerSecond: number;
  /** Calls served per second ÷ the limit. */
  allowanceUsed: number;
  /** Calls answered 429 ÷ calls sent. */
  throttledShare: number;
  exitCode: number;
}

export async function benchBackfill(): Promise<BackfillBenchResult[]> {
  const seconds = Number(process.env.BENCH_BACKFILL_SECONDS ?? 20);
  const txPerBlock = 2;
  // ~155 recorded transactions per copy; enough blocks for `seconds` at the limit.
  const copies = Math.max(1, Math.ceil((seconds * LIMIT * txPerBlock) / 155));
  const results: BackfillBenchResult[] = [];
  console.log(`backfill: replay server, ${LATENCY_MS} ms latency, ${LIMIT} calls/s limit (429 + Retry-After), ${txPerBlock} real tx per block`);
  for (const [scenario, rps] of [
    ['--rps 200 (plan limit given)', String(LIMIT)],
    ['no --rps (limit learned)', undefined],
  ] as const) {
    results.push(await runScenario(scenario, rps, copies, txPerBlock));
  }
  for (const r of results) {
    console.log(
      `  ${r.scenario.padEnd(30)} ${r.txPerSecond.toFixed(0).padStart(5)} tx/s · ${(r.allowanceUsed * 100).toFixed(1)}% of the allowance · ` +
        `${(r.throttledShare * 100).toFixed(2)}% 429s · ${r.blocks} blocks, ${r.transactions} tx in ${r.seconds.toFixed(1)} s (exit ${r.exitCode})`,
    );
  }
  return results;
}

async function runScenario(scenario: string, rps: string | undefined, copies: number, txPerBlock: number): Promise<BackfillBenchResult> {
  const server = await startReplay({ copies, txPerBlock, skipEvery: 0, faults: { latencyMs: LATENCY_MS, rps: LIMIT } });
  const dir = mkdtempSync(join(tmpdir(), 'solflow-bench-backfill-'));
  try {
    const io = captureIo();
    const range = `${server.chain.firstSlot}..${server.chain.lastSlot}`;
    const code = await runBackfillCommand(range, { rpc: server.url, db: join(dir, 'bench.db'), rps, concurrency: '32', json: true }, io);
    const report = JSON.parse(io.stdout[io.stdout.length - 1] ?? '{}');
    const s = server.stats;
    const window = ((s.lastServedAt ?? 0) - (s.firstServedAt ?? 0)) / 1000;
    return {
      scenario,
      seconds: window,
      blocks: report.blocks ?? 0,
      transactions: report.transactions ?? 0,
      txPerSecond: (report.transactions ?? 0) / window,
      allowanceUsed: s.served / window / LIMIT,
      throttledShare: s.throttled / Math.max(1, s.calls),
      exitCode: code,
    };
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
