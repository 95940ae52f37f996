/**
 * Start-up: how long `solflow --help`, `query stats`, `query top-flows` and `analyze --help` take
 * as a user runs them (the built CLI, a fresh process each time), against bare Node (`node -e 0`)
 * on the same machine, as a ratio, and against the floor (startup-floor.mjs: the same libraries
 * doing the least a stats command can). Each subcommand's code loads only when it runs, so --help
 * loads commander and the command specs; `query stats` adds the SQLite store and that one report
 * (no Kysely, no Postgres driver); `query top-flows` adds Kysely and the shared reports.
 *
 * The bundle is compiled with V8's code cache that `npm run build` makes (src/cli/launch/
 * load-bundle.ts): the plain rows are the warm cache, as every run after a build is; the rows
 * marked "no code cache" run with SOLFLOW_CODE_CACHE=off, compiling every file from source as
 * a run whose cache is missing or refused (another Node, other V8 flags) does.
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
const FLOOR = join(ROOT, 'test', 'bench', 'startup-floor.mjs');

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Median wall time of `node args…` over `runs` fresh processes, ms. */
function timeNode(args: string[], runs: number, env: NodeJS.ProcessEnv = process.env): number {
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', env });
    ms.push(performance.now() - t0);
    if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  }
  return median(ms);
}

const NO_CODE_CACHE = { ...process.env, SOLFLOW_CODE_CACHE: 'off' };

/** The commands timed, each a fresh `node bin/solflow.js …`; `{db}` is a filled database. */
const COMMANDS: Array<[label: string, args: string[], env?: NodeJS.ProcessEnv]> = [
  ['solflow --help', ['--help']],
  ['solflow query stats', ['query', 'stats', '--db', '{db}']],
  ['solflow query top-flows', ['query', 'top-flows', '--db', '{db}']],
  ['solflow analyze --help', ['analyze', '--help']],
  ['--help, no code cache', ['--help'], NO_CODE_CACHE],
  ['query stats, no code cache', ['query', 'stats', '--db', '{db}'], NO_CODE_CACHE],
];

export async function benchStartup(runs = Number(process.env.BENCH_STARTUP_RUNS ?? 15)): Promise<{ bareMs: number; floorMs: number; ms: Record<string, number> }> {
  if (!existsSync(join(ROOT, 'dist', 'bundle', 'main.cjs'))) {
    const b = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
    if (b.status !== 0) throw new Error('build failed');
  }
  const dir = mkdtempSync(join(tmpdir(), 'solflow-bench-startup-'));
  try {
    const db = join(dir, 'startup.db');
    const fill = spawnSync(process.execPath, [BIN, 'backfill', '--from', join(ROOT, 'fixtures', 'tx'), '--db', db, '--quiet'], { cwd: ROOT, encoding: 'utf8' });
    if (fill.status !== 0) throw new Error(`could not fill ${db}: ${fill.stderr}`);
    // Interleaved, so a busy moment on the machine hits bare Node and every command alike.
    const bare: number[] = [];
    const floor: number[] = [];
    const times = COMMANDS.map((): number[] => []);
    for (let i = 0; i < runs; i++) {
      bare.push(timeNode(['-e', '0'], 1));
      floor.push(timeNode([FLOOR, 'stats', '--db', db], 1));
      COMMANDS.forEach(([, args, env], c) => times[c].push(timeNode([BIN, ...args.map((a) => a.replace('{db}', db))], 1, env)));
    }
    const bareMs = median(bare);
    const ms: Record<string, number> = {};
    console.log(`start-up (median of ${runs} fresh processes each, interleaved)`);
    const floorMs = median(floor);
    console.log(`  ${'node -e 0'.padEnd(28)}${bareMs.toFixed(0).padStart(5)} ms`);
    console.log(`  ${'floor: stack only'.padEnd(28)}${floorMs.toFixed(0).padStart(5)} ms   ${(floorMs / bareMs).toFixed(2)}x bare node   (commander + better-sqlite3 + cli-table3, startup-floor.mjs)`);
    COMMANDS.forEach(([label], c) => {
      ms[label] = median(times[c]);
      console.log(`  ${label.padEnd(28)}${ms[label].toFixed(0).padStart(5)} ms   ${(ms[label] / bareMs).toFixed(2)}x bare node   ${(ms[label] / floorMs).toFixed(2)}x floor`);
    });
    return { bareMs, floorMs, ms };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await benchStartup();
}
