/** Errors that tell users what to run: commands that exist, not "ingest something first". */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { solflow } from './run.js';

describe('messages that say what to run', () => {
  const dir = mkdtempSync(join(tmpdir(), 'solflow-messages-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a missing database names backfill, ingest and demo', () => {
    const missing = join(dir, 'missing.db');
    const r = solflow(['query', 'stats', '--db', missing]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`solflow: no database at ${missing}; fill one with solflow backfill … or solflow ingest (or try solflow demo), or pass --db PATH\n`);
  });

  it('a file with no schema names backfill and ingest', () => {
    const empty = join(dir, 'empty.db');
    writeFileSync(empty, '');
    const r = solflow(['query', 'stats', '--db', empty]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('not a solflow database yet (no schema); fill it with solflow backfill … or solflow ingest');
    expect(r.stderr).not.toMatch(/something/);
  });
});
