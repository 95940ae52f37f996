/**
 * The reports whose SQL differs on Postgres, and the backend's own reads. Everything else comes
 * from the shared Kysely reports (src/store/reports), which run unchanged here.
 *
 * What differs, and why each is written here rather than branched inside a shared query:
 *  - a sum of a comparison (`sum(side = 'buy')`) is SQLite's; Postgres counts with FILTER;
 *  - bot reasons are a JSON array in text: SQLite walks it with json_each, Postgres with
 *    json_array_elements_text;
 *  - SQLite sorts NULL lowest, Postgres highest: every DESC here says NULLS LAST so ties and
 *    missing values come out in the order the SQLite file gives;
 *  - storeStats reads Postgres's catalog and database size instead of files.
 */
import type pg from 'pg';
import type {
  BotQuery, BotWallet, DcaQuery, DcaToken, FlowOrder, PricePair, SpanFlowRow, SpanFlowsQuery, StoreStats, TimeSpan, WalletTradeFilter,
} from '../../core/store/reports.js';
import { pricePairKey } from '../../core/store/reports.js';
import { quoteMints } from '../../core/quote-mints.js';
import type { ClassifiedTrade } from '../../core/flow/types.js';
import type { LastPrice } from '../../core/wallet/types.js';
import { rowToTrade, TRADE_COLUMNS, type TradeRow } from '../trade-row.js';

type Row = Record<string, unknown>;

const num = (v: unknown): number => Number(v);
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const big = (v: unknown): bigint => (v === null || v === undefined ? 0n : BigInt(v as number | bigint | string));
const bigOrNull = (v: unknown): bigint | null => (v === null || v === undefined ? null : big(v));
const text = (v: unknown): string | null => (v === null || v === undefined ? null : (v as string));

/** WHERE clauses with $n parameters, built in the order they are added. */
class Where {
  readonly params: unknown[] = [];
  private readonly parts: string[] = [];
  param(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }
  add(clause: string | null): this {
    if (clause) this.parts.push(clause);
    return this;
  }
  /** `column op value` when the value was given. */
  on(column: string, value: unknown, op = '='): this {
    if (value !== undefined) this.parts.push(`${column} ${op} ${this.param(value)}`);
    return this;
  }
  span(column: string, s: TimeSpan): this {
    return this.on(column, s.since, '>=').on(column, s.until, '<=');
  }
  notBlocked(column: string, includeBlocked: boolean | undefined): this {
    return this.add(includeBlocked ? null : `${column} NOT IN (SELECT mint FROM blocklist)`);
  }
  /** SOL and the stablecoins are quote assets, not tokens: left out unless asked for (as in reports/sql.ts). */
  notQuote(column: string, includeQuotes: boolean | undefined): this {
    const mints = quoteMints();
    if (includeQuotes || mints.length === 0) return this;
    return this.add(`${column} <> ALL(${this.param(mints)}::text[])`);
  }
  sql(): string {
    return this.parts.length ? `WHERE ${this.parts.join(' AND ')}` : '';
  }
}

const ORDER_SQL: Record<FlowOrder, string> = {
  net: 'net_flow DESC',
  outflow: 'net_flow ASC',
  volume: '(buy_volume + sell_volume) DESC',
  trades: '(buy_count + sell_count) DESC',
  wallets: 'unique_wallets DESC',
};

