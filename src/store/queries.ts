/**
 * The named questions `solflow query` answers, as SQL over the store. Read-only: every function
 * takes a connection (a reader opened with openDatabase({ readonly: true }) in the CLI) and
 * returns plain rows.
 *
 * Blocklisted mints are left out of every answer unless `includeBlocked` is set, because the
 * blocklist exists to hide spam and scam tokens from what people look at; the rows stay stored.
 *
 * Integers are read with safeIntegers: lamport sums are bigint (a wallet's volume over a long
 * history can pass 2^53 lamports), counts and times are converted to number.
 */
import { statSync } from 'node:fs';
import type Database from 'better-sqlite3';
import type { ClassifiedTrade } from '../core/flow/types.js';
import { WINDOWS, type WindowName } from '../core/flow/types.js';
import { storedExtent } from './replay.js';
import { rowToTrade, TRADE_COLUMNS, type TradeRow } from './rows.js';
import { sigKey } from './sig-key.js';

type Row = Record<string, unknown>;
type Params = Record<string, unknown>;

const num = (v: unknown): number => (typeof v === 'bigint' ? Number(v) : (v as number));
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : num(v));
const big = (v: unknown): bigint => (v === null || v === undefined ? 0n : typeof v === 'bigint' ? v : BigInt(v as number));
const bigOrNull = (v: unknown): bigint | null => (v === null || v === undefined ? null : big(v));

function all(sqlite: Database.Database, sql: string, params: Params = {}): Row[] {
  return sqlite.prepare(sql).safeIntegers(true).all(params) as Row[];
}

function notBlocked(column: string, includeBlocked: boolean | undefined): string | null {
  return includeBlocked ? null : `${column} NOT IN (SELECT mint FROM blocklist)`;
}

function whereSql(clauses: (string | null)[]): string {
  const c = clauses.filter((x): x is string => Boolean(x));
  return c.length ? `WHERE ${c.join(' AND ')}` : '';
}

export interface Blockable {
  /** Show blocklisted mints too (left out by default). */
  includeBlocked?: boolean;
}

/** A chain-time span, unix seconds, both ends inclusive; trades without a block time fall outside any span. */
export interface TimeSpan {
  since?: number;
  until?: number;
}

function timeClauses(column: string, span: TimeSpan, params: Params): string[] {
  const out: string[] = [];
  filterOn(out, params, column, 'since', span.since, '>=');
  filterOn(out, params, column, 'until', span.until, '<=');
  return out;
}

/** `column op @key` when the filter was given; an absent filter adds nothing. */
function filterOn(clauses: (string | null)[], params: Params, column: string, key: string, value: unknown, op = '='): void {
  if (value === undefined) return;
  params[key] = value;
  clauses.push(`${column} ${op} @${key}`);
}

// ---------------------------------------------------------------------------------------------
// The chain clock the store has reached

export interface StoreClock {
  /** Oldest and newest block time, newest slot among stored trades (null on an empty store). */
  oldestTradeTime: number | null;
  newestTradeTime: number | null;
  newestTradeSlot: number | null;
  /** Newest as_of among token_metrics rows: the chain time the metrics were last written at. */
  metricsAsOf: number | null;
}

export function storeClock(sqlite: Database.Database): StoreClock {
  const { maxSlot, maxTime } = storedExtent(sqlite);
  const r = all(sqlite, 'SELECT (SELECT min(block_time) FROM trade_rows) AS t0, (SELECT max(as_of) FROM token_metrics) AS m')[0];
  return { oldestTradeTime: numOrNull(r.t0), newestTradeTime: maxTime, newestTradeSlot: maxSlot, metricsAsOf: numOrNull(r.m) };
}

// ---------------------------------------------------------------------------------------------
// top-flows: the old dashboard's ranked list, from token_metrics

