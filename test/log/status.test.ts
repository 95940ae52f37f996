import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger, createRate, fitWidth, formatStatus, startStatusLine, type StatusLine } from '../../src/log/index.js';
import { Capture } from './capture.js';

const CLEAR = '\r\x1b[2K';
const ESC = /\x1b|\r/;

let lines: StatusLine[] = [];
beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  for (const l of lines) l.stop();
  lines = [];
  vi.useRealTimers();
});

function start(...args: Parameters<typeof startStatusLine>) {
  const line = startStatusLine(...args);
  lines.push(line);
  return line;
}

/** The texts drawn in place: what follows each clear-line. */
function drawn(out: Capture): string[] {
  return out.text.split(CLEAR).slice(1).filter((t) => t !== '' && !t.includes('\n'));
}

describe('on a TTY', () => {
  it('draws one line in place with \\r and clear-line, cut to the terminal width', () => {
    const out = new Capture({ isTTY: true, columns: 40 });
    const log = createLogger({ stream: out });
    let slot = 312_000_000;
    const status = start({ logger: log, fields: () => ({ slot: slot++, lag: 2, 'trades/s': 143.25, reconnects: 1, source: 'websocket/logs' }) });
    expect(status.tty).toBe(true);
    vi.advanceTimersByTime(3000);
    const texts = drawn(out);
    expect(texts.length).toBe(4); // at start, then every second
    for (const t of texts) expect([...t].length).toBeLessThanOrEqual(39);
    expect(texts[0]).toBe('slot 312000000 | lag 2 | trades/s 143.~');
    expect(out.text).not.toContain('\n');
  });

  it('never wraps, whatever the width, and follows a resize', () => {
    for (const columns of [1, 2, 10, 80, 200]) {
      const out = new Capture({ isTTY: true, columns });
      const status = start({ logger: createLogger({ stream: out }), fields: () => ({ text: 'x'.repeat(300) }) });
      for (const t of drawn(out)) expect([...t].length).toBeLessThanOrEqual(Math.max(1, columns - 1));
      out.columns = 20;
      status.refresh();
      vi.advanceTimersByTime(200);
      expect([...drawn(out).at(-1)!].length).toBe(19);
    }
  });

  it('is cleared before each log record and redrawn after it', () => {
    const out = new Capture({ isTTY: true, columns: 80 });
    const log = createLogger({ stream: out, now: () => new Date('2026-12-04T12:00:00Z') });
    start({ logger: log, fields: () => ({ slot: 5 }) });
    out.chunks = [];
    log.warn('reconnected', { source: 'websocket' });
    expect(out.chunks).toEqual([CLEAR, '2026-12-04T12:00:00.000Z WARN  reconnected source=websocket\n', `${CLEAR}slot 5`]);
  });

  it('throttles refresh() to one draw per minRedrawMs', () => {
    const out = new Capture({ isTTY: true, columns: 80 });
    let n = 0;
    const status = start({ logger: createLogger({ stream: out }), fields: () => ({ n: n++ }), minRedrawMs: 100, refreshMs: 60_000 });
    for (let i = 0; i < 50; i++) status.refresh();
    expect(drawn(out)).toEqual(['n 0']);
    vi.advanceTimersByTime(100);
    expect(drawn(out)).toEqual(['n 0', 'n 1']);
    for (let i = 0; i < 50; i++) status.refresh();
    vi.advanceTimersByTime(100);
    expect(drawn(out)).toEqual(['n 0', 'n 1', 'n 2']);
  });

  it('redacts what the callback returns', () => {
    const out = new Capture({ isTTY: true, columns: 200 });
    start({ logger: createLogger({ stream: out }), fields: () => ({ rpc: 'https://rpc.example.com/?api-key=APIKEYSECRET1' }), secrets: ['KNOWNSECRET99'] });
    expect(out.text).not.toContain('APIKEYSECRET1');
    expect(drawn(out)[0]).toBe('rpc https://rpc.example.com/?api-key=***');
  });

  it('clears itself on stop, after which log records carry no escape codes', () => {
    const out = new Capture({ isTTY: true, columns: 80 });
    const log = createLogger({ stream: out });
    const status = start({ logger: log, fields: () => ({ slot: 1 }) });
    status.stop();
    expect(out.text.endsWith(CLEAR)).toBe(true);
    out.chunks = [];
    log.info('bye');
    vi.advanceTimersByTime(5000);
    expect(out.text).not.toMatch(ESC);
    expect(out.lines()).toHaveLength(1);
  });

  it('skips a draw whose callback throws, and carries on', () => {
    const out = new Capture({ isTTY: true, columns: 80 });
    let fail = true;
    start({ logger: createLogger({ stream: out }), fields: () => {
      if (fail) throw new Error('not yet');
      return { ok: 1 };
    } });
    expect(out.text).toBe('');
    fail = false;
    vi.advanceTimersByTime(1000);
    expect(drawn(out)).toEqual(['ok 1']);
  });
});

