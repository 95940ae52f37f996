/**
 * The screen as a user sees it: frames from ink-testing-library while a scripted stream of real
 * fixture trades (decoded, run through the flow engine) arrives. Assertions are on frame text.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { WatchApp } from '../../src/tui/WatchApp.js';
import { tapeColumns } from '../../src/tui/layout.js';
import { tapeTitle } from '../../src/tui/tape-cells.js';
import { digits, shortKey } from '../../src/tui/text.js';
import { fixtureScript, limitFill, ScriptedFeed, type Script } from './support.js';
import { renderAt, resize, tick, type Rendered } from './render.js';

const USDC = 'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v';
const SOL = 'So11111111111111111111111111111111111111112';

const script: Script = fixtureScript();
const newest = script.trades[script.trades.length - 1];
// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g;
const plain = (r: Rendered) => (r.lastFrame() ?? '').replace(ANSI, '');
const lines = (r: Rendered) => plain(r).split('\n');
const tapeLines = (r: Rendered) => {
  const l = lines(r);
  return l.slice(3, l.findIndex((x) => x.startsWith('top flows')));
};

async function started(columns = 100, rows = 32, props: Partial<Parameters<typeof WatchApp>[0]> = {}) {
  const feed = new ScriptedFeed();
  const r = renderAt(<WatchApp feed={feed} color={false} {...props} />, columns, rows);
  for (const u of script.updates) feed.emit(u);
  await shows(r, () => lines(r)[0].includes(`${script.trades.length} trades seen`));
  return { feed, r };
}

/** Waits (on content, not on a clock) until the frame satisfies `ok`. */
async function shows(r: Rendered, ok: () => boolean) {
  await vi.waitFor(() => expect(ok()).toBe(true), { timeout: 3000, interval: 10 });
}

/** Resizes and waits for the frame drawn for the new width (its tape title line). */
async function resized(r: Rendered, columns: number, rows = 32) {
  resize(r, columns, rows);
  const title = tapeTitle(tapeColumns(columns)).trimEnd();
  await shows(r, () => lines(r)[2].trimEnd() === title);
}

/** Types keys one by one, each after the frame of the one before (a key that changes nothing draws nothing). */
async function press(r: Rendered, keys: string) {
  for (const k of keys) {
    const before = r.frames.length;
    r.stdin.write(k);
    await vi.waitFor(() => expect(r.frames.length).toBeGreaterThan(before), { timeout: 500, interval: 5 }).catch(() => {});
  }
}

afterEach(() => cleanup());