export const FLOW_ORDERS = ['net', 'outflow', 'volume', 'trades', 'wallets'] as const;
export type FlowOrder = (typeof FLOW_ORDERS)[number];

const ORDER_SQL: Record<FlowOrder, string> = {
  net: 'm.net_flow DESC',
  outflow: 'm.net_flow ASC',
  volume: '(m.buy_volume + m.sell_volume) DESC',
  trades: '(m.buy_count + m.sell_count) DESC',
  wallets: 'm.unique_wallets DESC',
};

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

function windowFlow(r: Row): WindowFlow {
  return {
    mint: r.mint as string,
    window: r.window as WindowName,
    asOf: num(r.as_of),
    asOfSlot: numOrNull(r.as_of_slot),
    buyVolume: big(r.buy_volume),
    sellVolume: big(r.sell_volume),
    netFlow: big(r.net_flow),
    buyCount: num(r.buy_count),
    sellCount: num(r.sell_count),
    uniqueWallets: num(r.unique_wallets),
    uniqueBuyers: num(r.unique_buyers),
    uniqueSellers: num(r.unique_sellers),
    botVolume: big(r.bot_volume),
    botTrades: num(r.bot_trades),
    botWallets: num(r.bot_wallets),
    botShare: num(r.bot_share),
    dcaVolume: big(r.dca_volume),
    dcaBuyVolume: big(r.dca_buy_volume),
    dcaTrades: num(r.dca_trades),
    dcaWallets: num(r.dca_wallets),
    dcaShare: num(r.dca_share),
  };
}

export const WINDOW_NAMES: readonly WindowName[] = WINDOWS.map((w) => w.name);

export interface TopFlowsQuery extends Blockable {
  window: WindowName;
  order?: FlowOrder;
  limit: number;
}

/**
 * Tokens ranked over one window. Only tokens that traded inside the window: an idle token's row
 * is its last all-zero snapshot and would only pad the list.
 */
export function topFlows(sqlite: Database.Database, q: TopFlowsQuery): TopFlowRow[] {
  const params: Params = { window: q.window, limit: q.limit };
  const where = whereSql(['m.window = @window', '(m.buy_count + m.sell_count) > 0', notBlocked('m.mint', q.includeBlocked)]);
  const net = (w: WindowName) => `(SELECT x.net_flow FROM token_metrics x WHERE x.mint = m.mint AND x.window = '${w}')`;
  const rows = all(
    sqlite,
    `SELECT m.*, tk.symbol, tk.name,
            ${net('15m')} AS net_15m, ${net('1h')} AS net_1h, ${net('4h')} AS net_4h,
            s.type AS signal_type, s.strength AS signal_strength, s.block_time AS signal_time,
            m.mint IN (SELECT mint FROM blocklist) AS blocked
       FROM token_metrics m
       LEFT JOIN tokens tk ON tk.mint = m.mint
       LEFT JOIN signals s ON s.id = (SELECT id FROM signals WHERE mint = m.mint ORDER BY block_time DESC, id DESC LIMIT 1)
       ${where}
      ORDER BY ${ORDER_SQL[q.order ?? 'net']}, m.mint
      LIMIT @limit`,
    params,
  );
  return rows.map((r) => ({
    ...windowFlow(r),
    symbol: (r.symbol as string | null) ?? null,
    name: (r.name as string | null) ?? null,
    net15m: bigOrNull(r.net_15m),
    net1h: bigOrNull(r.net_1h),
    net4h: bigOrNull(r.net_4h),
    lastSignal: r.signal_type === null ? null : { type: r.signal_type as string, strength: num(r.signal_strength), blockTime: num(r.signal_time) },
    blocked: num(r.blocked) === 1,
  }));
}

export interface SpanFlowRow extends Omit<WindowFlow, 'window' | 'asOf' | 'asOfSlot'> {
  symbol: string | null;
  name: string | null;
  blocked: boolean;
  firstTrade: number | null;
  lastTrade: number | null;
}

