/**
 * A scripted stream of real trades for the watch screen: every bundled fixture decoded by the
 * real decoder, laid out as a chain in compressed time (one transaction per slot, two seconds
 * apart, in their original order, like the demo's replay), and run through the real flow engine
 * so flags, flows and signals are the engine's own.
 *
 * The fixtures are a sample spread over three years: with the engine's default signal
 * thresholds no token gathers enough trades to fire. The signal thresholds are lowered here (an
 * engine option, not a change to it) so the strip and the panel's signal column have real signals.
 */
import { EventEmitter } from 'node:events';
import { decodeTransaction } from '../../src/core/decode/index.js';
import { createFlowEngine, type ClassifiedTrade, type Signal, type WindowMetrics } from '../../src/core/flow/index.js';
import { netFlowSlices, windowSeconds } from '../../src/core/flow/slices.js';
import type { Trade } from '../../src/core/trade.js';
import type { WatchFeed, WatchStatus, WatchUpdate } from '../../src/tui/feed.js';
import { WATCH_WINDOWS } from '../../src/tui/feed.js';
import { rankFlows } from '../../src/tui/flow-rows.js';
import { decodedCorpusTrades, loadTx } from '../decode/support.js';

export const SLOT0 = 300_000_000;
export const TIME0 = 1_700_000_000;

export const RELAXED_SIGNALS = {
  breakout: { minNetSol: 0.05, minTrades: 2, minWallets: 2, maxBotShare: 1 },
  focusedBuyers: { minInflowSol: 0.05, minBuyers: 2 },
  flowReversal: { minOutflowSol: 0.01, minTrades: 1, minSellers: 1, minPriorInflowSol: 0.01, minPriorTrades: 1 },
};

/**
 * Every decodable bundled trade, plus the constructed Jupiter DCA fill, retimed. The constructed
 * limit fill is the same transaction re-labelled (same signature and ixPath), so the engine
 * would drop it as a duplicate: `limitFill()` gives it on its own.
 */
export function retimedFixtureTrades(): Trade[] {
  const trades = decodedCorpusTrades();
  trades.push(...decodeTransaction(loadTx('jupiter-dca-fill.constructed', 'constructed')));
  trades.sort((a, b) => (a.slot ?? 0) - (b.slot ?? 0) || (a.signature < b.signature ? -1 : a.signature > b.signature ? 1 : 0));
  let last = '';
  let i = -1;
  return trades.map((t) => {
    if (t.signature !== last) {
      i++;
      last = t.signature;
    }
    return { ...t, slot: SLOT0 + i, blockTime: TIME0 + i * 2, txIndex: 0 };
  });
}

/** The constructed Jupiter limit-order fill, through its own engine (so its flags are the engine's). */
export function limitFill(): ClassifiedTrade {
  const engine = createFlowEngine();
  const t = decodeTransaction(loadTx('jupiter-limit-fill.constructed', 'constructed'));
  const out = [...engine.push(t).trades, ...engine.flush().trades];
  if (out.length !== 1 || !out[0].isLimitOrder) throw new Error('limit fill fixture: expected one limit-order trade');
  return out[0];
}

export interface Script {
  updates: WatchUpdate[];
  trades: ClassifiedTrade[];
  signals: Signal[];
}

/** The stream as the live pipeline would deliver it: `perUpdate` transactions per update. */
export function fixtureScript(perUpdate = 8): Script {
  const engine = createFlowEngine({ signals: RELAXED_SIGNALS });
  const input = retimedFixtureTrades();
  const trades: ClassifiedTrade[] = [];
  const signals: Signal[] = [];
  const latest = new Map<string, WindowMetrics>();
  const lastSignal = new Map<string, Signal>();
  const updates: WatchUpdate[] = [];
  let seen = 0;
  const slots = [...new Set(input.map((t) => t.slot!))];
  for (let k = 0; k < slots.length; k += perUpdate) {
    const chunk = new Set(slots.slice(k, k + perUpdate));
    const batch = input.filter((t) => chunk.has(t.slot!));
    const last = k + perUpdate >= slots.length;
    const a = engine.push(batch);
    const out = last ? { trades: [...a.trades, ...engine.flush().trades], signals: [...a.signals] } : a;
    const metrics = engine.takeMetrics();
    for (const m of metrics) latest.set(`${m.mint}:${m.window}`, m);
    for (const s of out.signals) lastSignal.set(s.mint, s);
    trades.push(...out.trades);
    signals.push(...out.signals);
    seen += batch.length;
    const newest = trades[trades.length - 1];
    const asOf = newest?.blockTime ?? TIME0;
    const status: WatchStatus = {
      source: { kind: 'replay', url: 'http://127.0.0.1:8899/?api-key=SECRETKEY123' },
      newestSlot: newest?.slot ?? null,
      newestTime: newest?.blockTime ?? null,
      lag: { behind: 'tip', slots: 11, seconds: 4.4 },
      tradesSeen: seen,
      tradesPerSec: 40,
    };
    updates.push({
      trades: out.trades,
      signals: out.signals,
      status,
      flows: WATCH_WINDOWS.map((w) => {
        const spark = netFlowSlices(trades, asOf, windowSeconds(w), 12);
        return rankFlows([...latest.values()], w, { lastSignal: (m) => lastSignal.get(m) ?? null, spark: (m) => spark.get(m) ?? null });
      }),
    });
  }
  return { updates, trades, signals };
}

/** A feed the test drives by hand. */
export class ScriptedFeed implements WatchFeed {
  private listeners = new Set<(u: WatchUpdate) => void>();
  constructor(private symbols: Record<string, string> = {}) {}
  subscribe(listener: (u: WatchUpdate) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  emit(u: WatchUpdate): void {
    for (const l of this.listeners) l(u);
  }
  get subscribers(): number {
    return this.listeners.size;
  }
  symbolOf(mint: string): string | null {
    return this.symbols[mint] ?? null;
  }
}

/** A terminal for startWatch: records writes and raw-mode changes, takes keys. */
export class FakeTty extends EventEmitter {
  isTTY = true;
  columns: number;
  rows: number;
  written = '';
  rawMode: boolean[] = [];
  private pendingData: string | null = null;
  constructor(columns = 100, rows = 30) {
    super();
    this.columns = columns;
    this.rows = rows;
  }
  write = (s: string): boolean => {
    this.written += s;
    return true;
  };
  setRawMode(on: boolean): void {
    this.rawMode.push(on);
  }
  setEncoding(): void {}
  resume(): void {}
  pause(): void {}
  ref(): void {}
  unref(): void {}
  read = (): string | null => {
    const d = this.pendingData;
    this.pendingData = null;
    return d;
  };
  press(data: string): void {
    this.pendingData = data;
    this.emit('readable');
  }
}
