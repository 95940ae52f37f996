/**
 * startWatch as a command would call it: the Ink app on a terminal (quitting restores it),
 * lines off a terminal or with --ndjson (no escape code, each trade once, a closed pipe ends
 * quietly), and exit code 0 for q, Ctrl-C and SIGTERM.
 */
import './interactive.js';
import './force-color.js';
import { PassThrough } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { startWatch } from '../../src/tui/mount.js';
import { tradeKey } from '../../src/tui/filters.js';
import { FakeTty, fixtureScript, ScriptedFeed } from './support.js';

const script = fixtureScript();

function tty(columns = 100, rows = 30) {
  const out = new FakeTty(columns, rows);
  const input = new FakeTty();
  return { out, input, stdout: out as unknown as NodeJS.WriteStream, stdin: input as unknown as NodeJS.ReadStream };
}

function pipe() {
  const out = new PassThrough();
  let text = '';
  out.on('data', (d: Buffer) => (text += d.toString()));
  return { out, stdout: out as unknown as NodeJS.WriteStream, text: () => text };
}

describe('on a terminal', () => {
  for (const [name, key] of [['q', 'q'], ['Ctrl-C', '\x03']]) {
    it(`${name} exits 0 and gives the terminal back (raw mode off, cursor shown)`, async () => {
      const t = tty();
      const feed = new ScriptedFeed();
      const w = startWatch({ feed, stdout: t.stdout, stdin: t.stdin, stderr: t.stdout, handleSignals: false, env: {} });
      for (const u of script.updates) feed.emit(u);
      await vi.waitFor(() => expect(t.out.written).toContain(`${script.trades.length} trades seen`), { timeout: 3000 });
      expect(t.input.rawMode).toEqual([true]);
      expect(t.out.written).toMatch(/\x1b\[32mbuy/);
      t.input.press(key);
      expect(await w.exited).toBe(0);
      expect(t.input.rawMode).toEqual([true, false]);
      expect(t.out.written).toContain('\x1b[?25h');
      expect(feed.subscribers).toBe(0);
    });
  }

  it('SIGTERM exits 0', async () => {
    const t = tty();
    const feed = new ScriptedFeed();
    const before = process.listeners('SIGTERM');
    const beforeInt = process.listeners('SIGINT');
    const w = startWatch({ feed, stdout: t.stdout, stdin: t.stdin, stderr: t.stdout, env: {} });
    const ours = process.listeners('SIGTERM').filter((l) => !before.includes(l));
    expect(ours).toHaveLength(1);
    (ours[0] as () => void)();
    expect(await w.exited).toBe(0);
    expect(process.listeners('SIGTERM')).toEqual(before);
    expect(process.listeners('SIGINT')).toEqual(beforeInt);
  });

  it('NO_COLOR draws no colour', async () => {
    const t = tty();
    const feed = new ScriptedFeed();
    const w = startWatch({ feed, stdout: t.stdout, stdin: t.stdin, stderr: t.stdout, handleSignals: false, env: { NO_COLOR: '1' } });
    for (const u of script.updates) feed.emit(u);
    await vi.waitFor(() => expect(t.out.written).toContain(`${script.trades.length} trades seen`), { timeout: 3000 });
    expect(t.out.written).not.toMatch(/\x1b\[(3[0-9]|9[0-7])m/);
    w.stop();
    expect(await w.exited).toBe(0);
  });
});

describe('off a terminal', () => {
  it('prints one plain line per accepted trade, no escape code, and stops with 0', async () => {
    const p = pipe();
    const feed = new ScriptedFeed();
    const w = startWatch({ feed, stdout: p.stdout, handleSignals: false, filters: { noBots: true } });
    for (const u of script.updates) feed.emit(u);
    w.stop();
    expect(await w.exited).toBe(0);
    const lines = p.text().trimEnd().split('\n');
    expect(lines).toHaveLength(script.trades.filter((t) => !t.isBot).length);
    expect(p.text()).not.toMatch(/\x1b/);
    expect(lines[0]).toContain(script.trades[0].signature);
  });

  it('--ndjson prints each trade once, as JSON with its flags, even on a terminal', async () => {
    const t = tty();
    const feed = new ScriptedFeed();
    const w = startWatch({ feed, ndjson: true, stdout: t.stdout, stdin: t.stdin, handleSignals: false });
    for (const u of script.updates) feed.emit(u);
    w.stop();
    expect(await w.exited).toBe(0);
    const rows = t.out.written.trimEnd().split('\n').map((l) => JSON.parse(l) as { signature: string; ixPath: string; isBot: boolean });
    expect(rows.map(tradeKey)).toEqual(script.trades.map(tradeKey));
    expect(new Set(rows.map(tradeKey)).size).toBe(rows.length);
    expect(rows.filter((r) => r.isBot)).toHaveLength(script.trades.filter((x) => x.isBot).length);
    expect(t.input.rawMode).toEqual([]);
  });

  it('ends quietly with 0 when the reader goes away (| head)', async () => {
    const p = pipe();
    const feed = new ScriptedFeed();
    const w = startWatch({ feed, ndjson: true, stdout: p.stdout, handleSignals: false });
    feed.emit(script.updates[0]);
    p.out.emit('error', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
    expect(await w.exited).toBe(0);
    expect(feed.subscribers).toBe(0);
  });
});
