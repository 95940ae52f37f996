/**
 * Flow signals. The earlier tool compared nested cumulative windows ("5m flow > 15m flow", which
 * really means the 5-15 minute slice was net selling) and fired on every trade. Here every
 * comparison is between disjoint time slices, expressed as SOL per minute, each condition has a
 * minimum sample, and firing goes through a small state machine per (token, signal):
 *
 *   enter   - the strict condition; fires if the signal is not active and the cooldown passed
 *   hold    - a looser condition; while it holds the signal stays active and cannot re-fire
 *             (hysteresis); once it fails the signal re-arms
 *
 * An active signal also re-arms if it was not evaluated for longer than its window (the token
 * went quiet, so "still holding" is unknown) or after `maxActiveSeconds`, so its state depends on
 * bounded history only. Signals are evaluated at most once per token per chain second, after all
 * trades of that second (see engine.ts).
 *
 * Slices (from the exact window sums): 0-1m, 1-15m, 0-5m, 5-15m, 15-60m.
 */
import type { SignalOptions } from './options.js';
import type { Signal, SignalType, WindowName } from './types.js';
import { WINDOWS } from './types.js';
import { windowIndex, type Agg, type TokenWindows } from './windows.js';

const LAMPORTS = 1e9;
const I1M = windowIndex('1m');
const I5M = windowIndex('5m');
const I15M = windowIndex('15m');
const I1H = windowIndex('1h');

export interface SignalState {
  active: boolean;
  firedAt: number;
  lastEval: number;
}

const NONE = 0;
const HOLD = 1;
const ENTER = 2;

interface Def {
  type: SignalType;
  window: WindowName;
  /** NONE, HOLD (loose condition only) or ENTER (strict, implies hold). */
  test(t: TokenWindows, s: Slices, o: SignalOptions): number;
  /** Strength 0..1 and the triggering numbers; only called when the signal fires. */
  describe(t: TokenWindows, s: Slices, o: SignalOptions): { strength: number; inputs: Record<string, number> };
}

const net = (a: Agg) => a.buyVol - a.sellVol;
const cnt = (a: Agg) => a.buyCnt + a.sellCnt;
const botShare = (a: Agg) => (a.buyVol + a.sellVol > 0 ? a.botVol / (a.buyVol + a.sellVol) : 0);
/** DCA buys minus DCA sells. */
const dcaNet = (a: Agg) => 2 * a.dcaBuyVol - a.dcaVol;
const sol = (lamports: number) => lamports / LAMPORTS;
const clamp01 = (x: number) => (Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : x > 0 ? 1 : 0);
const round = (x: number) => Math.round(x * 1e6) / 1e6;

interface Slices {
  m1: Agg;
  m5: Agg;
  m15: Agg;
  m1h: Agg;
  /** Net lamports of the 1-15 minute slice. */
  n1to15: number;
  /** SOL per minute in each disjoint slice (lamports/min). */
  r0to1: number;
  r1to15: number;
  r0to5: number;
  r5to15: number;
  r15to60: number;
}

/** One Slices reused by every evaluation (synchronous, never nested): no allocation per token-second. */
const none = null as unknown as Agg;
const shared: Slices = { m1: none, m5: none, m15: none, m1h: none, n1to15: 0, r0to1: 0, r1to15: 0, r0to5: 0, r5to15: 0, r15to60: 0 };

/** Computed once per evaluation and shared by every signal's test. */
function slices(t: TokenWindows): Slices {
  const s = shared;
  s.m1 = t.aggs[I1M];
  s.m5 = t.aggs[I5M];
  s.m15 = t.aggs[I15M];
  s.m1h = t.aggs[I1H];
  s.n1to15 = net(s.m15) - net(s.m1);
  s.r0to1 = net(s.m1);
  s.r1to15 = s.n1to15 / 14;
  s.r0to5 = net(s.m5) / 5;
  s.r5to15 = (net(s.m15) - net(s.m5)) / 10;
  s.r15to60 = (net(s.m1h) - net(s.m15)) / 45;
  return s;
}

/**
 * The last 5 minutes' pace over the faster of the two slices before it; Infinity when there was
 * no earlier inflow to compare with.
 */
/** The inflow rates, SOL per minute, over 0-5, 5-15 and 15-60 minutes back: inputs several signals report. */
function rateInputs(s: Slices): Record<string, number> {
  return { rate0to5mSolPerMin: sol(s.r0to5), rate5to15mSolPerMin: sol(s.r5to15), rate15to60mSolPerMin: sol(s.r15to60) };
}

function acceleration(s: Slices): number {
  const ref = Math.max(s.r5to15, s.r15to60, 0);
  return ref > 0 ? s.r0to5 / ref : Infinity;
}

