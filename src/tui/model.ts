/**
 * The watch screen's state and every change to it, as a pure reducer: the components only
 * draw what this holds, and the keys only dispatch actions, so all behaviour is tested here.
 */
import type { ClassifiedTrade } from '../core/flow/types.js';
import type { Batch } from './coalesce.js';
import type { WatchAction, WatchState } from './state.js';
import { WATCH_WINDOWS, type WatchWindow } from './feed.js';
import { tradeKey, viewMatches } from './filters.js';
import { keyAction } from './keys.js';

export type { WatchState, WatchAction } from './state.js';

export interface ModelOptions {
  tapeCap?: number;
  signalCap?: number;
  window?: WatchWindow;
}

export const DEFAULT_TAPE_CAP = 1000;
export const DEFAULT_SIGNAL_CAP = 50;

export function initialState(o: ModelOptions = {}): WatchState {
  const tapeCap = o.tapeCap ?? DEFAULT_TAPE_CAP;
  const signalCap = o.signalCap ?? DEFAULT_SIGNAL_CAP;
  if (!(tapeCap >= 1 && signalCap >= 1)) throw new RangeError('tapeCap and signalCap must be >= 1');
  return {
    tape: [],
    frozen: null,
    arrivedWhilePaused: 0,
    accepted: 0,
    window: o.window ?? '5m',
    view: { botsOnly: false, dcaOnly: false, query: '' },
    draft: null,
    help: false,
    selected: null,
    flows: {},
    signals: [],
    status: null,
    quit: false,
    tapeCap,
    signalCap,
  };
}

/** `older` (newest first) with `batch` (oldest first) put on top, cut to `cap`. */
function prepend<T>(older: readonly T[], batch: readonly T[], cap: number): T[] {
  const out: T[] = [];
  for (let i = batch.length - 1; i >= 0 && out.length < cap; i--) out.push(batch[i]);
  for (let i = 0; i < older.length && out.length < cap; i++) out.push(older[i]);
  return out;
}

function applyBatch(s: WatchState, b: Batch): WatchState {
  return {
    ...s,
    tape: b.trades.length ? prepend(s.tape, b.trades, s.tapeCap) : s.tape,
    accepted: s.accepted + b.accepted,
    arrivedWhilePaused: s.frozen ? s.arrivedWhilePaused + b.accepted : 0,
    flows: Object.keys(b.flows).length ? { ...s.flows, ...b.flows } : s.flows,
    signals: b.signals.length ? prepend(s.signals, b.signals, s.signalCap) : s.signals,
    status: b.status ?? s.status,
  };
}

/** The rows the tape would draw (all of them; the component takes as many as fit). */
export function visibleTape(s: WatchState): ClassifiedTrade[] {
  const rows = s.frozen ?? s.tape;
  const v = s.view;
  if (!v.botsOnly && !v.dcaOnly && v.query === '') return rows;
  return rows.filter((t) => viewMatches(t, v));
}

/** The first `n` visible rows, without filtering the whole tape when a screenful is enough. */
export function visibleRows(s: WatchState, n: number): ClassifiedTrade[] {
  const rows = s.frozen ?? s.tape;
  const out: ClassifiedTrade[] = [];
  for (let i = 0; i < rows.length && out.length < n; i++) if (viewMatches(rows[i], s.view)) out.push(rows[i]);
  return out;
}

function moveSelection(s: WatchState, by: number): WatchState {
  const rows = visibleTape(s);
  if (rows.length === 0) return { ...s, selected: null };
  const at = s.selected === null ? -1 : rows.findIndex((t) => tradeKey(t) === s.selected);
  // From nothing (or a row that scrolled off), down starts at the top and up at the bottom.
  const next = at < 0 ? (by > 0 ? 0 : rows.length - 1) : Math.min(rows.length - 1, Math.max(0, at + by));
  return { ...s, selected: tradeKey(rows[next]) };
}

export function reduce(s: WatchState, a: WatchAction): WatchState {
  switch (a.type) {
    case 'batch':
      return applyBatch(s, a.batch);
    case 'key': {
      const mapped = keyAction(a.input, a.key, s);
      return mapped ? reduce(s, mapped) : s;
    }
    case 'togglePause':
      return s.frozen ? { ...s, frozen: null, arrivedWhilePaused: 0 } : { ...s, frozen: s.tape, arrivedWhilePaused: 0 };
    case 'cycleWindow':
      return { ...s, window: WATCH_WINDOWS[(WATCH_WINDOWS.indexOf(s.window) + 1) % WATCH_WINDOWS.length] };
    case 'toggleBots':
      return { ...s, view: { ...s.view, botsOnly: !s.view.botsOnly } };
    case 'toggleDca':
      return { ...s, view: { ...s.view, dcaOnly: !s.view.dcaOnly } };
    case 'openFilter':
      return { ...s, draft: s.view.query, help: false };
    case 'editFilter':
      return s.draft === null ? s : { ...s, draft: a.text };
    case 'applyFilter':
      return s.draft === null ? s : { ...s, view: { ...s.view, query: s.draft.trim() }, draft: null };
    case 'cancelFilter':
      return { ...s, draft: null };
    case 'toggleHelp':
      return { ...s, help: !s.help };
    case 'moveSelection':
      return moveSelection(s, a.by);
    case 'clearSelection':
      return { ...s, selected: null };
    case 'quit':
      return { ...s, quit: true };
  }
}
