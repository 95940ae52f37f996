/**
 * `solflow watch` on a terminal: a feed in, the screen out. State lives in one reducer
 * (model.ts); feed updates reach it through the coalescing hook, at most ~10 times a second.
 */
import { useCallback, useMemo, useReducer } from 'react';
import type { Batch } from './coalesce.js';
import type { WatchFeed, WatchWindow } from './feed.js';
import { tradeFilter, type WatchFilters } from './filters.js';
import { initialState, reduce, DEFAULT_SIGNAL_CAP, DEFAULT_TAPE_CAP } from './model.js';
import { ThemeContext } from './theme.js';
import { useCoalescedFeed } from './use-coalesced-feed.js';
import { useTerminalSize } from './use-terminal-size.js';
import { useWatchKeys } from './use-watch-keys.js';
import { WatchScreen } from './WatchScreen.js';

export interface WatchAppProps {
  feed: WatchFeed;
  /** The command-line filters (--mint, --wallet, --venue, --min-sol, --bots-only, --no-bots, --dca-only). */
  filters?: WatchFilters;
  /** False under NO_COLOR. */
  color?: boolean;
  window?: WatchWindow;
  /** Trades the tape keeps (memory bound); the screen shows the newest that fit. */
  tapeCap?: number;
  /** Minimum time between two feed-driven frames. */
  frameMs?: number;
  /** Whether keys are read (false when stdin is not a terminal). */
  keys?: boolean;
  /** Instrumentation for the bench and metrics: each batch applied and how long it waited. */
  onFlush?: (batch: Batch, waitedMs: number) => void;
}

export function WatchApp({ feed, filters, color = true, window, tapeCap = DEFAULT_TAPE_CAP, frameMs = 100, keys = true, onFlush }: WatchAppProps) {
  const [state, dispatch] = useReducer(reduce, { tapeCap, window }, (o) => initialState({ tapeCap: o.tapeCap, window: o.window }));
  const accept = useMemo(() => tradeFilter(filters ?? {}), [filters]);
  const apply = useCallback((batch: Batch) => dispatch({ type: 'batch', batch }), []);
  useCoalescedFeed(feed, apply, { intervalMs: frameMs, tapeCap, signalCap: DEFAULT_SIGNAL_CAP, accept, onFlush });
  useWatchKeys(state, dispatch, keys);
  const size = useTerminalSize();
  const symbolOf = useMemo(() => feed.symbolOf?.bind(feed), [feed]);
  const theme = useMemo(() => ({ color }), [color]);
  return (
    <ThemeContext.Provider value={theme}>
      <WatchScreen state={state} columns={size.columns} rows={size.rows} symbolOf={symbolOf} />
    </ThemeContext.Provider>
  );
}
