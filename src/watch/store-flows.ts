/**
 * The flows panel and the signals strip as the database holds them (token_metrics, signals),
 * through the same reports `query top-flows` and `query signals` answer: what watch shows is
 * what those print for the same moment. The sparklines come from the stored trades themselves,
 * bucketed by the database in one bounded statement per refresh (storedSparks).
 */
import { windowSeconds } from '../core/flow/slices.js';
import type { Signal, SignalType, WindowName } from '../core/flow/types.js';
import type { StoredSignal, TopFlowRow } from '../core/store/reports.js';
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

/** Only base58 reaches the statement text (querySql takes no parameters). */
const BASE58 = /^[1-9A-HJ-NP-Za-km-z]{32,44}$/;

/**
 * Fills each row's `spark` in place: its net SOL flow (lamports, buys minus sells) per equal
 * slice of the window ending at the snapshot's asOf, oldest first, from the stored trades, as
 * netFlowSlices (core/flow/slices.ts) buckets them for the live feed. One statement for every
 * window: per window a range read on trades_mint_time for the shown mints only, grouped by
 * the database, so at most rows × slices numbers come back however busy the window was.
 */
export async function storedSparks(store: Store, flows: readonly FlowSnapshot[], slices = SPARK_SLICES): Promise<void> {
  for (const f of flows) for (const r of f.rows) r.spark = null;
  const sql = sparkSql(flows, slices);
  if (sql === null) return;
  const result = await store.querySql(sql);
  const byMint = flows.map(() => new Map<string, number[]>());
  for await (const [w, mint, slice, net] of result.rows) {
    const m = byMint[Number(w)];
    let row = m.get(String(mint));
    if (!row) m.set(String(mint), (row = new Array<number>(slices).fill(0)));
    row[Number(slice)] += Number(net);
  }
  flows.forEach((f, w) => {
    for (const r of f.rows) r.spark = byMint[w].get(r.mint) ?? null;
  });
}

/** The statement storedSparks runs (null when no window has a row): w, base_mint, slice, net. */
export function sparkSql(flows: readonly FlowSnapshot[], slices = SPARK_SLICES): string | null {
  const parts: string[] = [];
  flows.forEach((f, w) => {
    const mints = f.rows.map((r) => r.mint).filter((m) => BASE58.test(m));
    if (mints.length === 0 || !Number.isSafeInteger(f.asOf) || f.asOf <= 0) return;
    const span = windowSeconds(f.window);
    const start = f.asOf - span;
    // Slice i holds (start + i·span/slices, …]; a trade at asOf itself goes in the last slice.
    parts.push(
      `SELECT ${w} AS w, base_mint, CASE WHEN block_time = ${f.asOf} THEN ${slices - 1} ELSE (block_time - ${start}) * ${slices} / ${span} END AS slice,` +
        ` SUM(CASE WHEN side = 'buy' THEN sol_amount ELSE -sol_amount END) AS net` +
        ` FROM trades WHERE base_mint IN (${mints.map((m) => `'${m}'`).join(', ')})` +
        ` AND block_time > ${start} AND block_time <= ${f.asOf} AND sol_amount IS NOT NULL GROUP BY 1, 2, 3`,
    );
  });
  return parts.length ? parts.join(' UNION ALL ') : null;
}
