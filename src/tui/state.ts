/**
 * The watch screen's state and the actions that change it, as types only: the reducer
 * (model.ts) and the key map (keys.ts) both speak them without importing each other.
 */
import type { Key } from 'ink';
import type { ClassifiedTrade, Signal } from '../core/flow/types.js';
import type { Batch } from './coalesce.js';
import type { FlowSnapshot, WatchStatus, WatchWindow } from './feed.js';
import type { ViewFilter } from './filters.js';

export type KeyFlags = Pick<Key, 'ctrl' | 'meta' | 'escape' | 'return' | 'backspace' | 'delete' | 'upArrow' | 'downArrow'>;

export interface WatchState {
  /** Newest first, at most tapeCap: trades keep arriving here while paused. */
  tape: ClassifiedTrade[];
  /** The tape as it stood when `p` was pressed; drawn instead of `tape` while paused. */
  frozen: ClassifiedTrade[] | null;
  /** Trades that arrived since the pause (they are in `tape`, not on screen). */
  arrivedWhilePaused: number;
  /** Accepted trades this session (after the command-line filters). */
  accepted: number;
  window: WatchWindow;
  view: ViewFilter;
  /** The `/` prompt's text while it is open, else null. */
  draft: string | null;
  help: boolean;
  /** Key (signature#ixPath) of the selected row: its BOT reasons are shown. */
  selected: string | null;
  flows: Partial<Record<WatchWindow, FlowSnapshot>>;
  /** Newest first, at most signalCap. */
  signals: Signal[];
  status: WatchStatus | null;
  quit: boolean;
  tapeCap: number;
  signalCap: number;
}

export type WatchAction =
  | { type: 'batch'; batch: Batch }
  /** A raw key: mapped against the state it lands on, so fast typing never reads a stale prompt. */
  | { type: 'key'; input: string; key: KeyFlags }
  | { type: 'togglePause' }
  | { type: 'cycleWindow' }
  | { type: 'toggleBots' }
  | { type: 'toggleDca' }
  | { type: 'openFilter' }
  | { type: 'editFilter'; text: string }
  | { type: 'applyFilter' }
  | { type: 'cancelFilter' }
  | { type: 'toggleHelp' }
  | { type: 'moveSelection'; by: number }
  | { type: 'clearSelection' }
  | { type: 'quit' };
