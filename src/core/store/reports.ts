/**
 * The named reads behind `solflow query`, `analyze` and `demo`, as the Store interface returns
 * them: parameters in, plain rows out. Shapes only; each backend answers them (src/store/reports
 * holds the Kysely code both backends share).
 *
 * Number conventions, the same on every backend:
 *  - lamport sums are bigint (a wallet's volume over a long history can pass 2^53 lamports);
 *  - counts, slots, unix-second times and ids are number;
 *  - u64 token amounts stay exact (bigint in LastPrice, decimal strings in stored trades).
 *
 * Blocklisted mints are left out of every answer unless `includeBlocked` is set: the blocklist
 * exists to hide spam and scam tokens from what people look at; the rows stay stored.
 */
import type { ClassifiedTrade, WindowName } from '../flow/types.js';
import type { LastPrice } from '../wallet/types.js';

export interface Blockable {
  /** Show blocklisted mints too (left out by default). */
  includeBlocked?: boolean;
}

/** A chain-time span, unix seconds, both ends inclusive; trades without a block time fall outside any span. */
export interface TimeSpan {
  since?: number;
  until?: number;
}

export interface StoreClock {
  /** Oldest and newest block time, newest slot among stored trades (null on an empty store). */
  oldestTradeTime: number | null;
  newestTradeTime: number | null;
  newestTradeSlot: number | null;
  /** Newest as_of among token_metrics rows: the chain time the metrics were last written at. */
  metricsAsOf: number | null;
}

export const FLOW_ORDERS = ['net', 'outflow', 'volume', 'trades', 'wallets'] as const;
export type FlowOrder = (typeof FLOW_ORDERS)[number];

/** One token_metrics row: a token's rolling numbers over one window. */
export interface WindowFlow {
  mint: string;
  window: WindowName;
  asOf: number;
  asOfSlot: number | null;
  buyVolume: bigint;
  sellVolume: bigint;
  netFlow: bigint;
  buyCount: number;
  sellCount: number;
  uniqueWallets: number;
  uniqueBuyers: number;
  uniqueSellers: number;
  botVolume: bigint;
  botTrades: number;
  botWallets: number;
  botShare: number;
  dcaVolume: bigint;
  dcaBuyVolume: bigint;
  dcaTrades: number;
  dcaWallets: number;
  dcaShare: number;
}

export interface TopFlowRow extends WindowFlow {
  symbol: string | null;
  name: string | null;
  /** Net flow of the same token over the dashboard's longer horizons (null if no row). */
  net15m: bigint | null;
  net1h: bigint | null;
  net4h: bigint | null;
  /** The token's most recent signal. */
  lastSignal: { type: string; strength: number; blockTime: number } | null;
  blocked: boolean;
}

/** Quote assets (SOL, stablecoins: core/quote-mints.ts) are no tokens; rankings leave them out unless this is set. */
export interface QuoteFilter {
  includeQuotes?: boolean;
}

export interface TopFlowsQuery extends Blockable, QuoteFilter {
  window: WindowName;
  order?: FlowOrder;
  limit: number;
}

export interface SpanFlowRow extends Omit<WindowFlow, 'window' | 'asOf' | 'asOfSlot'> {
  symbol: string | null;
  name: string | null;
  blocked: boolean;
  firstTrade: number | null;
  lastTrade: number | null;
}

export interface SpanFlowsQuery extends Blockable, QuoteFilter, TimeSpan {
  order?: FlowOrder;
  limit: number;
}

/** One span of a FlowSlicesQuery: (asOf - spanSeconds, asOf] in unix seconds, for these mints only. */
export interface FlowSliceSpan {
  mints: readonly string[];
  asOf: number;
  spanSeconds: number;
}

export interface FlowSlicesQuery {
  spans: readonly FlowSliceSpan[];
  /** Equal parts each span is cut into (core/flow/slices.ts's arithmetic). */
  slices: number;
}

export interface TokenInfo {
  mint: string;
  symbol: string | null;
  name: string | null;
  decimals: number | null;
  firstSeenTime: number | null;
  lastSeenTime: number | null;
  blocked: { reason: string | null; addedAt: number } | null;
  /** Stored trades of this mint (all time), its token_metrics rows and signals. */
  trades: number;
  metricRows: number;
  signals: number;
  newestTradeTime: number | null;
}

export interface TraderTotal {
  trader: string;
  trades: number;
  /** Lamports the wallet paid (buys) or received (sells) in SOL-quoted trades. */
  solVolume: bigint;
  botTrades: number;
  dcaTrades: number;
  firstTime: number | null;
  lastTime: number | null;
}

export interface TopTradersQuery extends TimeSpan, Blockable {
  mint: string;
  side: 'buy' | 'sell';
  limit: number;
}

export interface TradeFilter extends TimeSpan, Blockable {
  mint?: string;
  /** The wallet whose funds moved (trades.trader). */
  wallet?: string;
  venue?: string;
  side?: 'buy' | 'sell';
  bot?: boolean;
  dca?: boolean;
  /** The trades of this one transaction. */
  signature?: string;
  limit: number;
}

export interface StoredTrade extends ClassifiedTrade {
  id: number;
  symbol: string | null;
}

export interface BotWallet {
  wallet: string;
  /** All of the wallet's trades in the span, and how many of them were flagged. */
  trades: number;
  botTrades: number;
  /** Lamports of SOL-quoted flagged trades, buys and sells together. */
  botSolVolume: bigint;
  tokens: number;
  lastTime: number | null;
  /** Reason kinds ("rate", "sandwich", "round-trip", …) with how many flagged trades gave each. */
  reasons: { kind: string; trades: number }[];
}

