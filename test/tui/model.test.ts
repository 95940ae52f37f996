import { describe, expect, it } from 'vitest';
import type { ClassifiedTrade } from '../../src/core/flow/types.js';
import { addUpdate, emptyBatch, sealBatch, type Batch } from '../../src/tui/coalesce.js';
import { tradeFilter, tradeKey } from '../../src/tui/filters.js';
import { keyAction } from '../../src/tui/keys.js';
import { initialState, reduce, visibleRows, visibleTape, type WatchAction, type WatchState } from '../../src/tui/model.js';
import { fixtureScript } from './support.js';

const script = fixtureScript();
const all = script.trades;
const accept = () => true;

function batchOf(trades: ClassifiedTrade[], extra: Partial<Batch> = {}): Batch {
  return { ...emptyBatch(), trades, accepted: trades.length, ...extra };
}

function run(s: WatchState, ...actions: WatchAction[]): WatchState {
  return actions.reduce(reduce, s);
}

describe('tape', () => {
  it('puts the newest trade on top', () => {
    const s = run(initialState(), { type: 'batch', batch: batchOf(all.slice(0, 10)) }, { type: 'batch', batch: batchOf(all.slice(10, 20)) });
    expect(s.tape.map(tradeKey)).toEqual(all.slice(0, 20).reverse().map(tradeKey));
    expect(s.accepted).toBe(20);
  });

  it('keeps at most tapeCap trades, the newest, however many arrive', () => {
    let s = initialState({ tapeCap: 25 });
    for (let i = 0; i < all.length; i += 7) s = reduce(s, { type: 'batch', batch: batchOf(all.slice(i, i + 7)) });
    expect(s.tape).toHaveLength(25);
    expect(s.tape.map(tradeKey)).toEqual(all.slice(-25).reverse().map(tradeKey));
    expect(s.accepted).toBe(all.length);
  });

  it('keeps at most signalCap signals, newest first', () => {
    const s = reduce(initialState({ signalCap: 3 }), { type: 'batch', batch: batchOf([], { signals: script.signals }) });
    expect(s.signals).toEqual(script.signals.slice(-3).reverse());
  });
});

describe('pause', () => {
  it('freezes what the tape shows while trades and counts go on', () => {
    let s = reduce(initialState(), { type: 'batch', batch: batchOf(all.slice(0, 10)) });
    const before = visibleRows(s, 50).map(tradeKey);
    s = run(s, { type: 'togglePause' }, { type: 'batch', batch: batchOf(all.slice(10, 30), { status: script.updates[3].status! }) });
    expect(visibleRows(s, 50).map(tradeKey)).toEqual(before);
    expect(s.arrivedWhilePaused).toBe(20);
    expect(s.accepted).toBe(30);
    expect(s.status).toBe(script.updates[3].status);
    s = reduce(s, { type: 'togglePause' });
    expect(visibleRows(s, 50).map(tradeKey)).toEqual(all.slice(0, 30).reverse().map(tradeKey));
    expect(s.arrivedWhilePaused).toBe(0);
  });

  it('stays bounded while paused (the frozen copy plus a capped tape)', () => {
    let s = run(initialState({ tapeCap: 10 }), { type: 'batch', batch: batchOf(all.slice(0, 10)) }, { type: 'togglePause' });
    for (let i = 10; i < all.length; i += 5) s = reduce(s, { type: 'batch', batch: batchOf(all.slice(i, i + 5)) });
    expect(s.tape).toHaveLength(10);
    expect(s.frozen).toHaveLength(10);
  });
});

describe('screen filters', () => {
  const loaded = reduce(initialState(), { type: 'batch', batch: batchOf(all) });

  it('b shows only bot-flagged trades, d only DCA fills, and toggling back restores the rest', () => {
    const bots = reduce(loaded, { type: 'toggleBots' });
    expect(visibleTape(bots).length).toBe(all.filter((t) => t.isBot).length);
    expect(visibleTape(bots).length).toBeGreaterThan(0);
    expect(visibleTape(bots).every((t) => t.isBot)).toBe(true);
    const dca = reduce(loaded, { type: 'toggleDca' });
    expect(visibleTape(dca).map((t) => t.isDca)).toEqual([true]);
    expect(visibleTape(run(bots, { type: 'toggleBots' }))).toHaveLength(all.length);
  });

  it('/ filters by mint or wallet text; escape keeps the old filter; enter on empty clears it', () => {
    const t = all.find((x) => x.isBot)!;
    const part = t.trader.slice(3, 12);
    let s = run(loaded, { type: 'openFilter' }, { type: 'editFilter', text: part }, { type: 'applyFilter' });
    expect(s.view.query).toBe(part);
    expect(visibleTape(s).length).toBeGreaterThan(0);
    expect(visibleTape(s).every((x) => x.trader.includes(part) || x.signer.includes(part) || x.baseMint.includes(part))).toBe(true);
    s = run(s, { type: 'openFilter' }, { type: 'editFilter', text: 'zzz' }, { type: 'cancelFilter' });
    expect(s.view.query).toBe(part);
    expect(s.draft).toBeNull();
    s = run(s, { type: 'openFilter' }, { type: 'editFilter', text: '' }, { type: 'applyFilter' });
    expect(visibleTape(s)).toHaveLength(all.length);
    const mint = all.filter((x) => x.baseMint === all[0].baseMint);
    s = run(s, { type: 'openFilter' }, { type: 'editFilter', text: all[0].baseMint }, { type: 'applyFilter' });
    expect(visibleTape(s).length).toBeGreaterThanOrEqual(mint.length);
  });

  it('w cycles 5m, 15m, 1h, 4h and back', () => {
    const seen = [loaded.window];
    let s = loaded;
    for (let i = 0; i < 4; i++) seen.push((s = reduce(s, { type: 'cycleWindow' })).window);
    expect(seen).toEqual(['5m', '15m', '1h', '4h', '5m']);
  });

  it('selection moves among the visible rows and clears', () => {
    let s = run(loaded, { type: 'moveSelection', by: 1 });
    expect(s.selected).toBe(tradeKey(all[all.length - 1]));
    s = run(s, { type: 'moveSelection', by: 1 }, { type: 'moveSelection', by: 1 }, { type: 'moveSelection', by: -1 });
    expect(s.selected).toBe(tradeKey(all[all.length - 2]));
    expect(run(s, { type: 'clearSelection' }).selected).toBeNull();
  });

  it('help and quit', () => {
    expect(run(loaded, { type: 'toggleHelp' }).help).toBe(true);
    expect(run(loaded, { type: 'toggleHelp' }, { type: 'toggleHelp' }).help).toBe(false);
    expect(run(loaded, { type: 'quit' }).quit).toBe(true);
  });
});