export interface SpanFlowsQuery extends Blockable, TimeSpan {
  order?: FlowOrder;
  limit: number;
}

/**
 * Tokens ranked over any chain-time span, aggregated from the trades themselves: for questions
 * the rolling windows (at most 4h, as of the newest trade) cannot answer, such as "the last day"
 * or a historical database. Volumes count only SOL-quoted trades, as the windows do; shares are
 * of gross SOL volume.
 */
export function flowsOverSpan(sqlite: Database.Database, q: SpanFlowsQuery): SpanFlowRow[] {
  const params: Params = { limit: q.limit };
  const where = whereSql([...timeClauses('t.block_time', q, params), notBlocked('t.base_mint', q.includeBlocked)]);
  const order: Record<FlowOrder, string> = {
    net: 'net_flow DESC',
    outflow: 'net_flow ASC',
    volume: '(buy_volume + sell_volume) DESC',
    trades: '(buy_count + sell_count) DESC',
    wallets: 'unique_wallets DESC',
  };
  const vol = (cond: string) => `coalesce(sum(CASE WHEN ${cond} THEN t.sol_amount END), 0)`;
  const rows = all(
    sqlite,
    `SELECT f.*, tk.symbol, tk.name, f.mint IN (SELECT mint FROM blocklist) AS blocked
       FROM (SELECT t.base_mint AS mint,
                    ${vol("t.side = 'buy'")} AS buy_volume,
                    ${vol("t.side = 'sell'")} AS sell_volume,
                    ${vol("t.side = 'buy'")} - ${vol("t.side = 'sell'")} AS net_flow,
                    sum(t.side = 'buy') AS buy_count,
                    sum(t.side = 'sell') AS sell_count,
                    count(DISTINCT t.trader) AS unique_wallets,
                    count(DISTINCT CASE WHEN t.side = 'buy' THEN t.trader END) AS unique_buyers,
                    count(DISTINCT CASE WHEN t.side = 'sell' THEN t.trader END) AS unique_sellers,
                    ${vol('t.is_bot = 1')} AS bot_volume,
                    sum(t.is_bot) AS bot_trades,
                    count(DISTINCT CASE WHEN t.is_bot = 1 THEN t.trader END) AS bot_wallets,
                    ${vol('t.is_dca = 1')} AS dca_volume,
                    ${vol("t.is_dca = 1 AND t.side = 'buy'")} AS dca_buy_volume,
                    sum(t.is_dca) AS dca_trades,
                    count(DISTINCT CASE WHEN t.is_dca = 1 THEN t.trader END) AS dca_wallets,
                    min(t.block_time) AS first_trade,
                    max(t.block_time) AS last_trade
               FROM trades t ${where}
              GROUP BY t.base_mint) f
       LEFT JOIN tokens tk ON tk.mint = f.mint
      ORDER BY ${order[q.order ?? 'net']}, f.mint
      LIMIT @limit`,
    params,
  );
  return rows.map((r) => {
    const buyVolume = big(r.buy_volume);
    const sellVolume = big(r.sell_volume);
    const gross = Number(buyVolume + sellVolume);
    return {
      mint: r.mint as string,
      buyVolume,
      sellVolume,
      netFlow: big(r.net_flow),
      buyCount: num(r.buy_count),
      sellCount: num(r.sell_count),
      uniqueWallets: num(r.unique_wallets),
      uniqueBuyers: num(r.unique_buyers),
      uniqueSellers: num(r.unique_sellers),
      botVolume: big(r.bot_volume),
      botTrades: num(r.bot_trades),
      botWallets: num(r.bot_wallets),
      botShare: gross > 0 ? Number(big(r.bot_volume)) / gross : 0,
      dcaVolume: big(r.dca_volume),
      dcaBuyVolume: big(r.dca_buy_volume),
      dcaTrades: num(r.dca_trades),
      dcaWallets: num(r.dca_wallets),
      dcaShare: gross > 0 ? Number(big(r.dca_volume)) / gross : 0,
      symbol: (r.symbol as string | null) ?? null,
      name: (r.name as string | null) ?? null,
      blocked: num(r.blocked) === 1,
      firstTrade: numOrNull(r.first_trade),
      lastTrade: numOrNull(r.last_trade),
    };
  });
}

