/**
 * Files and directories users cannot write: a read-only database (mode 444 in a read-only
 * directory) is still queryable, and a writer says plainly what it cannot create or write.
 * Run as a user the modes bind (nobody, when the tests run as root).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, solflowAsync } from './run.js';

const asUser = process.getuid?.() === 0 ? ['runuser', '-u', 'nobody', '--'] : [];

function solflowAs(args: string[]) {
  const [cmd, ...pre] = [...asUser, process.execPath];
  const r = spawnSync(cmd, [...pre, join(ROOT, 'bin', 'solflow.js'), ...args], { cwd: '/', encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('databases that cannot be written', { timeout: 120_000 }, () => {
  const top = mkdtempSync(join(tmpdir(), 'solflow-perm-test-'));
  const ro = join(top, 'ro');
  const db = join(ro, 'trades.db');
  beforeAll(async () => {
    chmodSync(top, 0o755);
    mkdirSync(ro);
    const src = join(top, 'src.db');
    const r = await solflowAsync(['backfill', '--from', join(ROOT, 'fixtures', 'tx'), '--db', src]);
    expect(r.code, r.stderr).toBe(0);
    copyFileSync(src, db); // closed cleanly: no -wal left, WAL mode recorded in the file
    chmodSync(db, 0o444);
    chmodSync(ro, 0o555);
  });
  afterAll(() => {
    chmodSync(ro, 0o755);
    rmSync(top, { recursive: true, force: true });
  });

  it('queries a read-only file in a read-only directory', () => {
    const stats = solflowAs(['query', 'stats', '--db', db, '--json']);
    expect(stats.code, stats.stderr).toBe(0);
    expect(JSON.parse(stats.stdout).rows_trades).toBeGreaterThan(100);
    const trades = solflowAs(['query', 'trades', '--db', db, '--limit', '3', '--json']);
    expect(trades.code, trades.stderr).toBe(0);
    expect(trades.stdout.trim().split('\n')).toHaveLength(3);
    expect(existsSync(`${db}-shm`)).toBe(false);
  });

  it('says which file it cannot create, and why, in a directory it cannot write', () => {
    const target = join(ro, 'new.db');
    const r = solflowAs(['backfill', '--from', join(ROOT, 'fixtures', 'tx'), '--db', target]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`solflow: cannot create ${target} (directory not writable)\n`);
    expect(existsSync(target)).toBe(false);
  });

  it('prune names the file it cannot write', () => {
    const r = solflowAs(['prune', '--older-than', '1d', '--db', db]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(`cannot write ${db} (file not writable`);
  });
});
