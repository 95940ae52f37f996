/** A backfill against an endpoint that cannot be reached leaves no new database file behind. */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, solflowAsync } from './run.js';

/** A 127.0.0.1 port nothing listens on: bound once, then closed. */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('backfill from an unreachable endpoint', { timeout: 120_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'solflow-unreachable-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('fails and removes the database file it created', async () => {
    const db = join(dir, 'new.db');
    const r = await solflowAsync(['backfill', '300000000..300000010', '-u', `http://127.0.0.1:${await deadPort()}`, '--db', db, '--retries', '0']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/127\.0\.0\.1/);
    expect(existsSync(db)).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('keeps a database that was there before', async () => {
    const db = join(dir, 'kept.db');
    const filled = await solflowAsync(['backfill', '--from', join(ROOT, 'fixtures', 'tx'), '--db', db]);
    expect(filled.code, filled.stderr).toBe(0);
    const r = await solflowAsync(['backfill', '300000000..300000010', '-u', `http://127.0.0.1:${await deadPort()}`, '--db', db, '--retries', '0']);
    expect(r.code).toBe(1);
    expect(existsSync(db)).toBe(true);
  });
});
