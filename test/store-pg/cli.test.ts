/**
 * The built CLI on a PostgreSQL URL: backfill, `query sql` refusing a write (exit 2), prune with
 * its advisory lock held elsewhere (exit 75, naming the holder) and then for real — and the
 * password in the URL appears in no output at all.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { takeAdvisoryLock } from '../../src/store/postgres/lock.js';
import { ROOT, solflowAsync } from '../cli/run.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres/database.js';

let db: TestDatabase;
let password: string;
const outputs: string[] = [];

async function run(args: string[]) {
  const r = await solflowAsync([...args, '--db', db.url]);
  outputs.push(r.stdout, r.stderr);
  return r;
}

beforeAll(async () => {
  db = await createTestDatabase('cli');
  password = decodeURIComponent(new URL(db.url).password);
  const r = await run(['backfill', '--from', join(ROOT, 'fixtures', 'tx')]);
  expect(r.code, r.stderr).toBe(0);
}, 120_000);

afterAll(async () => {
  await db?.drop();
});

describe('the CLI on PostgreSQL', { timeout: 120_000 }, () => {
  it('query sql reads, and refuses a write with exit 2', async () => {
    const ok = await run(['query', 'sql', 'SELECT count(*) AS n FROM trades', '--json']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout.trim()).n).toBeGreaterThan(100);
    const refused = await run(['query', 'sql', 'DELETE FROM trades']);
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('a second prune exits 75 naming the holder of the advisory lock; then prune runs', async () => {
    const held = await takeAdvisoryLock(db.url, 'prune');
    const blocked = await run(['prune', '--older-than', '365d']);
    await held.release();
    expect(blocked.code).toBe(75);
    expect(blocked.stderr).toMatch(new RegExp(`^solflow: another prune is running on postgres://\\*\\*\\*:\\*\\*\\*@127\\.0\\.0\\.1:\\d+/\\S+ \\(pid ${process.pid} on .+\\); exiting\\n$`));
    const r = await run(['prune', '--older-than', '365d', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s.deleted.trades).toBeGreaterThan(10);
    const left = await run(['query', 'sql', `SELECT count(*) AS n FROM trades`, '--json']);
    expect(JSON.parse(left.stdout.trim()).n).toBeGreaterThan(0);
  });

  it('no output ever contained the password', () => {
    expect(outputs.length).toBeGreaterThan(8);
    for (const o of outputs) {
      expect(o).not.toContain(password);
      expect(o).not.toContain(encodeURIComponent(password));
    }
  });
});