describe('watch screen on a stream of real trades', () => {
  it('shows the header: source (redacted), trades seen, newest slot in digits with its time, lag, rate', async () => {
    const { r } = await started(140);
    const [l1, l2] = lines(r);
    expect(l2).toContain('REPLAY 127.0.0.1:8899 (bundled transactions, compressed time)');
    expect(plain(r)).not.toContain('SECRETKEY123');
    expect(l1).toContain(`slot ${digits(newest.slot!)} at ${new Date(newest.blockTime! * 1000).toISOString().slice(11, 19)}`);
    expect(l1).toMatch(/\d{3},\d{3},\d{3}/);
    expect(l1).toContain('lag 11 slots / 4.4s behind tip');
    expect(l1).toContain(`${script.trades.length} trades seen`);
    expect(l2).toContain('40.0 trades/s');
  });

  it('shows the feed\'s notice in the header', async () => {
    const { feed, r } = await started(140);
    feed.emit({ status: { ...script.updates.at(-1)!.status!, notice: 'reconnecting (2nd try)' } });
    await shows(r, () => lines(r)[1].includes('reconnecting (2nd try)'));
  });

  it('draws the tape newest first, one line per trade, with side, token, SOL amount and trader', async () => {
    const { r } = await started();
    const tape = tapeLines(r);
    expect(tape.length).toBeGreaterThan(5);
    const first = tape[0];
    expect(first).toContain(shortKey(newest.baseMint));
    expect(first).toContain(shortKey(newest.trader));
    expect(first).toMatch(new RegExp(`\\b${newest.side}\\b`));
    expect(first).toMatch(/\d SOL/);
    const second = script.trades[script.trades.length - 2];
    expect(tape[1]).toContain(shortKey(second.trader));
    // A trade quoted in USDC shows the quote amount with its symbol.
    expect(plain(r)).toMatch(/[\d,.]+ USDC/);
  });

  it('shows the engine flags: BOT, the platform, and DCA', async () => {
    const { r } = await started();
    const bot = tapeLines(r).find((l) => /\bBOT\b/.test(l));
    expect(bot).toBeDefined();
    expect(bot).toContain('via Jupiter');
    await press(r, 'd');
    const dca = tapeLines(r);
    expect(dca).toHaveLength(1);
    expect(dca[0]).toContain('DCA');
    expect(lines(r)[1]).toContain('DCA only');
  });

  it('shows a selected BOT row with its reasons', async () => {
    const { r } = await started(140);
    const tape = tapeLines(r);
    const at = tape.findIndex((l) => /\bBOT\b/.test(l));
    const reasons = script.trades.filter((t) => t.isBot).flatMap((t) => t.botReasons);
    expect(reasons.length).toBeGreaterThan(0);
    expect(plain(r)).not.toContain(reasons[0]);
    await press(r, 'j'.repeat(at + 1));
    expect(tapeLines(r)[at]).toMatch(/BOT\((arbitrage|round-trip)[^)]*\)/);
    await press(r, '\x1b');
    await shows(r, () => !tapeLines(r)[at].includes('BOT('));
  });

  it('shows a SOL ↔ stablecoin swap as the conversion, never as "sell" of the stablecoin', async () => {
    // Real fixtures: a wallet that paid SOL for USDC on OpenBook, and one that sold USDC for SOL on Phoenix.
    const leg = (sig: string) => script.trades.find((t) => t.signature.startsWith(sig))!;
    const solToUsdc = leg('2BppD7ZqzcCp');
    const usdcToSol = leg('3p36wGRa191s');
    expect([solToUsdc.side, solToUsdc.baseMint, solToUsdc.quoteMint]).toEqual(['buy', USDC, SOL]);
    expect([usdcToSol.side, usdcToSol.baseMint, usdcToSol.quoteMint]).toEqual(['sell', USDC, SOL]);
    const feed = new ScriptedFeed();
    const r = renderAt(<WatchApp feed={feed} color={false} />, 100);
    feed.emit({ trades: [solToUsdc, usdcToSol] });
    await shows(r, () => tapeLines(r).length === 2);
    const [newer, older] = tapeLines(r);
    expect(newer).toMatch(/\bswap\s+USDC→SOL\b/);
    expect(older).toMatch(/\bswap\s+SOL→USDC\b/);
    for (const line of [newer, older]) {
      expect(line).not.toMatch(/\b(buy|sell)\b/);
      expect(line).not.toContain(shortKey(USDC));
      expect(line).toContain(shortKey(line === newer ? usdcToSol.trader : solToUsdc.trader));
    }
  });

  it('shows LIMIT for a limit-order fill', async () => {
    const feed = new ScriptedFeed();
    const r = renderAt(<WatchApp feed={feed} color={false} />, 100);
    feed.emit({ trades: [limitFill()] });
    await shows(r, () => tapeLines(r)[0]?.includes('LIMIT'));
  });

  it('ranks tokens by net flow in the panel, with counts, shares, the latest signal and its age, and a sparkline', async () => {
    const { r } = await started(140);
    const l = lines(r);
    const at = l.findIndex((x) => x.startsWith('top flows · 5m'));
    expect(l[at + 1]).toMatch(/token\s+net SOL\s+bought\s+sold\s+buys\/sells\s+wallets\s+bot\s+dca\s+signal\s+flow/);
    const top = script.updates[script.updates.length - 1].flows!.find((f) => f.window === '5m')!.rows[0];
    expect(l[at + 2]).toContain(shortKey(top.mint));
    expect(l[at + 2]).toMatch(/\+[\d.]+/);
    expect(l[at + 2]).toMatch(/[▁▂▃▄▅▆▇█]{6,}/);
    const panel = l.slice(at + 2, l.findIndex((x) => x.startsWith('signals')));
    expect(panel.some((x) => /BREAKOUT \d+[smh]/.test(x))).toBe(true);
    // SOL and the stablecoins are quotes, not tokens: never ranked (USDT had the biggest inflow here).
    for (const quote of [SOL, USDC, 'Es9vMFrzaCERmJfrF4H2FYD4KCoNkY11McCe8BenwNYB']) expect(panel.join('\n')).not.toContain(shortKey(quote));
  });

  it('lists the last signals with token and why', async () => {
    const { r } = await started(140);
    const l = lines(r);
    const at = l.indexOf('signals');
    const last = script.signals[script.signals.length - 1];
    expect(l[at + 1]).toContain(last.type);
    expect(l[at + 1]).toContain(shortKey(last.mint));
    expect(l[at + 1]).toContain(`${Object.keys(last.inputs)[0]} `);
  });
});

