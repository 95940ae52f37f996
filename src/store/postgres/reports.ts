/**
 * The Postgres backend's own reads beside the shared Kysely reports (src/store/reports, which run
 * here with report-sql.ts's spellings): storeStats reads the catalog and the database size
 * instead of files; walletTrades and lastPrices are the analyze reads each backend keeps close
 * to its indexes (SQLite's are prepared statements). SQLite sorts NULL lowest, Postgres highest:
 * lastPrices says NULLS LAST so ties and missing values come out in the order SQLite gives.
 */
import type pg from 'pg';
import type { PricePair, StoreStats, WalletTradeFilter } from '../../core/store/reports.js';
import { pricePairKey } from '../../core/store/reports.js';
import type { ClassifiedTrade } from '../../core/flow/types.js';
import type { LastPrice } from '../../core/wallet/types.js';
import { storeStatsOf, type ExtentRow } from '../stats-row.js';
import { rowToTrade, TRADE_COLUMNS, type TradeRow } from '../trade-row.js';
import { big, num, numOrNull } from '../values.js';

type Row = Record<string, unknown>;


/** $n parameters, numbered in the order they are added. */
class Where {
  readonly params: unknown[] = [];
  param(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }
}

export function pgReports(pool: pg.Pool, location: string, schemaVersion: number) {
  const rows = async (sql: string, params: unknown[] = []) => (await pool.query(sql, params)).rows as Row[];

  async function storeStats(): Promise<StoreStats> {
    const tables = (await rows(`SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename`)).map((r) => r.tablename as string);
    const counts: Record<string, number> = {};
    for (const t of tables) counts[t === 'trade_rows' ? 'trades' : t] = num((await rows(`SELECT count(*) AS n FROM "${t.replace(/"/g, '""')}"`))[0].n);
    const r = (
      await rows(
        `SELECT min(block_time) AS t0, max(block_time) AS t1, min(slot) AS s0, max(slot) AS s1,
                count(*) FILTER (WHERE block_time IS NULL) AS untimed,
                count(DISTINCT base_mint_id) AS mints, count(DISTINCT trader_id) AS wallets,
                (SELECT max(as_of) FROM token_metrics) AS as_of,
                pg_database_size(current_database()) AS bytes
           FROM trade_rows`,
      )
    )[0];
    return storeStatsOf(r as ExtentRow, { path: location, schemaVersion, fileBytes: num(r.bytes), walBytes: 0, shmBytes: 0, rows: counts });
  }

  /** One wallet's trades through trades_trader_time; `token` keeps the transactions where it traded that mint. */
  async function walletTrades(f: WalletTradeFilter): Promise<ClassifiedTrade[]> {
    const w = new Where();
    const wallet = w.param(f.wallet);
    const span = (alias: string) =>
      [f.since != null ? ` AND ${alias}.block_time >= ${w.param(f.since)}` : '', f.until != null ? ` AND ${alias}.block_time <= ${w.param(f.until)}` : ''].join('');
    let sql = `SELECT ${TRADE_COLUMNS.map((c) => `t.${c}`).join(', ')} FROM trades t WHERE t.trader = ${wallet}${span('t')}`;
    if (f.token) sql += ` AND t.signature IN (SELECT k.signature FROM trades k WHERE k.trader = ${wallet} AND k.base_mint = ${w.param(f.token)}${span('k')})`;
    return (await rows(sql, w.params)).map((r) => rowToTrade(r as TradeRow));
  }

  /** The last non-zero trade of each pair at or before `until`; ties within a block time to the later slot. */
  async function lastPrices(pairs: readonly PricePair[], until: number | null): Promise<Map<string, LastPrice | null>> {
    const out = new Map<string, LastPrice | null>();
    const sql = `SELECT base_amount, quote_amount, block_time, slot, signature FROM trades
        WHERE base_mint = $1 AND quote_mint = $2 AND base_amount <> 0${until === null ? '' : ' AND block_time <= $3'}
        ORDER BY block_time DESC NULLS LAST, slot DESC NULLS LAST, tx_index DESC NULLS LAST, ix_path DESC LIMIT 1`;
    for (const p of pairs) {
      const key = pricePairKey(p.mint, p.quoteMint);
      if (out.has(key)) continue;
      const r = (await rows(sql, until === null ? [p.mint, p.quoteMint] : [p.mint, p.quoteMint, until]))[0];
      out.set(
        key,
        r
          ? { baseAmount: big(r.base_amount), quoteAmount: big(r.quote_amount), blockTime: numOrNull(r.block_time), slot: numOrNull(r.slot), signature: r.signature as string }
          : null,
      );
    }
    return out;
  }

  return { storeStats, walletTrades, lastPrices };
}
