/**
 * Is ingest healthy enough to keep running? `/healthz` answers from this, so a supervisor
 * (systemd watchdog script, Kubernetes probe) can restart a process that is up but useless:
 * disconnected, not hearing the chain, or falling behind it.
 *
 * `--max-lag` is in slots by default (`150`), or in seconds with a unit (`90s`, `2m`). Slots are
 * always known (tip minus cursor); seconds are measured as now minus the block time of the cursor
 * slot, which needs that slot's block time — until one is known the slot lag is converted at the
 * chain's nominal 400 ms per slot, and the reason says so.
 */

export type MaxLag = { slots: number } | { seconds: number };

/** Nominal Solana slot time; only used to read a slot lag against a limit given in seconds. */
export const NOMINAL_SLOT_SECONDS = 0.4;
export const DEFAULT_MAX_LAG: MaxLag = { slots: 150 };
/** No tip update for this long means the source is not hearing the chain, whatever it says. */
export const DEFAULT_MAX_TIP_AGE_MS = 60_000;

export function parseMaxLag(text: string): MaxLag {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(slots?|s|sec|seconds?|m|min|minutes?)?\s*$/i.exec(text);
  if (!m) throw new Error(`--max-lag must be a number of slots (150) or a duration (90s, 2m), not "${text}"`);
  const n = Number(m[1]);
  const unit = (m[2] ?? 'slots').toLowerCase();
  if (unit.startsWith('slot')) return { slots: n };
  if (unit === 'm' || unit.startsWith('min')) return { seconds: n * 60 };
  return { seconds: n };
}

export function describeMaxLag(limit: MaxLag): string {
  return 'slots' in limit ? `${limit.slots} slots` : `${limit.seconds} s`;
}

/** What health and lag are computed from; kept by the metrics object. */
export interface LiveState {
  live: boolean;
  /** Why not live (redacted), when not. */
  notLiveReason: string | null;
  tip: number | null;
  /** When the tip was last updated, ms since epoch. */
  tipAtMs: number | null;
  cursor: number | null;
  /** Block time (unix seconds) of the cursor slot, when known. */
  cursorBlockTime: number | null;
}

export interface Lag {
  slots: number | null;
  /** Measured (now minus the cursor's block time); null when that block time is unknown. */
  seconds: number | null;
}

export function lagOf(state: LiveState, nowMs: number): Lag {
  const slots = state.tip !== null && state.cursor !== null ? Math.max(0, state.tip - state.cursor) : null;
  const seconds = state.cursorBlockTime !== null ? Math.max(0, nowMs / 1000 - state.cursorBlockTime) : null;
  return { slots, seconds };
}

export interface Health {
  ok: boolean;
  /** One line: why not, or what "ok" rests on. */
  reason: string;
}

export interface HealthLimits {
  maxLag?: MaxLag;
  maxTipAgeMs?: number;
}

export function evaluateHealth(state: LiveState, limits: HealthLimits, nowMs: number): Health {
  const maxLag = limits.maxLag ?? DEFAULT_MAX_LAG;
  const maxTipAge = limits.maxTipAgeMs ?? DEFAULT_MAX_TIP_AGE_MS;
  if (!state.live) return { ok: false, reason: `not live${state.notLiveReason ? `: ${state.notLiveReason}` : ''}` };
  if (state.tip === null || state.tipAtMs === null) return { ok: false, reason: 'no tip heard yet' };
  const tipAge = nowMs - state.tipAtMs;
  if (tipAge > maxTipAge) return { ok: false, reason: `tip not updated for ${Math.round(tipAge / 1000)} s` };
  if (state.cursor === null) return { ok: false, reason: 'nothing committed yet' };
  const lag = lagOf(state, nowMs);
  const slots = lag.slots ?? 0;
  if ('slots' in maxLag) {
    if (slots > maxLag.slots) return { ok: false, reason: `lag ${slots} slots > max ${maxLag.slots} slots` };
    return { ok: true, reason: `live, lag ${slots} slots` };
  }
  const measured = lag.seconds !== null;
  const seconds = measured ? lag.seconds! : slots * NOMINAL_SLOT_SECONDS;
  const shown = `${seconds.toFixed(1)} s${measured ? '' : ` (estimated from ${slots} slots)`}`;
  if (seconds > maxLag.seconds) return { ok: false, reason: `lag ${shown} > max ${maxLag.seconds} s` };
  return { ok: true, reason: `live, lag ${shown}` };
}