/** BREAKOUT: inflow over the last 5 minutes runs at a multiple of the pace before it. */
const breakout: Def = {
  type: 'BREAKOUT',
  window: '5m',
  test(_t, s, o) {
    const b = o.breakout;
    if (s.r0to5 <= 0) return NONE;
    const accel = acceleration(s);
    if (accel < b.holdAcceleration) return NONE;
    const enter =
      accel >= b.acceleration &&
      net(s.m5) >= b.minNetSol * LAMPORTS &&
      cnt(s.m5) >= b.minTrades &&
      s.m5.wallets >= b.minWallets &&
      botShare(s.m5) <= b.maxBotShare;
    return enter ? ENTER : HOLD;
  },
  describe(_t, s, o) {
    const accel = acceleration(s);
    const bs = botShare(s.m5);
    const strength =
      0.35 * clamp01(accel / (3 * o.breakout.acceleration)) +
      0.25 * clamp01(s.m5.wallets / 20) +
      0.2 * clamp01(sol(net(s.m5)) / 50) +
      0.2 * (1 - bs);
    return {
      strength: clamp01(strength),
      inputs: {
        net5mSol: sol(net(s.m5)),
        ...rateInputs(s),
        // -1 = no earlier inflow to compare with (JSON has no Infinity).
        acceleration: Number.isFinite(accel) ? accel : -1,
        trades5m: cnt(s.m5),
        wallets5m: s.m5.wallets,
        botShare5m: bs,
      },
    };
  },
};

/** REACCUMULATION: DCA buyers keep accumulating and spot flow turns back to inflow after a selling slice. */
const reaccumulation: Def = {
  type: 'REACCUMULATION',
  window: '15m',
  test(_t, s, o) {
    const r = o.reaccumulation;
    const dca = dcaNet(s.m15);
    if (dca <= 0 || net(s.m5) <= 0) return NONE;
    const enter =
      dca >= r.minDcaNetSol * LAMPORTS &&
      s.m15.dcaWallets >= r.minDcaWallets &&
      s.r5to15 < 0 &&
      cnt(s.m5) >= r.minTrades;
    return enter ? ENTER : HOLD;
  },
  describe(_t, s) {
    const dca = dcaNet(s.m15);
    const turn = (s.r0to5 - s.r5to15) / Math.max(Math.abs(s.r5to15), 0.1 * LAMPORTS);
    const strength =
      0.3 * clamp01(sol(dca) / 10) +
      0.2 * clamp01(s.m15.dcaWallets / 5) +
      0.3 * clamp01(sol(net(s.m5)) / 50) +
      0.2 * clamp01(turn);
    return {
      strength: clamp01(strength),
      inputs: {
        dcaNet15mSol: sol(dca),
        dcaWallets15m: s.m15.dcaWallets,
        net5mSol: sol(net(s.m5)),
        rate0to5mSolPerMin: sol(s.r0to5),
        rate5to15mSolPerMin: sol(s.r5to15),
        trades5m: cnt(s.m5),
      },
    };
  },
};

/** Fewest wallets holding `topShare` of the 5m SOL inflow, over the number of SOL buyers. */
/** Reused between calls (evaluation is synchronous and never nested); grows as needed. */
let scratch = new Float64Array(256);

function focus(t: TokenWindows, topShare: number): { focus: number; buyers: number; top: number; inflow: number } {
  if (scratch.length < t.buyers5m.size) scratch = new Float64Array(2 * t.buyers5m.size);
  let n = 0;
  let inflow = 0;
  for (const r of t.buyers5m) {
    if (r.buyInWindow > 0) {
      scratch[n++] = r.buyInWindow;
      inflow += r.buyInWindow;
    }
  }
  if (n === 0) return { focus: 1, buyers: 0, top: 0, inflow: 0 };
  // A typed array sorts numerically in native code (no comparator call per comparison); take
  // the largest first by walking it from the end.
  const vals = scratch.subarray(0, n).sort();
  let acc = 0;
  let k = 0;
  while (k < n && acc < topShare * inflow) acc += vals[n - 1 - k++];
  return { focus: k / n, buyers: n, top: k, inflow };
}

/** FOCUSED_BUYERS: most of the 5m inflow comes from a small share of the buying wallets. */
const focusedBuyers: Def = {
  type: 'FOCUSED_BUYERS',
  window: '5m',
  test(t, s, o) {
    const f = o.focusedBuyers;
    if (net(s.m5) <= 0 || s.m5.buyVol <= 0) return NONE;
    const x = focus(t, f.topShare);
    if (x.focus > f.holdFocus) return NONE;
    const enter = x.inflow >= f.minInflowSol * LAMPORTS && x.buyers >= f.minBuyers && x.focus <= f.maxFocus;
    return enter ? ENTER : HOLD;
  },
  describe(t, s, o) {
    const f = o.focusedBuyers;
    const x = focus(t, f.topShare);
    const strength = 0.6 * clamp01(1 - x.focus / f.maxFocus) + 0.4 * clamp01(sol(net(s.m5)) / 50);
    return {
      strength: clamp01(strength),
      inputs: {
        focus: x.focus,
        topWallets: x.top,
        solBuyers5m: x.buyers,
        inflow5mSol: sol(x.inflow),
        net5mSol: sol(net(s.m5)),
      },
    };
  },
};