/**
 * The wallet with the most stored transactions (ties: more trades, then address), for pointing a
 * newcomer at a wallet worth analysing: many transactions say more about how it trades than one
 * multi-hop arbitrage with many legs. Null on an empty store.
 */
export function mostActiveWallet(sqlite: Database.Database): string | null {
  const r = all(
    sqlite,
    `SELECT a.address AS trader, w.txs FROM
       (SELECT trader_id, count(DISTINCT signature) AS txs, count(*) AS n FROM trade_rows GROUP BY trader_id) w
       JOIN addresses a ON a.id = w.trader_id
     ORDER BY w.txs DESC, w.n DESC, a.address LIMIT 1`,
  )[0];
  return r ? (r.trader as string) : null;
}

// ---------------------------------------------------------------------------------------------
// One token

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

export function tokenInfo(sqlite: Database.Database, mint: string): TokenInfo {
  const t = all(sqlite, 'SELECT symbol, name, decimals, first_seen_time, last_seen_time FROM tokens WHERE mint = @mint', { mint })[0];
  const b = all(sqlite, 'SELECT reason, added_at FROM blocklist WHERE mint = @mint', { mint })[0];
  const c = all(
    sqlite,
    `SELECT count(*) AS n, max(block_time) AS t,
            (SELECT count(*) FROM token_metrics WHERE mint = @mint) AS m,
            (SELECT count(*) FROM signals WHERE mint = @mint) AS s
       FROM trades WHERE base_mint = @mint`,
    { mint },
  )[0];
  return {
    mint,
    symbol: (t?.symbol as string | null) ?? null,
    name: (t?.name as string | null) ?? null,
    decimals: t ? num(t.decimals) : null,
    firstSeenTime: t ? numOrNull(t.first_seen_time) : null,
    lastSeenTime: t ? numOrNull(t.last_seen_time) : null,
    blocked: b ? { reason: (b.reason as string | null) ?? null, addedAt: num(b.added_at) } : null,
    trades: num(c.n),
    metricRows: num(c.m),
    signals: num(c.s),
    newestTradeTime: numOrNull(c.t),
  };
}

