/**
 * What the watch screen consumes. The UI computes no flows and reads no database: a feed (the
 * store tailer, or the live pipeline's listener) pushes updates and the screen only renders
 * them. Implementing `WatchFeed` is all a new source needs to do to be shown.
 */
import type { ClassifiedTrade, Signal, SignalType } from '../core/flow/types.js';

/** The windows the flows panel cycles through with `w`. */
export type WatchWindow = '5m' | '15m' | '1h' | '4h';
export const WATCH_WINDOWS: readonly WatchWindow[] = ['5m', '15m', '1h', '4h'];

/** Where the trades come from, as the header names it (URLs are redacted before display). */
export type WatchSource =
  | { kind: 'db'; path: string }
  | { kind: 'rpc'; url: string }
  | { kind: 'grpc'; url: string }
  /**
   * The demo: bundled transactions served as a chain on loopback, in compressed time (`speed`
   * chain seconds per wall second); `note` says what else differs from a real chain.
   */
  | { kind: 'replay'; url: string; speed?: number; note?: string };

export interface WatchStatus {
  source: WatchSource;
  /** Newest slot stored (tailing) or seen (live), and its block time (unix seconds). */
  newestSlot: number | null;
  newestTime: number | null;
  /** Behind the chain tip when live, behind the writer when tailing; null when unknown. */
  lag: { behind: 'tip' | 'writer'; slots: number | null; seconds: number | null } | null;
  /** Trades the feed delivered this session (before any filter). */
  tradesSeen: number;
  /** Recent delivery rate, trades per second of wall clock. */
  tradesPerSec: number;
  /**
   * Something the user should see while watch goes on: "reconnecting (3rd try)", "database was
   * pruned; resumed at slot …". A failure that ends watch is not a notice: the command stops the
   * screen (WatchHandle.stop) and prints the error once the terminal is restored.
   */
  notice?: string | null;
}

/** One token's numbers over one window, ranked by the feed (net SOL flow, highest first). */
export interface FlowRow {
  mint: string;
  symbol: string | null;
  /** Lamports. */
  netFlow: number;
  buyVolume: number;
  sellVolume: number;
  buyCount: number;
  sellCount: number;
  uniqueWallets: number;
  /** 0..1 of gross volume. */
  botShare: number;
  dcaShare: number;
  lastSignal: { type: SignalType | string; blockTime: number } | null;
  /** Net flow (lamports) per equal slice of the window, oldest first; null when not known. */
  spark: number[] | null;
}

export interface FlowSnapshot {
  window: WatchWindow;
  /** Chain time (unix seconds) the numbers are as of. */
  asOf: number;
  rows: FlowRow[];
}

/** One delivery. Every part is optional: a feed sends what changed. */
export interface WatchUpdate {
  /** New trades, oldest first (canonical order), each delivered once. */
  trades?: readonly ClassifiedTrade[];
  /** Replaces the snapshot of each window named. */
  flows?: readonly FlowSnapshot[];
  /** Newly fired signals, oldest first. */
  signals?: readonly Signal[];
  status?: WatchStatus;
}

export interface WatchFeed {
  /**
   * Start delivering to `listener`; returns the unsubscribe. The first update should carry a
   * screenful of the most recent stored trades (the tape is never empty at start when the store
   * is not) and the current flows and status. Listeners may be called at any rate: the screen
   * coalesces updates itself.
   */
  subscribe(listener: (update: WatchUpdate) => void): () => void;
  /** Token symbol when the feed knows it (tokens table, labels); called at render time. */
  symbolOf?(mint: string): string | null;
}