describe('off a TTY', () => {
  it('never writes an escape code: a summary record per interval instead', () => {
    const out = new Capture({ isTTY: false, columns: 80 });
    const log = createLogger({ stream: out, now: () => new Date('2026-12-04T12:00:00Z') });
    let slot = 100;
    const status = start({ logger: log, fields: () => ({ slot: slot++, lag: 3, 'trades/s': 10.5 }), summaryEveryMs: 1000 });
    expect(status.tty).toBe(false);
    for (let i = 0; i < 20; i++) status.refresh();
    log.info('gap filled', { from: 1, to: 2 });
    vi.advanceTimersByTime(3000);
    expect(out.text).not.toMatch(ESC);
    expect(out.lines()).toEqual([
      '2026-12-04T12:00:00.000Z INFO  gap filled from=1 to=2',
      '2026-12-04T12:00:00.000Z INFO  status slot=100 lag=3 trades/s=10.5',
      '2026-12-04T12:00:00.000Z INFO  status slot=101 lag=3 trades/s=10.5',
      '2026-12-04T12:00:00.000Z INFO  status slot=102 lag=3 trades/s=10.5',
    ]);
  });

  it('summarises once a minute by default', () => {
    const out = new Capture();
    start({ logger: createLogger({ stream: out }), fields: () => ({ slot: 1 }) });
    vi.advanceTimersByTime(59_999);
    expect(out.lines()).toHaveLength(0);
    vi.advanceTimersByTime(1);
    expect(out.lines()).toHaveLength(1);
  });

  it('also applies to --json logs on a terminal: JSON lines only, no in-place line', () => {
    const out = new Capture({ isTTY: true, columns: 80 });
    const log = createLogger({ stream: out, json: true });
    const status = start({ logger: log, fields: () => ({ slot: 7, lag: null }), summaryEveryMs: 500 });
    expect(status.tty).toBe(false);
    vi.advanceTimersByTime(1000);
    expect(out.text).not.toMatch(ESC);
    const records = out.lines().map((l) => JSON.parse(l));
    expect(records.map((r) => [r.msg, r.slot, r.lag])).toEqual([
      ['status', 7, null],
      ['status', 7, null],
    ]);
  });
});

describe('helpers', () => {
  it('formatStatus shows absent values as - and rounds fractions', () => {
    expect(formatStatus({ slot: 9, lag: null, 'trades/s': 2.345, live: true, x: undefined })).toBe('slot 9 | lag - | trades/s 2.3 | live true | x -');
  });

  it('fitWidth assumes 80 columns when the terminal does not say', () => {
    expect(fitWidth('y'.repeat(100), undefined)).toHaveLength(79);
    expect(fitWidth('short', undefined)).toBe('short');
  });

  it('createRate gives the per-second rate of a total over the window', () => {
    let t = 0;
    const rate = createRate(10_000, () => t);
    expect(rate.sample(0)).toBe(0);
    t = 1000;
    expect(rate.sample(100)).toBe(100);
    t = 20_000;
    expect(rate.sample(2000)).toBe(100); // (2000 - 100) / 19 s, the oldest sample kept spans the window
    t = 30_000;
    expect(rate.sample(2000)).toBe(0);
  });
});