/** Every window's latest numbers for one mint, shortest window first. */
export function tokenWindows(sqlite: Database.Database, mint: string, opts: Blockable = {}): WindowFlow[] {
  const rows = all(sqlite, `SELECT * FROM token_metrics m ${whereSql(['m.mint = @mint', notBlocked('m.mint', opts.includeBlocked)])}`, { mint });
  const order = new Map(WINDOW_NAMES.map((w, i) => [w, i]));
  return rows.map(windowFlow).sort((a, b) => (order.get(a.window) ?? 99) - (order.get(b.window) ?? 99));
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

/** The wallets that bought (or sold) the most SOL worth of one mint over a span. */
export function topTraders(sqlite: Database.Database, q: { mint: string; side: 'buy' | 'sell'; limit: number } & TimeSpan & Blockable): TraderTotal[] {
  const params: Params = { mint: q.mint, side: q.side, limit: q.limit };
  const where = whereSql(['base_mint = @mint', 'side = @side', ...timeClauses('block_time', q, params), notBlocked('base_mint', q.includeBlocked)]);
  return all(
    sqlite,
    `SELECT trader, count(*) AS trades, coalesce(sum(sol_amount), 0) AS sol, sum(is_bot) AS bots, sum(is_dca) AS dcas,
            min(block_time) AS first, max(block_time) AS last
       FROM trades ${where}
      GROUP BY trader
      ORDER BY sol DESC, trades DESC, trader
      LIMIT @limit`,
    params,
  ).map((r) => ({
    trader: r.trader as string,
    trades: num(r.trades),
    solVolume: big(r.sol),
    botTrades: num(r.bots),
    dcaTrades: num(r.dcas),
    firstTime: numOrNull(r.first),
    lastTime: numOrNull(r.last),
  }));
}

// ---------------------------------------------------------------------------------------------
// trades

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

const TRADE_SELECT = TRADE_COLUMNS.map((c) => `t.${c}`).join(', ');

/** Trades matching every given filter, newest first (chain time, then position in the chain). */
export function findTrades(sqlite: Database.Database, f: TradeFilter): StoredTrade[] {
  const params: Params = { limit: f.limit };
  const clauses: (string | null)[] = [];
  filterOn(clauses, params, 't.base_mint', 'mint', f.mint);
  filterOn(clauses, params, 't.trader', 'wallet', f.wallet);
  filterOn(clauses, params, 't.venue', 'venue', f.venue);
  filterOn(clauses, params, 't.side', 'side', f.side);
  filterOn(clauses, params, 't.is_bot', 'bot', f.bot === undefined ? undefined : f.bot ? 1 : 0);
  filterOn(clauses, params, 't.is_dca', 'dca', f.dca === undefined ? undefined : f.dca ? 1 : 0);
  if (f.signature !== undefined) {
    // Through the key index (sql/004): a trade whose key another signature took is unkeyed.
    clauses.push('t.id IN (SELECT id FROM trade_rows WHERE (sig_key = @sigKey OR sig_key IS NULL) AND signature = @signature)');
    params.sigKey = sigKey(f.signature);
    params.signature = f.signature;
  }
  clauses.push(...timeClauses('t.block_time', f, params), notBlocked('t.base_mint', f.includeBlocked));
  const rows = all(
    sqlite,
    `SELECT t.id, ${TRADE_SELECT}, tk.symbol
       FROM trades t LEFT JOIN tokens tk ON tk.mint = t.base_mint
       ${whereSql(clauses)}
      ORDER BY t.block_time DESC, t.slot DESC, t.tx_index DESC, t.id DESC
      LIMIT @limit`,
    params,
  );
  return rows.map((r) => ({ ...rowToTrade(r as TradeRow), id: num(r.id), symbol: (r.symbol as string | null) ?? null }));
}

// ---------------------------------------------------------------------------------------------
// bots

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

/** Wallets with flagged trades, most flagged trades first. */
export function botWallets(sqlite: Database.Database, q: BotQuery): BotWallet[] {
  const params: Params = { limit: q.limit };
  const clauses: (string | null)[] = [...timeClauses('t.block_time', q, params), notBlocked('t.base_mint', q.includeBlocked)];
  filterOn(clauses, params, 't.base_mint', 'mint', q.mint);
  const rows = all(
    sqlite,
    `SELECT t.trader, count(*) AS trades, sum(t.is_bot) AS bot_trades,
            coalesce(sum(CASE WHEN t.is_bot = 1 THEN t.sol_amount END), 0) AS bot_sol,
            count(DISTINCT CASE WHEN t.is_bot = 1 THEN t.base_mint END) AS tokens,
            max(CASE WHEN t.is_bot = 1 THEN t.block_time END) AS last
       FROM trades t ${whereSql(clauses)}
      GROUP BY t.trader
     HAVING sum(t.is_bot) > 0
      ORDER BY bot_trades DESC, bot_sol DESC, t.trader
      LIMIT @limit`,
    params,
  );
  if (rows.length === 0) return [];
  // Reasons for the wallets on this page only, under the same filters: one row per (wallet, kind).
  const { limit: _limit, ...filterParams } = params;
  const reasons = all(
    sqlite,
    `SELECT t.trader, substr(j.value, 1, instr(j.value || ':', ':') - 1) AS kind, count(DISTINCT t.id) AS n
       FROM trades t, json_each(t.bot_reasons) j
       ${whereSql(['t.is_bot = 1', 't.trader IN (SELECT value FROM json_each(@wallets))', ...clauses])}
      GROUP BY t.trader, kind
      ORDER BY n DESC, kind`,
    { ...filterParams, wallets: JSON.stringify(rows.map((r) => r.trader as string)) },
  );
  const byWallet = new Map<string, { kind: string; trades: number }[]>();
  for (const r of reasons) {
    const list = byWallet.get(r.trader as string) ?? [];
    list.push({ kind: r.kind as string, trades: num(r.n) });
    byWallet.set(r.trader as string, list);
  }
  return rows.map((r) => ({
    wallet: r.trader as string,
    trades: num(r.trades),
    botTrades: num(r.bot_trades),
    botSolVolume: big(r.bot_sol),
    tokens: num(r.tokens),
    lastTime: numOrNull(r.last),
    reasons: byWallet.get(r.trader as string) ?? [],
  }));
}

// ---------------------------------------------------------------------------------------------
// dca

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

/** Jupiter DCA fills per token, by SOL volume. */
export function dcaByToken(sqlite: Database.Database, q: DcaQuery): DcaToken[] {
  const params: Params = { limit: q.limit };
  const clauses: (string | null)[] = ['d.is_dca = 1', ...timeClauses('d.block_time', q, params), notBlocked('d.base_mint', q.includeBlocked)];
  filterOn(clauses, params, 'd.base_mint', 'mint', q.mint);
  const allTime = timeClauses('a.block_time', q, {});
  const rows = all(
    sqlite,
    `SELECT d.base_mint AS mint, tk.symbol, count(*) AS fills,
            sum(d.side = 'buy') AS buys, sum(d.side = 'sell') AS sells, count(DISTINCT d.trader) AS wallets,
            coalesce(sum(d.sol_amount), 0) AS sol,
            coalesce(sum(CASE WHEN d.side = 'buy' THEN d.sol_amount END), 0) AS buy_sol,
            (SELECT sum(a.sol_amount) FROM trades a ${whereSql(['a.base_mint = d.base_mint', ...allTime])}) AS total_sol,
            max(d.block_time) AS last
       FROM trades d LEFT JOIN tokens tk ON tk.mint = d.base_mint
       ${whereSql(clauses)}
      GROUP BY d.base_mint
      ORDER BY sol DESC, fills DESC, d.base_mint
      LIMIT @limit`,
    params,
  );
  return rows.map((r) => {
    const total = bigOrNull(r.total_sol);
    const sol = big(r.sol);
    return {
      mint: r.mint as string,
      symbol: (r.symbol as string | null) ?? null,
      fills: num(r.fills),
      buyFills: num(r.buys),
      sellFills: num(r.sells),
      wallets: num(r.wallets),
      solVolume: sol,
      buySolVolume: big(r.buy_sol),
      share: total === null || total === 0n ? null : Number(sol) / Number(total),
      lastTime: numOrNull(r.last),
    };
  });
}

// ---------------------------------------------------------------------------------------------
// signals

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

/** Signals newest first. */
export function findSignals(sqlite: Database.Database, q: SignalQuery): StoredSignal[] {
  const params: Params = { limit: q.limit };
  const clauses: (string | null)[] = [...timeClauses('s.block_time', q, params), notBlocked('s.mint', q.includeBlocked)];
  filterOn(clauses, params, 's.mint', 'mint', q.mint);
  filterOn(clauses, params, 's.type', 'type', q.type);
  filterOn(clauses, params, 's.strength', 'minStrength', q.minStrength, '>=');
  return all(
    sqlite,
    `SELECT s.*, tk.symbol FROM signals s LEFT JOIN tokens tk ON tk.mint = s.mint
       ${whereSql(clauses)}
      ORDER BY s.block_time DESC, s.id DESC
      LIMIT @limit`,
    params,
  ).map((r) => ({
    id: num(r.id),
    mint: r.mint as string,
    symbol: (r.symbol as string | null) ?? null,
    type: r.type as string,
    strength: num(r.strength),
    window: r.window as string,
    blockTime: num(r.block_time),
    slot: numOrNull(r.slot),
    signature: r.signature as string,
    inputs: JSON.parse(r.inputs_json as string) as Record<string, unknown>,
  }));
}

/** Signal types present in the store (to tell a typo in --type from an empty answer). */
export function signalTypes(sqlite: Database.Database): string[] {
  return all(sqlite, 'SELECT DISTINCT type FROM signals ORDER BY type').map((r) => r.type as string);
}

// ---------------------------------------------------------------------------------------------
// stats

export interface StoreStats {
  path: string;
  schemaVersion: number;
  /** Bytes of the database file, its write-ahead log and shared-memory index. */
  fileBytes: number;
  walBytes: number;
  shmBytes: number;
  /** Row count per table, by table name. */
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

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

export function storeStats(sqlite: Database.Database, path: string, schemaVersion: number): StoreStats {
  const tables = all(sqlite, "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").map((r) => r.name as string);
  const rows: Record<string, number> = {};
  // Table names come from sqlite_schema itself; quoting keeps odd names harmless.
  for (const t of tables) {
    // trade_rows is what readers know as the trades view (sql/003).
    rows[t === 'trade_rows' ? 'trades' : t] = num(all(sqlite, `SELECT count(*) AS n FROM "${t.replace(/"/g, '""')}"`)[0].n);
  }
  const r = all(
    sqlite,
    `SELECT min(block_time) AS t0, max(block_time) AS t1, min(slot) AS s0, max(slot) AS s1,
            (SELECT count(*) FROM trade_rows WHERE block_time IS NULL) AS untimed,
            (SELECT count(*) FROM (SELECT DISTINCT base_mint_id FROM trade_rows)) AS mints,
            (SELECT count(*) FROM (SELECT DISTINCT trader_id FROM trade_rows)) AS wallets,
            (SELECT max(as_of) FROM token_metrics) AS as_of
       FROM trade_rows`,
  )[0];
  const onDisk = path !== ':memory:';
  return {
    path,
    schemaVersion,
    fileBytes: onDisk ? fileSize(path) : 0,
    walBytes: onDisk ? fileSize(`${path}-wal`) : 0,
    shmBytes: onDisk ? fileSize(`${path}-shm`) : 0,
    rows,
    mints: num(r.mints),
    wallets: num(r.wallets),
    firstTradeTime: numOrNull(r.t0),
    lastTradeTime: numOrNull(r.t1),
    firstSlot: numOrNull(r.s0),
    lastSlot: numOrNull(r.s1),
    tradesWithoutTime: num(r.untimed),
    metricsAsOf: numOrNull(r.as_of),
  };
}

// ---------------------------------------------------------------------------------------------
// query sql: anything else, read-only whatever the text says

/** A statement `query sql` will not run; the message is one line for the user. */
export class ReadOnlySqlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReadOnlySqlError';
  }
}

