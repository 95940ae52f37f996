/**
 * The shapes of a wallet analysis. Amounts stay exact: raw integers as bigint, in the smallest
 * unit of the token they count (lamports for SOL). Ratios (ROI, shares) are plain numbers.
 */
import type { Side, Trade } from '../trade.js';

export type CostBasis = 'avg' | 'fifo';

/** A stored trade with the flow engine's bot flags when it has them (ClassifiedTrade fits). */
export type WalletTrade = Trade & { isBot?: boolean; botReasons?: readonly string[] };

/** The last price a mint traded at in the database, in one quote asset. */
export interface LastPrice {
  baseAmount: bigint;
  quoteAmount: bigint;
  blockTime: number | null;
  slot: number | null;
  signature: string;
}

/**
 * What the wallet did in one transaction, netted: intermediate hops of a route cancel out, so
 * SOL → USDC → TOKEN is one buy of TOKEN for SOL.
 */
export interface Swap {
  signature: string;
  slot: number | null;
  blockTime: number | null;
  side: Side;
  mint: string;
  baseAmount: bigint;
  baseDecimals: number;
  quoteMint: string;
  quoteAmount: bigint;
  quoteDecimals: number;
  isDca: boolean;
}

/** A transaction whose legs cannot be read as buys or sells against a quote asset. */
export interface UnpricedTx {
  signature: string;
  slot: number | null;
  blockTime: number | null;
  reason: string;
}

/** One FIFO lot: a buy, and what later sells took from it. */
export interface Lot {
  signature: string;
  blockTime: number | null;
  qty: bigint;
  cost: bigint;
  soldQty: bigint;
  /** Proceeds of the sold part minus its cost. */
  realized: bigint;
  /** Quantity-weighted mean seconds from the buy to the sells that took from it. */
  holdSeconds: number | null;
}

export interface Position {
  mint: string;
  quoteMint: string;
  baseDecimals: number;
  quoteDecimals: number;
  buys: number;
  sells: number;
  bought: bigint;
  sold: bigint;
  held: bigint;
  /** Everything spent on buys. */
  cost: bigint;
  /** Everything received from sells, including sells without a recorded buy. */
  proceeds: bigint;
  /** Cost basis of the quantity sold against recorded buys. */
  costOfSold: bigint;
  realized: bigint;
  /** Sold beyond what recorded buys held (transferred in, airdropped, bought before --since). */
  soldWithoutBuy: bigint;
  proceedsWithoutBuy: bigint;
  /** Cost basis of what is still held. */
  openCost: bigint;
  lastPrice: LastPrice | null;
  /** held at lastPrice; null when held > 0 and the mint never traded in this quote. */
  value: bigint | null;
  unrealized: bigint | null;
  /** realized / costOfSold. */
  realizedRoi: number | null;
  /** (realized + unrealized) / cost; null while held tokens have no price. */
  roi: number | null;
  status: 'open' | 'closed' | 'no-buy';
  flags: string[];
  firstTime: number | null;
  lastTime: number | null;
  /** avg: mean of closed rounds (first buy → the sell that emptied it); fifo: per-lot, qty-weighted. */
  holdSeconds: number | null;
  /** Times the position went from empty to held and back to empty. */
  closedRounds: number;
  fastCloses: number;
  lots?: Lot[];
}

export interface PnlBucket {
  label: string;
  count: number;
}

/** Per quote asset: PnL is never summed across SOL and stablecoins. */
export interface QuoteTotals {
  quoteMint: string;
  quoteDecimals: number;
  positions: number;
  cost: bigint;
  proceeds: bigint;
  realized: bigint;
  /** Over positions that have a price; `unpricedPositions` have none. */
  unrealized: bigint;
  unpricedPositions: number;
  openPositions: number;
  closedPositions: number;
  wins: number;
  /** wins / closedPositions, null when nothing closed. */
  winRate: number | null;
  noBuyPositions: number;
  distribution: PnlBucket[];
}

export interface Count {
  name: string;
  trades: number;
}

export interface TradeRef {
  signature: string;
  slot: number | null;
  blockTime: number | null;
}

export interface Summary {
  /** Stored legs (rows of the trades table), route hops included. */
  trades: number;
  transactions: number;
  /** Swaps (what the wallet gave and got per transaction; see swaps.ts), not legs. */
  buys: number;
  sells: number;
  /** Lamports received from sells (swaps) with a SOL quote; SOL that only passed through a route is not counted. */
  solIn: bigint;
  /** Lamports spent on buys (swaps) with a SOL quote. */
  solOut: bigint;
  /** Distinct tokens the wallet's swaps bought or sold (route hops left out). */
  tokens: number;
  venues: Count[];
  routers: Count[];
  first: TradeRef | null;
  last: TradeRef | null;
  /** UTC days with a timed trade; null when no stored trade has a block time (unknown, not 0). */
  activeDays: number | null;
  /** Transactions stored without a block time: left out of every time-based figure. */
  untimedTransactions: number;
  swaps: number;
  unpriced: number;
  unpricedExamples: UnpricedTx[];
}

export interface BotEvidence {
  rule: string;
  /** 0..1: how strongly this points at automation. */
  strength: number;
  detail: string;
  trades: number;
  examples: string[];
}

export interface Behaviour {
  bot: { score: number; verdict: 'likely bot' | 'some automation' | 'no bot pattern'; evidence: BotEvidence[] };
  /** Per transaction (a route's hops are one trade), at the SOL its swaps paid or received. */
  platforms: Array<Count & { sol: bigint }>;
  /** Fills per transaction, at the SOL their swaps paid or received. */
  dca: { fills: number; sol: bigint; limitFills: number; limitSol: bigint };
  /** Lamports per swap with a SOL quote (route hops are not trades). */
  tradeSize: { median: bigint | null; mean: bigint | null; trades: number };
  /**
   * The wallet's own transactions (not DCA/limit fills) over the hours between the first and
   * last one with a block time (at least one hour); null when none has a block time.
   */
  tradesPerHour: number | null;
  peakHourTrades: number;
  peakDayTrades: number;
  closedRounds: number;
  fastCloses: number;
  /** fastCloses / closedRounds. */
  fastCloseShare: number | null;
  /** A buy and a sell of one token in the same slot, in different transactions. */
  sameSlotRoundTrips: number;
  sameSlotExamples: string[];
}

export interface DayPoint {
  /** UTC date, YYYY-MM-DD. */
  day: string;
  /** Swaps that day. */
  trades: number;
  /** SOL paid and received by SOL-quoted swaps, lamports. */
  solVolume: bigint;
  /** Realized PnL in SOL booked that day, lamports. */
  realized: bigint;
}

export interface WalletAnalysis {
  wallet: string;
  costBasis: CostBasis;
  token: string | null;
  summary: Summary;
  positions: Position[];
  totals: QuoteTotals[];
  behaviour: Behaviour;
  /** Days with trades, ascending (sparse: days without trades are left out). */
  daily: DayPoint[];
}
