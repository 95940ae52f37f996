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

  /**
   * The last non-zero trade of each pair at or before `until`; ties within a block time to the
   * later slot. All pairs in one statement (a heavy wallet holds hundreds: one round trip each
   * was most of `analyze`'s time). Timed trades are found by walking trades_mint_time backwards,
   * which gives block_time DESC NULLS FIRST: asking for the untimed ones in the same ORDER BY
   * (NULLS LAST) would sort every trade of a popular mint instead. So untimed trades, last in
   * SQLite's order, are looked for only for the pairs that have no timed one.
   */
  async function lastPrices(pairs: readonly PricePair[], until: number | null): Promise<Map<string, LastPrice | null>> {
    const found = new Map<string, LastPrice>();
    const unique = new Map<string, PricePair>();
    for (const p of pairs) unique.set(pricePairKey(p.mint, p.quoteMint), p);
    const lookup = async (wanted: PricePair[], timed: boolean) => {
      if (wanted.length === 0) return;
      const params: unknown[] = [wanted.map((p) => p.mint), wanted.map((p) => p.quoteMint)];
      if (timed && until !== null) params.push(until);
      const time = timed ? `r.block_time IS NOT NULL${until === null ? '' : ' AND r.block_time <= $3'}` : 'r.block_time IS NULL';
      const got = await rows(
        `SELECT p.mint, p.quote, x.base_amount, x.quote_amount, x.block_time, x.slot, x.signature
           FROM unnest($1::text[], $2::text[]) AS p(mint, quote)
           JOIN addresses bm ON bm.address = p.mint COLLATE "C"
           JOIN addresses qm ON qm.address = p.quote COLLATE "C"
           CROSS JOIN LATERAL (
             SELECT r.base_amount, r.quote_amount, r.block_time, r.slot, r.signature FROM trade_rows r
              WHERE r.base_mint_id = bm.id AND r.quote_mint_id = qm.id AND r.base_amount <> 0 AND ${time}
              ORDER BY r.block_time DESC, r.slot DESC NULLS LAST, r.tx_index DESC NULLS LAST, r.ix_path DESC LIMIT 1) x`,
        params,
      );
      for (const r of got) {
        found.set(pricePairKey(r.mint as string, r.quote as string), {
          baseAmount: big(r.base_amount), quoteAmount: big(r.quote_amount), blockTime: numOrNull(r.block_time), slot: numOrNull(r.slot), signature: r.signature as string,
        });
      }
    };
    await lookup([...unique.values()], true);
    // `until` bounds block times, so an untimed trade never qualifies then.
    if (until === null) await lookup([...unique].filter(([k]) => !found.has(k)).map(([, p]) => p), false);
    return new Map([...unique.keys()].map((k) => [k, found.get(k) ?? null]));
  }

  return { storeStats, walletTrades, lastPrices };
}