describe('keys', () => {
  it('p freezes the tape while counts go on, and p again catches up', async () => {
    const feed = new ScriptedFeed();
    const r = renderAt(<WatchApp feed={feed} color={false} />, 100, 32);
    const half = Math.floor(script.updates.length / 2);
    for (const u of script.updates.slice(0, half)) feed.emit(u);
    await shows(r, () => lines(r)[0].includes(`${script.updates[half - 1].status!.tradesSeen} trades seen`));
    await press(r, 'p');
    const frozen = tapeLines(r);
    for (const u of script.updates.slice(half)) feed.emit(u);
    const arrived = script.updates.slice(half).reduce((n, u) => n + u.trades!.length, 0);
    await shows(r, () => lines(r)[1].includes(`PAUSED (+${arrived} new)`));
    expect(tapeLines(r)).toEqual(frozen);
    expect(lines(r)[0]).toContain(`${script.trades.length} trades seen`);
    await press(r, 'p');
    expect(tapeLines(r)[0]).toContain(shortKey(newest.trader));
    expect(lines(r)[1]).not.toContain('PAUSED');
  });

  it('w cycles the panel window', async () => {
    const { r } = await started();
    const seen: string[] = [];
    for (let i = 0; i < 4; i++) {
      seen.push(lines(r).find((l) => l.startsWith('top flows'))!);
      await press(r, 'w');
    }
    expect(seen).toEqual(['top flows · 5m', 'top flows · 15m', 'top flows · 1h', 'top flows · 4h']);
    expect(lines(r).find((l) => l.startsWith('top flows'))).toBe('top flows · 5m');
  });

  it('b shows only bot trades, and b again all', async () => {
    const { r } = await started();
    await press(r, 'b');
    const tape = tapeLines(r);
    expect(tape.length).toBe(script.trades.filter((t) => t.isBot).length);
    expect(tape.every((l) => /\bBOT\b/.test(l))).toBe(true);
    expect(lines(r)[1]).toContain('bots only');
    await press(r, 'b');
    expect(tapeLines(r).some((l) => !/\bBOT\b/.test(l))).toBe(true);
  });

  it('/ opens a prompt; typed text (q included) filters by wallet on enter', async () => {
    const { r } = await started();
    const wallet = script.trades.find((t) => t.isBot)!.trader;
    await press(r, '/');
    expect(lines(r).at(-1)).toContain('/ filter by mint or wallet:');
    await press(r, wallet.slice(0, 10));
    expect(lines(r).at(-1)).toContain(wallet.slice(0, 10));
    await press(r, '\r');
    const tape = tapeLines(r);
    expect(tape.length).toBeGreaterThan(0);
    expect(tape.every((l) => l.includes(shortKey(wallet)))).toBe(true);
    expect(lines(r)[1]).toContain(`filter "${wallet.slice(0, 10)}"`);
    expect(lines(r).at(-1)).toContain('q quit');
  });

  it('? shows the help in place of the tape; ? again hides it', async () => {
    const { r } = await started();
    await press(r, '?');
    expect(plain(r)).toContain('pause the tape');
    expect(plain(r)).toContain('a sandwich leg');
    await press(r, '?');
    expect(plain(r)).not.toContain('pause the tape');
  });

  it('q and Ctrl-C end the app (it unsubscribes from the feed)', async () => {
    for (const key of ['q', '\x03']) {
      const { feed, r } = await started();
      expect(feed.subscribers).toBe(1);
      await press(r, key);
      await vi.waitFor(() => expect(feed.subscribers).toBe(0));
    }
  });
});

describe('width and height', () => {
  it('never draws a line wider than the terminal, at any width', async () => {
    const { r } = await started(100);
    for (const w of [40, 52, 60, 72, 80, 100, 119, 120, 160, 200]) {
      await resized(r, w);
      for (const l of lines(r)) expect([...l].length, `${w}: ${l}`).toBeLessThanOrEqual(w);
    }
  });

  it('shows venue names in full from 120 columns, shortened below', async () => {
    const { r } = await started(120);
    const venues = script.trades.slice(-10).map((t) => t.venue);
    const long = venues.find((v) => v.length > 10)!;
    expect(long).toBeDefined();
    expect(tapeLines(r).some((l) => l.includes(long))).toBe(true);
    expect(lines(r)[2]).toMatch(/^time\s+venue\s+side/);
    await resized(r, 100);
    expect(tapeLines(r).some((l) => l.includes(long))).toBe(false);
    expect(tapeLines(r).some((l) => l.includes(long.slice(0, 9) + '…'))).toBe(true);
  });

  it('drops venue, then time, then trader as the terminal narrows', async () => {
    const { r } = await started(100);
    const titles = async (w: number) => {
      await resized(r, w);
      return lines(r)[2].trim().split(/\s+/);
    };
    expect(await titles(100)).toEqual(['time', 'venue', 'side', 'token', 'amount', 'trader', 'flags']);
    expect(await titles(70)).toEqual(['time', 'side', 'token', 'amount', 'trader', 'flags']);
    expect(await titles(60)).toEqual(['side', 'token', 'amount', 'trader', 'flags']);
    expect(await titles(50)).toEqual(['side', 'token', 'amount', 'flags']);
  });

  it('fits the screen height, and the tape never shows more than it keeps', async () => {
    const { r } = await started(100, 24);
    expect(lines(r).length).toBeLessThan(24);
    const small = await started(100, 40, { tapeCap: 5 });
    expect(tapeLines(small.r)).toHaveLength(5);
  });
});

describe('rendering', () => {
  it('coalesces a burst of updates into one frame', async () => {
    const feed = new ScriptedFeed();
    const r = renderAt(<WatchApp feed={feed} color={false} />, 100);
    feed.emit(script.updates[0]);
    await shows(r, () => lines(r)[0].includes(`${script.updates[0].status!.tradesSeen} trades seen`));
    const before = r.frames.length;
    for (let i = 0; i < 50; i++) for (const u of script.updates) feed.emit(u);
    await shows(r, () => lines(r)[0].includes(`${script.trades.length} trades seen`));
    await tick(250); // room for any frame that should not come
    expect(r.frames.length - before).toBe(1);
  });
});