export interface BotQuery extends TimeSpan, Blockable {
  mint?: string;
  limit: number;
}

export interface DcaToken {
  mint: string;
  symbol: string | null;
  fills: number;
  buyFills: number;
  sellFills: number;
  wallets: number;
  /** Lamports of SOL-quoted DCA fills, and of their buys only. */
  solVolume: bigint;
  buySolVolume: bigint;
  /** DCA fills' share of the token's SOL volume in the same span (null without SOL volume). */
  share: number | null;
  lastTime: number | null;
}

export interface DcaQuery extends TimeSpan, Blockable {
  mint?: string;
  limit: number;
}

export interface StoredSignal {
  id: number;
  mint: string;
  symbol: string | null;
  type: string;
  strength: number;
  window: string;
  blockTime: number;
  slot: number | null;
  signature: string;
  inputs: Record<string, unknown>;
}

export interface SignalQuery extends TimeSpan, Blockable {
  mint?: string;
  type?: string;
  minStrength?: number;
  limit: number;
}

export interface StoreStats {
  /** Where the data lives: a file path, or a redacted URL. */
  path: string;
  schemaVersion: number;
  /**
   * Bytes on disk. SQLite: the file, its write-ahead log and shared-memory index. Postgres:
   * fileBytes = pg_database_size, walBytes = shmBytes = 0.
   */
  fileBytes: number;
  walBytes: number;
  shmBytes: number;
  /** Row count per table, by table name (trade_rows is reported as `trades`). */
  rows: Record<string, number>;
  mints: number;
  wallets: number;
  firstTradeTime: number | null;
  lastTradeTime: number | null;
  firstSlot: number | null;
  lastSlot: number | null;
  /** Trades stored without a block time (the source did not carry one). */
  tradesWithoutTime: number;
  metricsAsOf: number | null;
}

export interface WalletTradeFilter {
  wallet: string;
  /** Unix seconds, inclusive. Trades without a block time are left out when either is set. */
  since?: number | null;
  until?: number | null;
  /**
   * Only transactions in which the wallet traded this mint as the base token; all the wallet's
   * legs of those transactions come back, so a route through other tokens can be netted.
   */
  token?: string | null;
}

/** A (base mint, quote mint) pair whose last price is wanted. */
export interface PricePair {
  mint: string;
  quoteMint: string;
}

/** Key of a pair in the map lastPrices returns. */
export const pricePairKey = (mint: string, quoteMint: string): string => `${mint}|${quoteMint}`;

/**
 * The named reads. Every method is read-only and may run on a store opened readonly.
 * Adding a report: one file in src/store/reports/, one line in its registry, one method here.
 */
export interface Reports {
  storeClock(): Promise<StoreClock>;
  /**
   * Tokens ranked over one rolling window (token_metrics). Only tokens that traded inside the
   * window: an idle token's row is its last all-zero snapshot and would only pad the list.
   * Ties broken by mint.
   */
  topFlows(q: TopFlowsQuery): Promise<TopFlowRow[]>;
  /**
   * Tokens ranked over any chain-time span, aggregated from the trades themselves. Volumes count
   * only SOL-quoted trades (sol_amount), as the windows do; shares are of gross SOL volume.
   */
  flowsOverSpan(q: SpanFlowsQuery): Promise<SpanFlowRow[]>;
  /**
   * Per span (in the order given), each of its mints that has SOL-quoted trades in it: net SOL
   * flow (lamports, buys minus sells) per slice, oldest first, as core/flow/slices.ts buckets a
   * live feed's trades. The blocklist is not applied: the caller names the mints.
   */
  flowSlices(q: FlowSlicesQuery): Promise<Map<string, bigint[]>[]>;
  /**
   * The wallet with the most stored transactions (ties: more trades, then address), null on an
   * empty store.
   */
  mostActiveWallet(): Promise<string | null>;
  tokenInfo(mint: string): Promise<TokenInfo>;
  /** Every window's latest numbers for one mint, shortest window first. */
  tokenWindows(mint: string, opts?: Blockable): Promise<WindowFlow[]>;
  /** The wallets that bought (or sold) the most SOL worth of one mint over a span. */
  topTraders(q: TopTradersQuery): Promise<TraderTotal[]>;
  /** Trades matching every given filter, newest first (block time, slot, tx_index, id; all DESC). */
  findTrades(f: TradeFilter): Promise<StoredTrade[]>;
  /** Wallets with flagged trades, most flagged trades first (then bot SOL volume, then wallet). */
  botWallets(q: BotQuery): Promise<BotWallet[]>;
  /** Jupiter DCA fills per token, by SOL volume (then fills, then mint). */
  dcaByToken(q: DcaQuery): Promise<DcaToken[]>;
  /** Signals newest first (block time, then id). */
  findSignals(q: SignalQuery): Promise<StoredSignal[]>;
  /** Signal types present in the store, sorted (to tell a typo in --type from an empty answer). */
  signalTypes(): Promise<string[]>;
  storeStats(): Promise<StoreStats>;
  /** The wallet's trades matching the filter, in no particular order (analyzeWallet sorts). */
  walletTrades(f: WalletTradeFilter): Promise<ClassifiedTrade[]>;
  /**
   * For each pair, the last trade of `mint` quoted in `quoteMint` at or before `until` (when
   * given): the price unrealized PnL is marked at. Zero-size trades are skipped; ties within one
   * block time go to the later slot. Keyed by pricePairKey; a pair that never traded maps to null.
   */
  lastPrices(pairs: readonly PricePair[], until: number | null): Promise<Map<string, LastPrice | null>>;
}
