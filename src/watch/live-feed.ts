/**
 * A WatchFeed over the live pipeline this process runs (watch --rpc / --grpc): the flow
 * engine's output (runIngest's onOutput) goes straight to the screen, flows are ranked from the
 * engine's own window metrics (rankFlows), and the status comes from the ingest metrics (lag
 * behind the chain tip).
 */
import { netFlowSlices, windowSeconds } from '../core/flow/slices.js';
import type { ClassifiedTrade, FlowOutput, Signal, WindowMetrics } from '../core/flow/types.js';
import type { MetricsSnapshot } from '../metrics/metrics.js';
import type { FlowSnapshot, WatchFeed, WatchSource, WatchStatus, WatchUpdate } from '../tui/feed.js';
import { WATCH_WINDOWS } from '../tui/feed.js';
import { tradeKey } from '../tui/filters.js';
import { rankFlows } from '../tui/flow-rows.js';
import { createRate } from './rate.js';
import { createSeen } from './seen.js';
import { FLOW_ROWS, SPARK_SLICES } from './store-flows.js';

export interface LiveFeedOptions {
  source: WatchSource;
  /** The ingest metrics, read for the header (tip, lag). */
  snapshot: () => MetricsSnapshot;
  /** What the store held at start (the tape's first screenful), oldest first. */
  initial?: readonly ClassifiedTrade[];
  /** Status and flows are sent at most this often (default 500 ms). */
  tickMs?: number;
}

export interface LiveFeed extends WatchFeed {
  /** runIngest's onOutput. */
  output(out: FlowOutput): void;
  /** Stop the timer. */
  close(): void;
}

/** Trades kept to draw the sparklines. */
const RECENT_CAP = 100_000;

export function createLiveFeed(o: LiveFeedOptions): LiveFeed {
  const tickMs = o.tickMs ?? 500;
  const listeners = new Set<(u: WatchUpdate) => void>();
  const seen = createSeen();
  const rate = createRate();
  // The latest numbers per (mint, window), only while the token has trades in that window: a
  // token gone quiet drops out, so this stays as large as the set of active tokens.
  const metrics = new Map<string, WindowMetrics>();
  const lastSignal = new Map<string, Signal>();
  // This session's trades inside the longest window, for the sparklines (the engine keeps no
  // per-slice history). Bounded by count as well as by time.
  const recent: ClassifiedTrade[] = [];
  let flowsDirty = true;
  let tradesSeen = 0;
  let newestSlot: number | null = null;
  let newestTime: number | null = null;
  let timer: NodeJS.Timeout | null = null;

  const emit = (u: WatchUpdate) => {
    for (const l of listeners) l(u);
  };

  function fresh(trades: readonly ClassifiedTrade[]): ClassifiedTrade[] {
    const out = trades.filter((t) => seen.add(tradeKey(t)));
    for (const t of out) {
      if (t.slot !== null && (newestSlot === null || t.slot > newestSlot)) {
        newestSlot = t.slot;
        newestTime = t.blockTime;
      }
    }
    return out;
  }

  function status(): WatchStatus {
    const s = o.snapshot();
    return {
      source: o.source,
      newestSlot: newestSlot ?? s.cursor,
      newestTime: newestTime ?? s.cursorBlockTime,
      lag: { behind: 'tip', slots: s.lag.slots, seconds: s.lag.seconds },
      tradesSeen,
      tradesPerSec: rate.perSecond(),
      notice: s.live ? null : s.notLiveReason,
    };
  }

  function flows(): FlowSnapshot[] {
    const all = [...metrics.values()];
    const opts = { limit: FLOW_ROWS, lastSignal: (mint: string) => lastSignal.get(mint) ?? null };
    const snaps = WATCH_WINDOWS.map((w) => rankFlows(all, w, opts));
    const newest = snaps.reduce((m, f) => Math.max(m, f.asOf), 0);
    const cut = newest - windowSeconds('4h');
    let drop = 0;
    while (drop < recent.length && (recent[drop].blockTime ?? 0) <= cut) drop++;
    if (drop) recent.splice(0, drop);
    for (const snap of snaps) {
      const slices = netFlowSlices(recent, snap.asOf, windowSeconds(snap.window), SPARK_SLICES);
      for (const r of snap.rows) r.spark = slices.get(r.mint) ?? null;
    }
    return snaps;
  }

  function tick(): void {
    const u: WatchUpdate = { status: status() };
    if (flowsDirty) {
      u.flows = flows();
      flowsDirty = false;
    }
    emit(u);
  }

  return {
    subscribe(listener) {
      listeners.add(listener);
      if (listeners.size === 1) {
        const trades = fresh(o.initial ?? []);
        listener({ trades, flows: flows(), status: status() });
        timer ??= setInterval(tick, tickMs);
      }
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && timer) {
          clearInterval(timer);
          timer = null;
        }
      };
    },
    output(out) {
      for (const m of out.metrics) {
        const key = `${m.mint}|${m.window}`;
        if (m.buyCount + m.sellCount === 0) metrics.delete(key);
        else metrics.set(key, m);
      }
      if (out.metrics.length) flowsDirty = true;
      for (const s of out.signals) {
        lastSignal.delete(s.mint);
        lastSignal.set(s.mint, s);
        // Bounded: the mints that signalled longest ago are forgotten first.
        if (lastSignal.size > 10_000) lastSignal.delete(lastSignal.keys().next().value as string);
      }
      // Late trades are stored too (and flagged by the recompute that follows): shown as they come.
      const trades = fresh([...out.trades, ...out.late]);
      tradesSeen += trades.length;
      rate.add(trades.length);
      recent.push(...out.trades);
      if (recent.length > RECENT_CAP) recent.splice(0, recent.length - RECENT_CAP);
      if (trades.length || out.signals.length) emit({ trades, signals: out.signals.length ? out.signals : undefined });
    },
    close() {
      if (timer) clearInterval(timer);
      timer = null;
    },
  };
}