/** PERSISTENCE: net inflow in each of three disjoint slices of the last hour. */
const persistence: Def = {
  type: 'PERSISTENCE',
  window: '1h',
  test(_t, s, o) {
    const p = o.persistence;
    if (net(s.m1h) <= 0) return NONE;
    const positive = (s.r0to5 > 0 ? 1 : 0) + (s.r5to15 > 0 ? 1 : 0) + (s.r15to60 > 0 ? 1 : 0);
    if (positive < 2) return NONE;
    const enter =
      positive === 3 &&
      cnt(s.m5) >= p.minTradesPerSlice &&
      cnt(s.m15) - cnt(s.m5) >= p.minTradesPerSlice &&
      cnt(s.m1h) - cnt(s.m15) >= p.minTradesPerSlice &&
      s.m15.wallets >= p.minWallets &&
      botShare(s.m1h) <= p.maxBotShare;
    return enter ? ENTER : HOLD;
  },
  describe(_t, s) {
    const rates = [s.r0to5, s.r5to15, s.r15to60];
    const consistency = Math.min(...rates) / Math.max(...rates);
    const bs = botShare(s.m1h);
    const strength =
      0.4 * clamp01(consistency) + 0.3 * clamp01(sol(net(s.m1h)) / 100) + 0.15 * clamp01(s.m15.wallets / 20) + 0.15 * (1 - bs);
    return {
      strength: clamp01(strength),
      inputs: {
        ...rateInputs(s),
        net1hSol: sol(net(s.m1h)),
        wallets15m: s.m15.wallets,
        botShare1h: bs,
      },
    };
  },
};

/** FLOW_REVERSAL: the last minute sells faster than the preceding 14 minutes bought. */
const flowReversal: Def = {
  type: 'FLOW_REVERSAL',
  window: '1m',
  test(_t, s, o) {
    const r = o.flowReversal;
    if (s.r0to1 >= 0) return NONE;
    const enter =
      -s.r0to1 >= r.minOutflowSol * LAMPORTS &&
      cnt(s.m1) >= r.minTrades &&
      s.m1.sellers >= r.minSellers &&
      s.n1to15 >= r.minPriorInflowSol * LAMPORTS &&
      cnt(s.m15) - cnt(s.m1) >= r.minPriorTrades &&
      -s.r0to1 >= s.r1to15;
    return enter ? ENTER : HOLD;
  },
  describe(_t, s) {
    const pace = -s.r0to1 / Math.max(s.r1to15, 0.01 * LAMPORTS);
    const strength = 0.6 * clamp01(pace / 5) + 0.4 * clamp01(sol(s.n1to15) / 50);
    return {
      strength: clamp01(strength),
      inputs: {
        net1mSol: sol(net(s.m1)),
        net1to15mSol: sol(s.n1to15),
        rate1to15mSolPerMin: sol(s.r1to15),
        trades1m: cnt(s.m1),
        sellers1m: s.m1.sellers,
      },
    };
  },
};

export const SIGNAL_DEFS: readonly Def[] = [breakout, reaccumulation, focusedBuyers, persistence, flowReversal];
const WINDOW_SECONDS = new Map(WINDOWS.map((w) => [w.name, w.seconds]));

/**
 * Evaluate every signal of one token at chain time `at` (windows already advanced to `at`).
 * `state` is the token's per-signal state, mutated in place.
 */
export function evaluateSignals(
  t: TokenWindows,
  state: Map<SignalType, SignalState>,
  at: number,
  slot: number | null,
  signature: string,
  o: SignalOptions,
  blocked: boolean,
): Signal[] {
  let out: Signal[] | null = null;
  const s = slices(t);
  for (const def of SIGNAL_DEFS) {
    let st = state.get(def.type);
    const r = def.test(t, s, o);
    if (st === undefined) {
      if (r !== ENTER) continue; // nothing to remember yet
      st = { active: false, firedAt: -Infinity, lastEval: -Infinity };
      state.set(def.type, st);
    }
    if (st.active) {
      const stale = at - st.lastEval > (WINDOW_SECONDS.get(def.window) as number) || at - st.firedAt >= o.maxActiveSeconds;
      if (stale || r === NONE) st.active = false;
    }
    if (!st.active && r === ENTER && at - st.firedAt >= o.cooldownSeconds) {
      st.active = true;
      st.firedAt = at;
      if (!blocked) {
        const { strength, inputs } = def.describe(t, s, o);
        const rounded: Record<string, number> = {};
        for (const k of Object.keys(inputs)) rounded[k] = round(inputs[k]);
        (out ??= []).push({ mint: t.mint, type: def.type, strength: round(strength), window: def.window, blockTime: at, slot, signature, inputs: rounded });
      }
    }
    st.lastEval = at;
  }
  return out ?? [];
}