describe('coalescing', () => {
  it('keeps the newest tapeCap accepted trades of any number of updates, and counts all', () => {
    const limits = { tapeCap: 20, signalCap: 5, accept: (t: ClassifiedTrade) => t.solAmount !== null };
    const b = emptyBatch();
    for (const u of script.updates) addUpdate(b, u, limits);
    sealBatch(b, limits);
    const accepted = all.filter(limits.accept);
    expect(b.trades.map(tradeKey)).toEqual(accepted.slice(-20).map(tradeKey));
    expect(b.accepted).toBe(accepted.length);
    expect(b.signals).toEqual(script.signals.slice(-5));
    expect(b.status).toBe(script.updates[script.updates.length - 1].status);
    expect(b.flows['1h']).toBe(script.updates[script.updates.length - 1].flows!.find((f) => f.window === '1h'));
  });

  it('never holds more than twice the cap while gathering', () => {
    const limits = { tapeCap: 8, signalCap: 5, accept };
    const b = emptyBatch();
    for (const t of all) {
      addUpdate(b, { trades: [t] }, limits);
      expect(b.trades.length).toBeLessThanOrEqual(16);
    }
  });
});

describe('command-line filters', () => {
  const t = all.find((x) => x.isBot && x.solAmount !== null)!;
  const count = (f: Parameters<typeof tradeFilter>[0]) => all.filter(tradeFilter(f)).length;

  it('each filter keeps exactly the trades it names', () => {
    expect(count({})).toBe(all.length);
    expect(count({ mint: t.baseMint })).toBe(all.filter((x) => x.baseMint === t.baseMint).length);
    expect(count({ wallet: t.trader })).toBe(all.filter((x) => x.trader === t.trader || x.signer === t.trader).length);
    expect(count({ venue: 'raydium-amm-v4' })).toBe(all.filter((x) => x.venue === 'raydium-amm-v4').length);
    expect(count({ venue: 'raydium-amm-v4' })).toBeGreaterThan(0);
    expect(count({ minSol: 1 })).toBe(all.filter((x) => x.solAmount !== null && x.solAmount >= 1_000_000_000n).length);
    expect(count({ minSol: 0 })).toBe(all.filter((x) => x.solAmount !== null).length);
    expect(count({ botsOnly: true })).toBe(all.filter((x) => x.isBot).length);
    expect(count({ noBots: true })).toBe(all.filter((x) => !x.isBot).length);
    expect(count({ dcaOnly: true })).toBe(1);
    expect(count({ venue: 'pumpfun', minSol: 0.5 })).toBe(all.filter((x) => x.venue === 'pumpfun' && x.solAmount !== null && x.solAmount >= 500_000_000n).length);
  });

  it('rejects contradictions and bad numbers at once', () => {
    expect(() => tradeFilter({ botsOnly: true, noBots: true })).toThrow(/exclude/);
    expect(() => tradeFilter({ minSol: Number.NaN })).toThrow(/min-sol/);
    expect(() => tradeFilter({ minSol: -1 })).toThrow(/min-sol/);
  });
});

describe('keys', () => {
  const none = { ctrl: false, meta: false, escape: false, return: false, backspace: false, delete: false, upArrow: false, downArrow: false };
  const idle = { draft: null, help: false, selected: null };

  it('map to their actions', () => {
    const map = (input: string) => keyAction(input, none, idle)?.type;
    expect(['q', 'p', 'w', 'b', 'd', '/', '?', 'j', 'k', 'x'].map(map)).toEqual([
      'quit', 'togglePause', 'cycleWindow', 'toggleBots', 'toggleDca', 'openFilter', 'toggleHelp', 'moveSelection', 'moveSelection', undefined,
    ]);
    expect(keyAction('c', { ...none, ctrl: true }, idle)).toEqual({ type: 'quit' });
    expect(keyAction('', { ...none, upArrow: true }, idle)).toEqual({ type: 'moveSelection', by: -1 });
    expect(keyAction('', { ...none, escape: true }, { ...idle, help: true })).toEqual({ type: 'toggleHelp' });
  });

  it('are text while the filter prompt is open, except enter, escape, backspace and Ctrl-C', () => {
    const editing = { ...idle, draft: 'ab' };
    expect(keyAction('q', none, editing)).toEqual({ type: 'editFilter', text: 'abq' });
    expect(keyAction('', { ...none, delete: true }, editing)).toEqual({ type: 'editFilter', text: 'a' });
    expect(keyAction('', { ...none, return: true }, editing)).toEqual({ type: 'applyFilter' });
    expect(keyAction('', { ...none, escape: true }, editing)).toEqual({ type: 'cancelFilter' });
    expect(keyAction('c', { ...none, ctrl: true }, editing)).toEqual({ type: 'quit' });
  });
});
