/**
 * The flows panel and the signals strip as the database holds them (token_metrics, signals),
 * through the same reports `query top-flows` and `query signals` answer: what watch shows is
 * what those print for the same moment. The sparklines come from the stored trades themselves,
 * bucketed by the database in one bounded statement per refresh (the flowSlices report).
 */
import { windowSeconds } from '../core/flow/slices.js';
import type { Signal, SignalType, WindowName } from '../core/flow/types.js';
import type { FlowSliceSpan, StoredSignal, TopFlowRow } from '../core/store/reports.js';
import type { Store } from '../core/store/types.js';
import type { FlowRow, FlowSnapshot, WatchWindow } from '../tui/feed.js';
import { WATCH_WINDOWS } from '../tui/feed.js';

export const FLOW_ROWS = 20;

function flowRow(r: TopFlowRow): FlowRow {
  return {
    mint: r.mint,
    symbol: r.symbol,
    netFlow: Number(r.netFlow),
    buyVolume: Number(r.buyVolume),
    sellVolume: Number(r.sellVolume),
    buyCount: r.buyCount,
    sellCount: r.sellCount,
    uniqueWallets: r.uniqueWallets,
    botShare: r.botShare,
    dcaShare: r.dcaShare,
    lastSignal: r.lastSignal ? { type: r.lastSignal.type, blockTime: r.lastSignal.blockTime } : null,
    // Per-slice history is not in token_metrics (one row per token and window, the latest):
    // storedSparks adds it from the trades.
    spark: null,
  };
}

/** Every window's top flows, ordered by net SOL flow as `query top-flows` orders them. */
export async function storedFlows(store: Store, limit = FLOW_ROWS): Promise<FlowSnapshot[]> {
  return Promise.all(
    WATCH_WINDOWS.map(async (window: WatchWindow) => {
      const rows = await store.reports.topFlows({ window: window as WindowName, order: 'net', limit });
      const asOf = rows.reduce((m, r) => Math.max(m, r.asOf), 0);
      return { window, asOf, rows: rows.map(flowRow) };
    }),
  );
}

export const signalKey = (s: { mint: string; type: string; signature: string }): string => `${s.mint}|${s.type}|${s.signature}`;

export function toSignal(s: StoredSignal): Signal {
  const inputs: Record<string, number> = {};
  for (const [k, v] of Object.entries(s.inputs)) if (typeof v === 'number') inputs[k] = v;
  return {
    mint: s.mint,
    type: s.type as SignalType,
    strength: s.strength,
    window: s.window as WindowName,
    blockTime: s.blockTime,
    slot: s.slot,
    signature: s.signature,
    inputs,
  };
}

/** The newest `limit` stored signals, oldest first. */
export async function recentSignals(store: Store, limit: number): Promise<Signal[]> {
  const rows = await store.reports.findSignals({ limit });
  return rows.reverse().map(toSignal);
}

/** Net-flow slices per sparkline (the live feed draws as many). */
export const SPARK_SLICES = 16;

/** What storedSparks asks the store for: per snapshot, its rows' mints over its window. */
export function sparkSpans(flows: readonly FlowSnapshot[]): FlowSliceSpan[] {
  return flows.map((f) => ({ mints: f.asOf > 0 ? f.rows.map((r) => r.mint) : [], asOf: f.asOf, spanSeconds: windowSeconds(f.window) }));
}

/**
 * Fills each row's `spark` in place: its net SOL flow per slice of the window ending at the
 * snapshot's asOf, from the stored trades (the store's flowSlices report: one statement for
 * every window), bucketed as the live feed buckets (core/flow/slices.ts).
 */
export async function storedSparks(store: Store, flows: readonly FlowSnapshot[], slices = SPARK_SLICES): Promise<void> {
  const bySpan = await store.reports.flowSlices({ spans: sparkSpans(flows), slices });
  flows.forEach((f, w) => {
    for (const r of f.rows) r.spark = bySpan[w].get(r.mint)?.map(Number) ?? null;
  });
}
