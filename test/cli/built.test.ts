/**
 * The CLI as `npm install` builds it (bin/solflow.js → the esbuild bundle in dist/bundle/):
 * the parts that find files at run time rather than through imports — the writer thread's
 * worker script, the migrations in sql/, the bundled fixtures — are found from the bundle's
 * flat directory as they are from src/ under the other tests.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, solflow } from './run.js';

const dir = mkdtempSync(join(tmpdir(), 'solflow-built-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the built CLI', () => {
  it('backfills files through its writer thread into a freshly migrated database, and reads them back', () => {
    const db = join(dir, 'files.db');
    const fill = solflow(['backfill', '--from', join(ROOT, 'fixtures', 'tx'), '--db', db]);
    expect(fill.code).toBe(0);
    expect(fill.stderr.trim()).toMatch(/^read 155 transactions from .*: 136 trades, 136 new in the database$/);
    const stats = solflow(['query', 'stats', '--db', db, '--format', 'json']);
    expect(stats.code).toBe(0);
    expect(JSON.parse(stats.stdout)).toMatchObject({ schema_version: 6, rows_trades: 136 });
  });

  it('runs the demo from the bundled fixtures', () => {
    const r = solflow(['demo', '--db', join(dir, 'demo.db')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/top-flows/);
  });
});