export function pgReports(pool: pg.Pool, location: string, schemaVersion: number) {
  const rows = async (sql: string, params: unknown[] = []) => (await pool.query(sql, params)).rows as Row[];

  async function flowsOverSpan(q: SpanFlowsQuery): Promise<SpanFlowRow[]> {
    const w = new Where().span('t.block_time', q).notBlocked('t.base_mint', q.includeBlocked).notQuote('t.base_mint', q.includeQuotes);
    const vol = (cond: string) => `coalesce(sum(t.sol_amount) FILTER (WHERE ${cond}), 0)`;
    const limit = w.param(q.limit);
    const rs = await rows(
      `SELECT f.*, tk.symbol, tk.name, f.mint IN (SELECT mint FROM blocklist) AS blocked
         FROM (SELECT t.base_mint AS mint,
                      ${vol("t.side = 'buy'")} AS buy_volume,
                      ${vol("t.side = 'sell'")} AS sell_volume,
                      ${vol("t.side = 'buy'")} - ${vol("t.side = 'sell'")} AS net_flow,
                      count(*) FILTER (WHERE t.side = 'buy') AS buy_count,
                      count(*) FILTER (WHERE t.side = 'sell') AS sell_count,
                      count(DISTINCT t.trader) AS unique_wallets,
                      count(DISTINCT t.trader) FILTER (WHERE t.side = 'buy') AS unique_buyers,
                      count(DISTINCT t.trader) FILTER (WHERE t.side = 'sell') AS unique_sellers,
                      ${vol('t.is_bot = 1')} AS bot_volume,
                      sum(t.is_bot) AS bot_trades,
                      count(DISTINCT t.trader) FILTER (WHERE t.is_bot = 1) AS bot_wallets,
                      ${vol('t.is_dca = 1')} AS dca_volume,
                      ${vol("t.is_dca = 1 AND t.side = 'buy'")} AS dca_buy_volume,
                      sum(t.is_dca) AS dca_trades,
                      count(DISTINCT t.trader) FILTER (WHERE t.is_dca = 1) AS dca_wallets,
                      min(t.block_time) AS first_trade,
                      max(t.block_time) AS last_trade
                 FROM trades t ${w.sql()}
                GROUP BY t.base_mint) f
         LEFT JOIN tokens tk ON tk.mint = f.mint
        ORDER BY ${ORDER_SQL[q.order ?? 'net']}, f.mint
        LIMIT ${limit}`,
      w.params,
    );
    return rs.map((r) => {
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
        symbol: text(r.symbol),
        name: text(r.name),
        blocked: num(r.blocked) === 1,
        firstTrade: numOrNull(r.first_trade),
        lastTrade: numOrNull(r.last_trade),
      };
    });
  }

  async function botWallets(q: BotQuery): Promise<BotWallet[]> {
    const filters = (w: Where) => w.span('t.block_time', q).notBlocked('t.base_mint', q.includeBlocked).on('t.base_mint', q.mint);
    const w = filters(new Where());
    const limit = w.param(q.limit);
    const rs = await rows(
      `SELECT t.trader, count(*) AS trades, sum(t.is_bot) AS bot_trades,
              coalesce(sum(t.sol_amount) FILTER (WHERE t.is_bot = 1), 0) AS bot_sol,
              count(DISTINCT t.base_mint) FILTER (WHERE t.is_bot = 1) AS tokens,
              max(t.block_time) FILTER (WHERE t.is_bot = 1) AS last
         FROM trades t ${w.sql()}
        GROUP BY t.trader
       HAVING sum(t.is_bot) > 0
        ORDER BY bot_trades DESC, bot_sol DESC, t.trader
        LIMIT ${limit}`,
      w.params,
    );
    if (rs.length === 0) return [];
    const rw = filters(new Where().add('t.is_bot = 1'));
    rw.add(`t.trader = ANY(${rw.param(rs.map((r) => r.trader as string))}::text[])`);
    const reasons = await rows(
      `SELECT t.trader, split_part(j.value, ':', 1) AS kind, count(DISTINCT t.id) AS n
         FROM trades t, json_array_elements_text(t.bot_reasons::json) AS j(value)
         ${rw.sql()}
        GROUP BY t.trader, kind
        ORDER BY n DESC, kind`,
      rw.params,
    );
    const byWallet = new Map<string, { kind: string; trades: number }[]>();
    for (const r of reasons) {
      const list = byWallet.get(r.trader as string) ?? [];
      list.push({ kind: r.kind as string, trades: num(r.n) });
      byWallet.set(r.trader as string, list);
    }
    return rs.map((r) => ({
      wallet: r.trader as string,
      trades: num(r.trades),
      botTrades: num(r.bot_trades),
      botSolVolume: big(r.bot_sol),
      tokens: num(r.tokens),
      lastTime: numOrNull(r.last),
      reasons: byWallet.get(r.trader as string) ?? [],
    }));
  }

  async function dcaByToken(q: DcaQuery): Promise<DcaToken[]> {
    const w = new Where().add('d.is_dca = 1').span('d.block_time', q).notBlocked('d.base_mint', q.includeBlocked).on('d.base_mint', q.mint);
    const all = new Where();
    // The same span for the token's whole volume, bound through the outer query's parameters.
    const span = [q.since !== undefined ? `a.block_time >= ${w.param(q.since)}` : null, q.until !== undefined ? `a.block_time <= ${w.param(q.until)}` : null];
    all.add('a.base_mint = d.base_mint');
    for (const s of span) all.add(s);
    const limit = w.param(q.limit);
    const rs = await rows(
      `SELECT d.base_mint AS mint, tk.symbol, count(*) AS fills,
              count(*) FILTER (WHERE d.side = 'buy') AS buys, count(*) FILTER (WHERE d.side = 'sell') AS sells,
              count(DISTINCT d.trader) AS wallets,
              coalesce(sum(d.sol_amount), 0) AS sol,
              coalesce(sum(d.sol_amount) FILTER (WHERE d.side = 'buy'), 0) AS buy_sol,
              (SELECT sum(a.sol_amount) FROM trades a ${all.sql()}) AS total_sol,
              max(d.block_time) AS last
         FROM trades d LEFT JOIN tokens tk ON tk.mint = d.base_mint
         ${w.sql()}
        GROUP BY d.base_mint, tk.symbol
        ORDER BY sol DESC, fills DESC, d.base_mint
        LIMIT ${limit}`,
      w.params,
    );
    return rs.map((r) => {
      const total = bigOrNull(r.total_sol);
      const sol = big(r.sol);
      return {
        mint: r.mint as string,
        symbol: text(r.symbol),
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
    return {
      path: location,
      schemaVersion,
      fileBytes: num(r.bytes),
      walBytes: 0,
      shmBytes: 0,
      rows: counts,
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

  return { flowsOverSpan, botWallets, dcaByToken, storeStats, walletTrades, lastPrices };
}
