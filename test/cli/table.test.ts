/**
 * Tables for people: a header rule and no lines between rows, numbers right-aligned, one header
 * style, and never wider than the terminal (columns dropped or shortened by priority) unless
 * --wide or the output is not a terminal.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fitColumns, groupDigits, headerText, plural, renderTable } from '../../src/cli/format.js';
import { ROOT, solflow, solflowAsync } from './run.js';

describe('the shared table helper', () => {
  it("groups whole numbers as toLocaleString('en-US') does (which stats and prune printed before)", () => {
    for (const n of [0, 7, 999, 1000, -1000, 123456, 1234567, -9876543210, Number.MAX_SAFE_INTEGER]) expect(groupDigits(n)).toBe(n.toLocaleString('en-US'));
    fc.assert(fc.property(fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), (n) => groupDigits(n) === n.toLocaleString('en-US')), { seed: 17, numRuns: 2000 });
    expect(groupDigits(12345678901234567890n)).toBe('12,345,678,901,234,567,890');
  });

  it('draws a header rule and no separator between rows; numbers are right-aligned', () => {
    const text = renderTable(['name', 'n'], [['a', '1'], ['bbb', '123']], [1], [], Infinity);
    expect(text.split('\n')).toEqual(['name    n', '────  ───', 'a       1', 'bbb   123']);
  });

  it('drops the lowest-priority column first (rightmost among equals) and never exceeds the width', () => {
    const head = ['keep', 'low', 'mid', 'low2'];
    const rows = [['aaaaaaaaaa', 'bbbbbbbbbb', 'cccccccccc', 'dddddddddd']];
    const fit = [{ priority: 9 }, { priority: 1 }, { priority: 5 }, { priority: 1 }];
    const text = renderTable(head, rows, [], fit, 34);
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(34);
    expect(text).toContain('keep');
    expect(text).toContain('mid');
    expect(text).toContain('low ');
    expect(text).not.toContain('low2');
    expect(fitColumns([10, 10, 10, 10], fit, 22).keep).toEqual([0, 2]);
  });

  it('shortens a shortenable column before dropping any', () => {
    const r = fitColumns([20, 5, 5], [{ priority: 9, minWidth: 8 }, {}, {}], 26);
    expect(r.keep).toEqual([0, 1, 2]);
    expect(r.widths).toEqual([12, 5, 5]);
    const text = renderTable(['token', 'a', 'b'], [['BONK 1234567890abcdef', '1', '2']], [], [{ priority: 9, minWidth: 8 }], 26);
    expect(text).toContain('…');
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(26);
  });

  it('gives a cell holding newlines a line each, the other cells blank beside it', () => {
    const text = renderTable(['k', 'v'], [['a', 'x\ny'], ['b', 'z']], [], [], Infinity);
    expect(text.split('\n')).toEqual(['k  v', '─  ───', 'a  x', '   y', 'b  z']);
  });

  it('cuts a cell to its width with …, never through a character', () => {
    const fit = [{ minWidth: 2 }, {}];
    expect(renderTable([], [['🚀🚀🚀', 'x']], [], fit, 6)).toBe('🚀…  x');
    // Too narrow for the emoji (two cells wide): the cut takes it whole, not half its code point.
    expect(renderTable([], [['🚀🚀🚀', 'x']], [], fit, 5)).toBe('…   x');
  });

  it('says one header style and correct plurals', () => {
    expect(headerText('net_sol')).toBe('net SOL');
    expect(headerText('baseAmount')).toBe('base amount');
    expect(headerText('dca_share')).toBe('DCA share');
    expect(plural(1, 'trade')).toBe('1 trade');
    expect(plural(0, 'trade')).toBe('0 trades');
    expect(plural(2n, 'blocked mint')).toBe('2 blocked mints');
  });
});

describe('tables from the CLI', { timeout: 120_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'solflow-table-test-'));
  const db = join(dir, 't.db');
  beforeAll(async () => {
    const r = await solflowAsync(['backfill', '--from', join(ROOT, 'fixtures', 'tx'), '--db', db]);
    expect(r.code, r.stderr).toBe(0);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** The CLI on a real terminal (a pty from script(1)) of `cols` columns. */
  function onTerminal(cols: number, args: string[]): string {
    const cmd = `stty cols ${cols} rows 50; ${JSON.stringify(process.execPath)} ${join(ROOT, 'bin', 'solflow.js')} ${args.map((a) => `'${a}'`).join(' ')} 2>/dev/null`;
    const r = spawnSync('script', ['-qec', cmd, '/dev/null'], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(r.status, r.stderr).toBe(0);
    return r.stdout.replace(/\r/g, '');
  }

  it('fits an 80-column terminal, keeps every column with --wide, and does not cut when piped', () => {
    const fitted = onTerminal(80, ['query', 'trades', '--db', db, '--limit', '5']).trimEnd().split('\n');
    expect(fitted.length).toBe(7); // header, rule, 5 rows: nothing wrapped
    for (const line of fitted) expect(line.length).toBeLessThanOrEqual(80);
    expect(fitted[0]).toMatch(/side\s+token/);
    const wide = onTerminal(80, ['query', 'trades', '--db', db, '--limit', '5', '--wide']).trimEnd().split('\n');
    expect(Math.max(...wide.map((l) => l.length))).toBeGreaterThan(80);
    expect(wide[0]).toContain('sig');
    const piped = solflow(['query', 'trades', '--db', db, '--limit', '5']);
    expect(piped.stdout.split('\n')[0]).toContain('sig');
    expect(piped.stdout).not.toContain('│');
  });

  it('right-aligns numbers in query sql', () => {
    const r = solflow(['query', 'sql', "SELECT 1 AS n, 'a' AS s UNION ALL SELECT 123, 'bbb'", '--db', db]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split('\n').slice(0, 4)).toEqual(['  n  s', '───  ───', '  1  a', '123  bbb']);
  });

  it('accepts --format ndjson wherever --format exists, as --json', () => {
    for (const args of [['query', 'trades', '--limit', '3'], ['query', 'stats'], ['blocklist', 'list']]) {
      const nd = solflow([...args, '--db', db, '--format', 'ndjson']);
      expect(nd.code, nd.stderr).toBe(0);
      expect(nd.stdout).toBe(solflow([...args, '--db', db, '--json']).stdout);
    }
  });
});
