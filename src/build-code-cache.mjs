// The last step of the CLI build (src/build-bundle.mjs): V8 code caches for the bundle
// (dist/bundle/*.cjs.v8cache, read by src/cli/launch/load-bundle.ts), made by running the built
// CLI the way users start it most, each run with SOLFLOW_CODE_CACHE=write: at exit it saves the
// bytecode of every function it ran, on top of what the caches it started from held, so the
// caches end up holding the top level of every chunk these commands load and the functions they
// call. Commands not run here still start faster (their shared code is cached) and compile the
// rest as before.
//
// A command that fails here fails the build: it is the built CLI failing.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export async function buildCodeCache() {
  const dir = mkdtempSync(join(tmpdir(), 'solflow-code-cache-'));
  const db = join(dir, 'train.db');
  const runs = [
    ['backfill', '--from', resolve('fixtures', 'tx'), '--db', db, '--quiet'],
    ['query', 'stats', '--db', db],
    ['query', 'top-flows', '--db', db],
    ['query', 'trades', '--db', db, '--limit', '5'],
    ['--help'],
    ['query', '--help'],
  ];
  try {
    for (const args of runs) {
      const r = spawnSync(process.execPath, [resolve('bin', 'solflow.js'), ...args], {
        encoding: 'utf8',
        env: { ...process.env, SOLFLOW_CODE_CACHE: 'write', NO_COLOR: '1' },
      });
      if (r.status !== 0) throw new Error(`making the code cache: solflow ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
