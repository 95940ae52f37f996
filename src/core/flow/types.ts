/**
 * What the flow engine (classify + metrics + signals) hands to the writer and to listeners.
 * Volumes are lamports held in `number`: window sums of u64 lamports stay far below 2^53.
 */
import type { Trade } from '../trade.js';

export type WindowName = '1m' | '5m' | '15m' | '1h' | '2h' | '4h';

export const WINDOWS: ReadonlyArray<{ name: WindowName; seconds: number }> = [
  { name: '1m', seconds: 60 },
  { name: '5m', seconds: 300 },
  { name: '15m', seconds: 900 },
  { name: '1h', seconds: 3600 },
  { name: '2h', seconds: 7200 },
  { name: '4h', seconds: 14400 },
];

/** A trade after classification: the bot flag (automated behaviour) with its reasons. */
export interface ClassifiedTrade extends Trade {
  isBot: boolean;
  /**
   * Machine-readable reasons, e.g. "rate:12 tx/60s", "sandwich:front", "round-trip:same-slot".
   * Unflagged trades from the engine share one frozen empty array: copy before mutating.
   */
  botReasons: string[];
}

/** One token's numbers over one window, as of a chain time. */
export interface WindowMetrics {
  mint: string;
  window: WindowName;
  /** Chain clock (block time, seconds) the window ends at. */
  asOf: number;
  asOfSlot: number | null;
  buyVolume: number;
  sellVolume: number;
  buyCount: number;
  sellCount: number;
  netFlow: number;
  uniqueWallets: number;
  uniqueBuyers: number;
  uniqueSellers: number;
  botVolume: number;
  botTrades: number;
  botWallets: number;
  /** Share of gross volume from bot-flagged trades, 0..1. */
  botShare: number;
  dcaVolume: number;
  dcaBuyVolume: number;
  dcaTrades: number;
  dcaWallets: number;
  /** Share of gross volume from DCA fills, 0..1. */
  dcaShare: number;
}

export type SignalType =
  | 'BREAKOUT'
  | 'REACCUMULATION'
  | 'FOCUSED_BUYERS'
  | 'PERSISTENCE'
  | 'FLOW_REVERSAL';

export interface Signal {
  mint: string;
  type: SignalType;
  /** 0..1 */
  strength: number;
  window: WindowName;
  blockTime: number;
  slot: number | null;
  /** The trade whose arrival made the condition true. */
  signature: string;
  /** The numbers that triggered it. */
  inputs: Record<string, number>;
}

/** What one call into the flow engine produced. */
export interface FlowOutput {
  /** Trades that became final, in canonical order, with their bot flags. */
  trades: ClassifiedTrade[];
  /**
   * Trades that arrived after the engine had already finalised their slot (a backfill filling
   * an older range, a very late live delivery, or a re-delivered duplicate). They are passed
   * through unflagged and not counted in the windows: store them and recompute (pipeline.ts).
   */
  late: ClassifiedTrade[];
  /** Latest numbers of every token whose windows changed (all six windows each). */
  metrics: WindowMetrics[];
  signals: Signal[];
}
