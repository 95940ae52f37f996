import { describe, expect, it } from 'vitest';
import { describeMaxLag, evaluateHealth, parseMaxLag, type LiveState } from '../../src/metrics/index.js';

describe('parseMaxLag', () => {
  it('reads a bare number as slots and a unit as seconds', () => {
    expect(parseMaxLag('150')).toEqual({ slots: 150 });
    expect(parseMaxLag('200 slots')).toEqual({ slots: 200 });
    expect(parseMaxLag('90s')).toEqual({ seconds: 90 });
    expect(parseMaxLag('2m')).toEqual({ seconds: 120 });
    expect(parseMaxLag('1.5min')).toEqual({ seconds: 90 });
    expect(describeMaxLag({ slots: 150 })).toBe('150 slots');
    expect(describeMaxLag({ seconds: 90 })).toBe('90 s');
  });

  it('refuses anything else in one line', () => {
    for (const bad of ['', 'fast', '-5', '10h', '5 s s']) expect(() => parseMaxLag(bad), bad).toThrow(/^--max-lag must be/);
  });
});

describe('evaluateHealth', () => {
  const base: LiveState = { live: true, notLiveReason: null, tip: 1000, tipAtMs: 0, cursor: 1000, cursorBlockTime: null };

  it('is healthy at zero lag and exactly at the limit, unhealthy one past it', () => {
    expect(evaluateHealth(base, { maxLag: { slots: 10 } }, 0).ok).toBe(true);
    expect(evaluateHealth({ ...base, cursor: 990 }, { maxLag: { slots: 10 } }, 0).ok).toBe(true);
    expect(evaluateHealth({ ...base, cursor: 989 }, { maxLag: { slots: 10 } }, 0).ok).toBe(false);
  });

  it('honours a custom tip age', () => {
    expect(evaluateHealth(base, { maxTipAgeMs: 5000 }, 5000).ok).toBe(true);
    expect(evaluateHealth(base, { maxTipAgeMs: 5000 }, 5001)).toEqual({ ok: false, reason: 'tip not updated for 5 s' });
  });
});
