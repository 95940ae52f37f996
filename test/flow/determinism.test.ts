import { describe, expect, it } from 'vitest';
import { createFlowEngine } from '../../src/core/flow/index.js';
import type { Signal, WindowMetrics } from '../../src/core/flow/types.js';
import { compareTrades, type Trade } from '../../src/core/trade.js';
import { rng, shuffle, synthTrades } from './gen.js';

interface Result {
  flags: string[];
  signals: Signal[];
  metrics: WindowMetrics[];
}

/**
 * Feed batches, take metrics at arbitrary moments, flush; summarise what came out. `tick`: after
 * each batch, tell the engine where the chain is (the newest slot and time seen so far), as a
 * live source or a backfill does after every block.
 */
function runBatches(batches: Trade[][], takeEvery: number, tick = false): Result {
  const e = createFlowEngine();
  const flags: string[] = [];
  const signals: Signal[] = [];
  const latest = new Map<string, WindowMetrics>();
  const keep = (ms: WindowMetrics[]) => ms.forEach((m) => latest.set(`${m.mint}/${m.window}`, m));
  const collect = (out: ReturnType<typeof e.push>) => {
    expect(out.late).toEqual([]);
    out.trades.forEach((t) => flags.push(`${t.signature}/${t.ixPath}:${t.botReasons.join(',')}`));
    signals.push(...out.signals);
  };
  let tip = { slot: -1, time: -1 };
  batches.forEach((b, i) => {
    collect(e.push(b));
    if (tick) {
      for (const t of b) if ((t.slot as number) > tip.slot) tip = { slot: t.slot as number, time: t.blockTime as number };
      collect(e.advanceTo(tip.time, tip.slot));
    }
    if (i % takeEvery === 0) keep(e.takeMetrics());
  });
  const out = e.flush();
  out.trades.forEach((t) => flags.push(`${t.signature}/${t.ixPath}:${t.botReasons.join(',')}`));
  signals.push(...out.signals);
  keep(out.metrics);
  const metrics = [...latest.values()].sort((a, b) => (a.mint + a.window < b.mint + b.window ? -1 : 1));
  return { flags, signals, metrics };
}

/** Cut a canonical stream at random points and shuffle inside each piece. */
function shuffledBatches(trades: Trade[], seed: number, maxBatch: number): Trade[][] {
  const r = rng(seed);
  const out: Trade[][] = [];
  let i = 0;
  while (i < trades.length) {
    const n = 1 + Math.floor(r() * maxBatch);
    out.push(shuffle(trades.slice(i, i + n), seed + i));
    i += n;
  }
  return out;
}

/** Live-like jitter: each trade may arrive up to `slots` slots late relative to the stream. */
function jittered(trades: Trade[], seed: number, slots: number): Trade[][] {
  const r = rng(seed);
  const keyed = trades.map((t) => ({ t, at: (t.slot as number) + Math.floor(r() * (slots + 1)) }));
  keyed.sort((a, b) => a.at - b.at || r() - 0.5);
  const out: Trade[][] = [];
  for (let i = 0; i < keyed.length; i += 7) out.push(keyed.slice(i, i + 7).map((k) => k.t));
  return out;
}

describe('determinism', () => {
  const unique = synthTrades({ trades: 30_000, seed: 7, mints: 40, wallets: 400, botWalletShare: 0.05 });
  // Re-delivered duplicates (a reconnecting source) are absorbed once.
  const trades = unique.flatMap((t, i) => (i % 600 === 0 ? [t, { ...t }] : [t]));
  const base = runBatches([trades.slice().sort(compareTrades)], 1);

  it('the reference run produces flags, signals and metrics worth comparing', () => {
    expect(base.flags).toHaveLength(30_000);
    expect(base.flags.filter((f) => !f.endsWith(':')).length).toBeGreaterThan(100);
    expect(base.signals.length).toBeGreaterThan(5);
    expect(base.metrics.length).toBeGreaterThan(0);
  });

  it('gives identical results for the same trades in shuffled batches of any size', () => {
    for (const [seed, maxBatch] of [[1, 10], [2, 500], [3, 5000]]) {
      expect(runBatches(shuffledBatches(trades, seed, maxBatch), 3)).toEqual(base);
    }
  });

  it('gives identical results when a live source delivers a few slots out of order', () => {
    const got = runBatches(jittered(trades, 11, 4), 5);
    const first = got.flags.findIndex((f, i) => f !== base.flags[i]);
    expect(first === -1 ? [] : [first, got.flags.length, base.flags.slice(first - 1, first + 3), got.flags.slice(first - 1, first + 3)]).toEqual([]);
    expect(got.signals).toEqual(base.signals);
    expect(got.metrics).toEqual(base.metrics);
  });

  it('gives identical results when the source also reports the chain tip after every batch', () => {
    // The tip runs ahead of the trades the engine still holds back; its time must only take
    // effect at its slot's place in canonical order, or held-back trades are stamped with a
    // later time than their own block's (round trips measured 2 s instead of 1 s, say).
    expect(runBatches(shuffledBatches(trades, 4, 50), 3, true)).toEqual(base);
    expect(runBatches(jittered(trades, 12, 4), 5, true)).toEqual(base);
  });

  it('reports trades for an already finalised slot as late instead of miscounting them', () => {
    const e = createFlowEngine();
    const sorted = trades.slice(0, 2000);
    e.push(sorted.slice(1000));
    const out = e.push(sorted.slice(0, 1000));
    expect(out.late.length).toBeGreaterThan(0);
    expect(out.late.every((t) => !t.isBot)).toBe(true);
    expect(e.stats().late).toBe(out.late.length);
  });
});
