import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/cli/errors.js';
import { parseAddress, parseDurationOption, parseFormat, parsePositiveInt, parseTimeOption } from '../../src/cli/options.js';
import { csvField, renderRows } from '../../src/cli/output.js';

const NOW = Date.parse('2025-06-01T12:00:00Z');

describe('option values', () => {
  it('reads times as ISO, dates, now, unix seconds and relative durations', () => {
    expect(parseTimeOption('--since', '2025-06-01T10:30Z', NOW)).toBe(Date.parse('2025-06-01T10:30Z') / 1000);
    expect(parseTimeOption('--since', '2025-06-01T12:30+02:00', NOW)).toBe(Date.parse('2025-06-01T10:30Z') / 1000);
    expect(parseTimeOption('--since', '2025-05-31', NOW)).toBe(Date.parse('2025-05-31T00:00Z') / 1000);
    expect(parseTimeOption('--until', 'now', NOW)).toBe(NOW / 1000);
    expect(parseTimeOption('--since', '-1h', NOW)).toBe(NOW / 1000 - 3600);
    expect(parseTimeOption('--since', '7d', NOW)).toBe(NOW / 1000 - 7 * 86400);
    expect(parseTimeOption('--since', '1748736000', NOW)).toBe(1748736000);
  });

  it('refuses times it cannot place, naming the option', () => {
    expect(() => parseTimeOption('--since', 'yesterday', NOW)).toThrow(/bad --since 'yesterday'/);
    expect(() => parseTimeOption('--since', '2025-06-01T10:30', NOW)).toThrow(/no time zone/);
    expect(() => parseTimeOption('--until', '2025-13-45', NOW)).toThrow(UsageError);
  });

  it('accepts only base58 32-byte keys as addresses', () => {
    expect(parseAddress('wallet', ' So11111111111111111111111111111111111111112 ')).toBe('So11111111111111111111111111111111111111112');
    for (const bad of ['', 'abc', '0OIl' + 'x'.repeat(40), '11111111111111111111111111111111111', 'So1111111111111111111111111111111111111111211']) {
      expect(() => parseAddress('wallet', bad), bad).toThrow(/not a Solana address/);
    }
  });

  it('checks durations, limits and formats', () => {
    expect(parseDurationOption('--older-than', '7d')).toBe(7 * 86400);
    expect(() => parseDurationOption('--older-than', '0d')).toThrow(UsageError);
    expect(() => parseDurationOption('--older-than', 'week')).toThrow(UsageError);
    expect(parsePositiveInt('--limit', '25')).toBe(25);
    for (const bad of ['0', '-1', '1.5', 'x', '2000000']) expect(() => parsePositiveInt('--limit', bad), bad).toThrow(UsageError);
    expect(parseFormat({})).toBe('table');
    expect(parseFormat({ format: 'CSV' })).toBe('csv');
    expect(parseFormat({ format: 'table', json: true })).toBe('json');
    expect(parseFormat({ format: 'ndjson' })).toBe('json');
    expect(parseFormat({ format: 'NDJSON' })).toBe('json');
    expect(() => parseFormat({ format: 'xml' })).toThrow(/bad --format/);
  });
});

describe('rendering rows', () => {
  const cols = [
    { key: 'mint', value: (r: { mint: string; n: number | null }) => r.mint },
    { key: 'n', value: (r: { mint: string; n: number | null }) => r.n, numeric: true },
  ];
  const rows = [
    { mint: 'a,b', n: 1 },
    { mint: 'say "hi"', n: null },
  ];

  it('quotes CSV fields per RFC 4180', () => {
    expect(renderRows(rows, cols, 'csv')).toBe('mint,n\n"a,b",1\n"say ""hi""",\n');
    expect(csvField('line\nbreak')).toBe('"line\nbreak"');
  });

  it('writes one JSON object per line with the exact values', () => {
    const lines = renderRows(rows, cols, 'json').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toEqual([{ mint: 'a,b', n: 1 }, { mint: 'say "hi"', n: null }]);
    expect(renderRows([], cols, 'json')).toBe('');
  });

  it('draws a table with a header row', () => {
    const out = renderRows(rows, cols, 'table');
    expect(out).toContain('mint');
    expect(out).toContain('a,b');
    expect(out.split('\n').length).toBeGreaterThan(4);
  });
});
