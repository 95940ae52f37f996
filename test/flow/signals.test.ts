import { describe, expect, it } from 'vitest';
import { createFlowEngine, type EngineOptionsInput } from '../../src/core/flow/index.js';
import type { Signal } from '../../src/core/flow/types.js';
import type { Trade } from '../../src/core/trade.js';
import { makeTrade, synthTrades } from './gen.js';

const SOL = 1_000_000_000n;
let n = 0;
/** A trade at chain second `t` (slot derived from it) by a distinct or given wallet. */
function at(t: number, side: 'buy' | 'sell', sol: bigint, trader = `w${n}`, extra: Partial<Trade> = {}): Trade {
  n++;
  return makeTrade({ signature: `s${n}`, slot: t * 3, blockTime: t, side, quoteAmount: sol, solAmount: sol, trader, signer: trader, baseAmount: BigInt(1000 + n), ...extra });
}

function signalsOf(trades: Trade[], opts: EngineOptionsInput = {}): Signal[] {
  const e = createFlowEngine({ lagSlots: 0, ...opts });
  return [...e.push(trades).signals, ...e.flush().signals];
}

/** 60 minutes of a slow trickle, then a burst of buying from many wallets. */
function breakoutScenario(start = 10_000): Trade[] {
  const out: Trade[] = [];
  for (let t = start; t < start + 3600; t += 120) out.push(at(t, 'buy', SOL / 10n)); // 0.05 SOL/min
  for (let k = 0; k < 40; k++) out.push(at(start + 3600 + k * 5, 'buy', SOL / 2n)); // ~6 SOL/min
  return out;
}

describe('signals', () => {
  it('BREAKOUT fires once on a real acceleration, with strength and inputs', () => {
    const sigs = signalsOf(breakoutScenario()).filter((s) => s.type === 'BREAKOUT');
    expect(sigs).toHaveLength(1);
    const [s] = sigs;
    expect(s.window).toBe('5m');
    expect(s.strength).toBeGreaterThan(0);
    expect(s.strength).toBeLessThanOrEqual(1);
    expect(s.inputs.trades5m).toBeGreaterThanOrEqual(10);
    expect(s.inputs.wallets5m).toBeGreaterThanOrEqual(5);
    expect(s.inputs.acceleration).toBeGreaterThanOrEqual(3);
    expect(s.inputs.net5mSol).toBeGreaterThanOrEqual(1);
  });

  it('a steady inflow is not a breakout (the earlier nested-window rule fired on V-shapes)', () => {
    const out: Trade[] = [];
    for (let t = 0; t < 3 * 3600; t += 10) out.push(at(20_000 + t, 'buy', SOL / 2n));
    // Only the very start (inflow out of nothing) can count as a breakout; the steady state never.
    expect(signalsOf(out).filter((s) => s.type === 'BREAKOUT' && s.blockTime > 20_000 + 900)).toEqual([]);
    // ...but it is persistent.
    expect(signalsOf(out).filter((s) => s.type === 'PERSISTENCE').length).toBeGreaterThan(0);
  });

  it('cooldown and hysteresis: a long burst yields one signal per cooldown at most', () => {
    const out = breakoutScenario(40_000);
    const t0 = 40_000 + 3600 + 200;
    for (let k = 0; k < 300; k++) out.push(at(t0 + k * 3, 'buy', SOL));
    const sigs = signalsOf(out).filter((s) => s.type === 'BREAKOUT');
    expect(sigs.length).toBeGreaterThanOrEqual(1);
    for (let i = 1; i < sigs.length; i++) expect(sigs[i].blockTime - sigs[i - 1].blockTime).toBeGreaterThanOrEqual(900);
  });

  it('FLOW_REVERSAL: the last minute sells faster than the prior 14 minutes bought', () => {
    const out: Trade[] = [];
    for (let t = 0; t < 840; t += 20) out.push(at(60_000 + t, 'buy', SOL / 4n)); // ~0.75 SOL/min
    for (let k = 0; k < 6; k++) out.push(at(60_000 + 845 + k * 5, 'sell', SOL)); // 6 SOL in 30 s
    const sigs = signalsOf(out).filter((s) => s.type === 'FLOW_REVERSAL');
    expect(sigs).toHaveLength(1);
    expect(sigs[0].inputs.net1mSol).toBeLessThan(0);
    expect(sigs[0].inputs.net1to15mSol).toBeGreaterThan(1);
  });

  it('FOCUSED_BUYERS: most inflow from few of many buyers', () => {
    const out: Trade[] = [];
    for (let k = 0; k < 10; k++) out.push(at(80_000 + k * 10, 'buy', SOL / 20n)); // 10 small buyers
    out.push(at(80_000 + 120, 'buy', 5n * SOL, 'whale'));
    const sigs = signalsOf(out).filter((s) => s.type === 'FOCUSED_BUYERS');
    expect(sigs).toHaveLength(1);
    expect(sigs[0].inputs).toMatchObject({ topWallets: 1, solBuyers5m: 11 });
  });

  it('REACCUMULATION: DCA accumulation and spot inflow after a selling slice', () => {
    const out: Trade[] = [];
    for (let k = 0; k < 10; k++) out.push(at(90_000 + k * 30, 'sell', SOL / 2n)); // 5-15 min ago: selling
    for (let k = 0; k < 3; k++) out.push(at(90_000 + 400 + k * 60, 'buy', SOL / 5n, `dca${k}`, { isDca: true }));
    for (let k = 0; k < 8; k++) out.push(at(90_000 + 650 + k * 20, 'buy', SOL / 2n));
    const sigs = signalsOf(out).filter((s) => s.type === 'REACCUMULATION');
    expect(sigs).toHaveLength(1);
    expect(sigs[0].inputs.dcaWallets15m).toBe(3);
  });

  it('blocked mints keep metrics but emit no signals', () => {
    const sigs = signalsOf(breakoutScenario(), { blockedMints: new Set(['mint1']) });
    expect(sigs).toEqual([]);
  });

  it('the quote assets (USDT here) fire no signal on the breakout that fires for a token', () => {
    const USDT = 'Es9vMFrzaCERmJfrF4H2FYD4KCoNkY11McCe8BenwNYB';
    const asToken = signalsOf(breakoutScenario(60_000));
    expect(asToken.filter((s) => s.type === 'BREAKOUT')).toHaveLength(1);
    const asUsdt = breakoutScenario(60_000).map((t) => ({ ...t, baseMint: USDT }));
    const e = createFlowEngine({ lagSlots: 0 });
    const out = e.push(asUsdt);
    const rest = e.flush();
    expect([...out.signals, ...rest.signals]).toEqual([]);
    // Its windows are still kept: top-flows --include-quotes ranks it.
    expect([...out.metrics, ...rest.metrics].some((m) => m.mint === USDT)).toBe(true);
  });

  it('on a busy synthetic market there are far fewer signals than trades', () => {
    const trades = synthTrades({ trades: 50_000, seed: 5, mints: 200, wallets: 3000 });
    const e = createFlowEngine();
    const sigs = [...e.push(trades).signals, ...e.flush().signals];
    expect(sigs.length).toBeGreaterThan(0);
    expect(sigs.length).toBeLessThan(trades.length / 20);
    // No (token, type) fires twice within the cooldown.
    const last = new Map<string, number>();
    for (const s of sigs) {
      const k = `${s.mint}/${s.type}`;
      const prev = last.get(k);
      if (prev !== undefined) expect(s.blockTime - prev).toBeGreaterThanOrEqual(900);
      last.set(k, s.blockTime);
    }
  });
});