/** PRAGMAs that only report. Any other PRAGMA, or any of these given a value, is refused. */
const REPORTING_PRAGMAS = new Set([
  'user_version', 'schema_version', 'application_id', 'page_count', 'page_size', 'freelist_count', 'max_page_count',
  'journal_mode', 'encoding', 'auto_vacuum', 'compile_options', 'database_list', 'collation_list', 'function_list',
  'module_list', 'pragma_list', 'data_version', 'table_list',
]);
/** PRAGMAs whose argument names a table or index (or caps a check) rather than setting anything. */
const LOOKUP_PRAGMAS = new Set([
  'table_info', 'table_xinfo', 'table_list', 'index_list', 'index_info', 'index_xinfo', 'foreign_key_list',
  'foreign_key_check', 'integrity_check', 'quick_check',
]);
const ALLOWED = 'one read-only statement: SELECT, WITH … SELECT, VALUES, EXPLAIN QUERY PLAN or a reporting PRAGMA';

/** Leading whitespace and comments removed: what the statement really starts with. */
function leadingCode(text: string): string {
  let s = text;
  for (;;) {
    const t = s.replace(/^\s+/, '');
    if (t.startsWith('--')) {
      const nl = t.indexOf('\n');
      s = nl < 0 ? '' : t.slice(nl + 1);
    } else if (t.startsWith('/*')) {
      const end = t.indexOf('*/', 2);
      s = end < 0 ? '' : t.slice(end + 2);
    } else return t;
  }
}

