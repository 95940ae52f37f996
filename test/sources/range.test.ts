import { describe, expect, it } from 'vitest';
import { parseLast, parseRange } from '../../src/cli/range.js';
import { UsageError } from '../../src/cli/errors.js';

const NOW = Date.UTC(2025, 5, 1, 12, 0, 0);

describe('backfill ranges', () => {
  it('parses slot ranges, both ends inclusive', () => {
    expect(parseRange('312000000..312000500', NOW)).toEqual({ kind: 'slots', start: 312000000, end: 312000500 });
    expect(parseRange('7..7', NOW)).toEqual({ kind: 'slots', start: 7, end: 7 });
  });

  it('parses absolute times (Z, offsets, bare dates as UTC)', () => {
    expect(parseRange('2025-06-01T00:00Z..2025-06-01T01:00Z', NOW)).toEqual({ kind: 'time', startMs: Date.UTC(2025, 5, 1, 0), endMs: Date.UTC(2025, 5, 1, 1), endIsNow: false });
    expect(parseRange('2025-06-01T02:00+02:00..2025-06-01', NOW)).toMatchObject({ startMs: Date.UTC(2025, 5, 1, 0), endMs: Date.UTC(2025, 5, 1, 0) });
  });

  it('parses relative times and --last', () => {
    expect(parseRange('-2h..now', NOW)).toEqual({ kind: 'time', startMs: NOW - 7_200_000, endMs: NOW, endIsNow: true });
    expect(parseRange('-90m..-30m', NOW)).toMatchObject({ startMs: NOW - 5_400_000, endMs: NOW - 1_800_000, endIsNow: false });
    expect(parseLast('30m', NOW)).toEqual({ kind: 'time', startMs: NOW - 1_800_000, endMs: NOW, endIsNow: true });
  });

  it('rejects bad and empty ranges with one line', () => {
    for (const bad of ['', '5', '5..', '..5', '5..3', 'a..b', '1..now', '2025-06-01T00:00..2025-06-01T01:00', '-2x..now', 'now..-1h', '2099-01-01..2099-01-02', '99999999999999999999..1']) {
      let err: unknown;
      try {
        parseRange(bad, NOW);
      } catch (e) {
        err = e;
      }
      expect(err, bad).toBeInstanceOf(UsageError);
      expect((err as Error).message, bad).not.toContain('\n');
    }
    expect(() => parseLast('0m', NOW)).toThrow(UsageError);
    expect(() => parseLast('soon', NOW)).toThrow(UsageError);
  });
});
