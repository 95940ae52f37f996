/**
 * Start-up: how long `solflow --help` and `solflow query stats` take as a user runs them (the
 * built CLI, a fresh process each time), against bare Node (`node -e 0`) on the same machine,
 * as a ratio. Each subcommand's code loads only when it runs, so --help loads commander and the
 * command specs, and `query stats` adds the store and that one report.
 *
 *   npm run bench                      (with the other benches)
 *   npx tsx test/bench/startup.ts      (alone; builds dist/ first if it is missing)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'solflow.js');

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Median wall time of `node args…` over `runs` fresh processes, ms. */
function timeNode(args: string[], runs: number): number {
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8' });
    ms.push(performance.now() - t0);
    if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  }
  return median(ms);
}

export async function benchStartup(runs = Number(process.env.BENCH_STARTUP_RUNS ?? 15)): Promise<{ bareMs: number; helpMs: number; statsMs: number }> {
  if (!existsSync(join(ROOT, 'dist', 'cli', 'main.js'))) {
    const b = spawnSync('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: ROOT, stdio: 'inherit' });
    if (b.status !== 0) throw new Error('build failed');
  }
  const dir = mkdtempSync(join(tmpdir(), 'solflow-bench-startup-'));
  try {
    const db = join(dir, 'startup.db');
    const fill = spawnSync(process.execPath, [BIN, 'backfill', '--from', join(ROOT, 'fixtures', 'tx'), '--db', db, '--quiet'], { cwd: ROOT, encoding: 'utf8' });
    if (fill.status !== 0) throw new Error(`could not fill ${db}: ${fill.stderr}`);
    // Interleaved, so a busy moment on the machine hits all three alike.
    const bare: number[] = [];
    const help: number[] = [];
    const stats: number[] = [];
    for (let i = 0; i < runs; i++) {
      bare.push(timeNode(['-e', '0'], 1));
      help.push(timeNode([BIN, '--help'], 1));
      stats.push(timeNode([BIN, 'query', 'stats', '--db', db], 1));
    }
    const bareMs = median(bare);
    const helpMs = median(help);
    const statsMs = median(stats);
    console.log(`start-up (median of ${runs} fresh processes each, interleaved)`);
    console.log(`  node -e 0                 ${bareMs.toFixed(0).padStart(5)} ms`);
    console.log(`  solflow --help            ${helpMs.toFixed(0).padStart(5)} ms   ${(helpMs / bareMs).toFixed(2)}x bare node`);
    console.log(`  solflow query stats       ${statsMs.toFixed(0).padStart(5)} ms   ${(statsMs / bareMs).toFixed(2)}x bare node`);
    return { bareMs, helpMs, statsMs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await benchStartup();
}