function checkShape(text: string): void {
  const code = leadingCode(text);
  const words = code.split(/[^A-Za-z_]+/, 4).map((w) => w.toUpperCase());
  const first = words[0] ?? '';
  if (first === 'SELECT' || first === 'WITH' || first === 'VALUES') return;
  if (first === 'EXPLAIN') {
    const rest = words[1] === 'QUERY' && words[2] === 'PLAN' ? words[3] : words[1];
    if (rest === 'SELECT' || rest === 'WITH' || rest === 'VALUES') return;
    throw new ReadOnlySqlError(`refused: EXPLAIN only of a SELECT; ${ALLOWED} can run here`);
  }
  if (first === 'PRAGMA') {
    const m = /^PRAGMA\s+(?:(?:main|temp)\s*\.\s*)?([A-Za-z_]+)\s*(\(\s*(?:'[^']*'|"[^"]*"|[A-Za-z_0-9]+)\s*\))?\s*;?\s*$/i.exec(code);
    const name = m?.[1].toLowerCase() ?? '';
    if (m && (m[2] ? LOOKUP_PRAGMAS.has(name) : REPORTING_PRAGMAS.has(name) || LOOKUP_PRAGMAS.has(name))) return;
    throw new ReadOnlySqlError(`refused: that PRAGMA can change settings; ${ALLOWED} can run here`);
  }
  throw new ReadOnlySqlError(`refused: ${first || 'that statement'} is not a read; ${ALLOWED} can run here`);
}

/**
 * Prepares a user's statement only if it cannot write, whatever it says: one statement, shaped
 * like a read, that SQLite itself reports as read-only and row-returning (sqlite3_stmt_readonly
 * alone lets ATTACH, BEGIN and some PRAGMA assignments through, hence the shape check). Callers
 * also open the file read-only with query_only=ON, so a statement that slipped past would still
 * fail rather than write.
 */
export function prepareReadOnly(sqlite: Database.Database, text: string): Database.Statement {
  let stmt: Database.Statement;
  try {
    stmt = sqlite.prepare(text);
  } catch (err) {
    const msg = (err as Error).message;
    if (/more than one statement/.test(msg)) throw new ReadOnlySqlError(`refused: more than one statement; ${ALLOWED} can run here`);
    if (/contains no statements/.test(msg)) throw new ReadOnlySqlError('no SQL statement given');
    // A write aimed at the trades view fails to compile ("cannot modify trades because it is a
    // view", "use DROP VIEW…") instead of reaching the read-only check: it is still a write.
    if (/because it is a view|use DROP VIEW/.test(msg)) {
      checkShape(text);
      throw new ReadOnlySqlError(`refused: the statement writes; ${ALLOWED} can run here`);
    }
    throw new ReadOnlySqlError(`SQL error: ${msg}`);
  }
  checkShape(text);
  if (!stmt.readonly || !stmt.reader) throw new ReadOnlySqlError(`refused: the statement could write or returns no rows; ${ALLOWED} can run here`);
  return stmt;
}
