/**
 * The reads behind `solflow analyze`: one wallet's trades (through the trades_trader_time index)
 * and the last price a mint traded at (through trades_mint_time). Prepared statements on the
 * raw connection; raw amounts and lamports come back exact (TEXT, or bigint).
 */
import type Database from 'better-sqlite3';
import type { ClassifiedTrade } from '../../core/flow/types.js';
import type { LastPrice } from '../../core/wallet/types.js';
import { pricePairKey, type PricePair, type WalletTradeFilter } from '../../core/store/reports.js';
import { rowToTrade, TRADE_COLUMNS, type TradeRow } from './rows.js';

export type { WalletTradeFilter } from '../../core/store/reports.js';

// Plain numbers for the small integers (slots, times, flags); sol_amount as text so lamports
// stay exact without paying for safeIntegers on every column of every row.
const COLS = TRADE_COLUMNS.map((c) => (c === 'sol_amount' ? 'CAST(t.sol_amount AS TEXT) AS sol_amount' : `t.${c}`)).join(', ');

function timeClause(alias: string, f: WalletTradeFilter): string {
  const parts: string[] = [];
  if (f.since !== null && f.since !== undefined) parts.push(`${alias}.block_time >= @since`);
  if (f.until !== null && f.until !== undefined) parts.push(`${alias}.block_time <= @until`);
  return parts.map((p) => ` AND ${p}`).join('');
}

/** The SQL walletTrades runs for a filter (exported so the bench can show its query plan). */
export function walletTradesSql(f: WalletTradeFilter): string {
  let sql = `SELECT ${COLS} FROM trades t WHERE t.trader = @wallet${timeClause('t', f)}`;
  if (f.token) {
    // The unary + keeps the planner on trades_trader_time: the mint index would walk every
    // trade of a popular token to find this wallet's few.
    sql += ` AND t.signature IN (SELECT k.signature FROM trades k WHERE k.trader = @wallet AND +k.base_mint = @token${timeClause('k', f)})`;
  }
  return sql;
}

/** The wallet's trades matching the filter, in no particular order (analyzeWallet sorts). */
export function walletTrades(sqlite: Database.Database, f: WalletTradeFilter): ClassifiedTrade[] {
  const params: Record<string, unknown> = { wallet: f.wallet };
  if (f.since !== null && f.since !== undefined) params.since = f.since;
  if (f.until !== null && f.until !== undefined) params.until = f.until;
  if (f.token) params.token = f.token;
  // Arrays are cheaper to fetch than objects with thirty keys (heavy wallets have 50,000 rows).
  const rows = sqlite.prepare(walletTradesSql(f)).raw().all(params) as unknown[][];
  return rows.map((values) => {
    const row = {} as Record<string, unknown>;
    for (let i = 0; i < TRADE_COLUMNS.length; i++) row[TRADE_COLUMNS[i]] = values[i];
    return rowToTrade(row as TradeRow);
  });
}

/**
 * A lookup of the last trade of a mint quoted in a given quote mint, at or before `until` when
 * given: the price unrealized PnL is marked at. Trades of zero size say nothing about price and
 * are skipped. Ties within one block time go to the later slot.
 */
export function lastPriceLookup(sqlite: Database.Database, until: number | null = null): (mint: string, quoteMint: string) => LastPrice | null {
  const stmt = sqlite.prepare(lastPriceSql(until)).safeIntegers(true);
  return (mint, quoteMint) => {
    const params: Record<string, unknown> = { mint, quote: quoteMint };
    if (until !== null) params.until = until;
    const r = stmt.get(params) as { base_amount: string; quote_amount: string; block_time: bigint | null; slot: bigint | null; signature: string } | undefined;
    if (!r) return null;
    return {
      baseAmount: BigInt(r.base_amount),
      quoteAmount: BigInt(r.quote_amount),
      blockTime: r.block_time === null ? null : Number(r.block_time),
      slot: r.slot === null ? null : Number(r.slot),
      signature: r.signature,
    };
  };
}

/** The SQL lastPriceLookup runs (exported so the bench can show its query plan). */
export function lastPriceSql(until: number | null): string {
  return `SELECT base_amount, quote_amount, block_time, slot, signature FROM trades
       WHERE base_mint = @mint AND quote_mint = @quote AND base_amount <> '0'${until === null ? '' : ' AND block_time <= @until'}
       ORDER BY block_time DESC, slot DESC, tx_index DESC, ix_path DESC LIMIT 1`;
}

/** Every pair's last price at once (the Store's lastPrices), through one prepared lookup. */
export function lastPrices(sqlite: Database.Database, pairs: readonly PricePair[], until: number | null): Map<string, LastPrice | null> {
  const lookup = lastPriceLookup(sqlite, until);
  const out = new Map<string, LastPrice | null>();
  for (const p of pairs) {
    const key = pricePairKey(p.mint, p.quoteMint);
    if (!out.has(key)) out.set(key, lookup(p.mint, p.quoteMint));
  }
  return out;
}
