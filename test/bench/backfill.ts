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
 *
 * `benchBackfillMatrix` (backfill-main.ts --matrix) runs the learned-limit case against other
 * endpoints: other limits and latencies, shallow and deep bursts, fixed windows the way
 * providers publish them, and a limit that falls or rises mid-run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBackfillCommand } from '../../src/cli/shared/backfill-run.js';
import { captureIo } from '../support/cli-io.js';
import { startReplay, type Faults } from '../support/replay/index.js';

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
  for (const r of results) print(r);
  const [given, learned] = results;
  console.log(`  learned ÷ given (same process): ${(learned.allowanceUsed / given.allowanceUsed).toFixed(3)} of the allowance used`);
  return results;
}

function print(r: BackfillBenchResult): void {
  console.log(
    `  ${r.scenario.padEnd(30)} ${r.txPerSecond.toFixed(0).padStart(5)} tx/s · ${(r.allowanceUsed * 100).toFixed(1)}% of the allowance · ` +
      `${(r.throttledShare * 100).toFixed(2)}% 429s · ${r.blocks} blocks, ${r.transactions} tx in ${r.seconds.toFixed(1)} s (exit ${r.exitCode})`,
  );
}

interface Endpoint {
  faults: Faults;
  /** Calls/s the endpoint allows on average (what "the allowance" is measured against). */
  limit: number;
  /** Change the faults this many ms into the run (a plan or a provider changing its mind). */
  change?: { afterMs: number; faults: Faults; limit: number };
  /** Run this many times longer than the others (a 10 s window needs several to learn). */
  longer?: number;
}

/** Learned-limit backfills against other endpoints, each ~`seconds` of work (default 10). */
export async function benchBackfillMatrix(): Promise<BackfillBenchResult[]> {
  const seconds = Number(process.env.BENCH_BACKFILL_SECONDS ?? 10);
  const cases: Array<[string, Endpoint]> = [
    ['50/s, 50 ms', { limit: 50, faults: { rps: 50, latencyMs: 50 } }],
    ['1000/s, 10 ms', { limit: 1000, faults: { rps: 1000, latencyMs: 10 } }],
    ['200/s, 10 ms', { limit: 200, faults: { rps: 200, latencyMs: 10 } }],
    ['200/s, 200 ms (32 in flight)', { limit: 160, faults: { rps: 200, latencyMs: 200 } }],
    ['200/s, burst 5', { limit: 200, faults: { rps: 200, burst: 5, latencyMs: 50 } }],
    ['200/s, burst 200', { limit: 200, faults: { rps: 200, burst: 200, latencyMs: 50 } }],
    ['200 per 1 s window', { limit: 200, faults: { windows: [{ calls: 200, ms: 1000 }], latencyMs: 50 } }],
    ['1000 per 10 s window', { limit: 100, faults: { windows: [{ calls: 1000, ms: 10_000 }], latencyMs: 50 }, longer: 4 }],
    ['200/s → 100/s at 5 s', { limit: 200, faults: { rps: 200, latencyMs: 50 }, change: { afterMs: 5000, faults: { rps: 100, latencyMs: 50 }, limit: 100 } }],
    ['100/s → 200/s at 5 s', { limit: 100, faults: { rps: 100, latencyMs: 50 }, change: { afterMs: 5000, faults: { rps: 200, latencyMs: 50 }, limit: 200 } }],
  ];
  console.log('backfill, limit learned (no --rps), concurrency 32, against other endpoints; allowance = what the endpoint allows over the run');
  const results: BackfillBenchResult[] = [];
  for (const [name, endpoint] of cases) {
    const calls = seconds * (endpoint.longer ?? 1) * (endpoint.change ? (endpoint.limit + endpoint.change.limit) / 2 : endpoint.limit);
    const r = await runScenario(name, undefined, Math.max(1, Math.ceil((calls * 2) / 155)), 2, endpoint);
    results.push(r);
    print(r);
  }
  return results;
}

async function runScenario(scenario: string, rps: string | undefined, copies: number, txPerBlock: number, endpoint?: Endpoint): Promise<BackfillBenchResult> {
  const ep: Endpoint = endpoint ?? { limit: LIMIT, faults: { latencyMs: LATENCY_MS, rps: LIMIT } };
  const server = await startReplay({ copies, txPerBlock, skipEvery: 0, faults: ep.faults });
  const dir = mkdtempSync(join(tmpdir(), 'solflow-bench-backfill-'));
  let changedAt: number | null = null;
  const timer = ep.change
    ? setTimeout(() => {
        changedAt = Date.now();
        server.setFaults(ep.change!.faults);
      }, ep.change.afterMs)
    : null;
  try {
    const io = captureIo();
    const range = `${server.chain.firstSlot}..${server.chain.lastSlot}`;
    const code = await runBackfillCommand(range, { rpc: server.url, db: join(dir, 'bench.db'), rps, concurrency: '32', json: true }, io);
    const report = JSON.parse(io.stdout[io.stdout.length - 1] ?? '{}');
    const s = server.stats;
    const first = s.firstServedAt ?? 0;
    const last = s.lastServedAt ?? 0;
    const window = (last - first) / 1000;
    // What the endpoint allowed over the run, piecewise when its limit changed.
    const at = changedAt !== null && changedAt < last ? Math.max(first, changedAt) : last;
    const allowed = ((at - first) / 1000) * ep.limit + ((last - at) / 1000) * (ep.change?.limit ?? ep.limit);
    return {
      scenario,
      seconds: window,
      blocks: report.blocks ?? 0,
      transactions: report.transactions ?? 0,
      txPerSecond: (report.transactions ?? 0) / window,
      allowanceUsed: s.served / allowed,
      throttledShare: s.throttled / Math.max(1, s.calls),
      exitCode: code,
    };
  } finally {
    if (timer) clearTimeout(timer);
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
