/**
 * Large synthetic databases for the prune tests and benchmark, built in SQL through the real
 * schema (openDatabase runs the migrations, so every index the writer maintains is there).
 * Not mainnet data: realistic shapes and sizes (88-char random signatures, 44-char keys,
 * a skewed choice of mints), generated inside SQLite because a few million rows built as JS
 * objects first would cost gigabytes.
 *
 * Trades are spread evenly over [startTime, startTime + spanSeconds), in time order like an
 * ingest would append them. One signal per `tradesPerSignal` trades; every mint has a tokens
 * row and six token_metrics rows stamped with its last trade time (+4h, as the engine does for
 * a token that went quiet).
 */
import { BASE58_ALPHABET as B58 } from '../../src/core/decode/base58.js';
import { openDatabase } from '../../src/store/sqlite/index.js';

/**
 * Trade i's signature key, k = i * KEY_STEP mod 58^9: distinct for every i (KEY_STEP shares no
 * factor with 58) and scattered like real keys. The signature spells k in base58 as its
 * characters 2-10 (where src/store/sig-key.ts reads it) and is random after them.
 */
const KEY_STEP = 1_000_000_007;
const SIGNATURE_SQL =
  "'1' || " +
  Array.from({ length: 9 }, (_, d) => `substr('${B58}', (k / ${58 ** (8 - d)}) % 58 + 1, 1)`).join(' || ') +
  ' || substr(hex(randomblob(39)), 1, 78)';

export interface SynthDbOptions {
  path: string;
  trades: number;
  startTime: number;
  spanSeconds: number;
  mints?: number;
  wallets?: number;
  tradesPerSignal?: number;
  /** Rows per INSERT transaction while building. */
  chunk?: number;
}

const WINDOWS = ['1m', '5m', '15m', '1h', '2h', '4h'];
const LONGEST_WINDOW = 4 * 3600;

export async function buildSynthDb(o: SynthDbOptions): Promise<void> {
  const db = openDatabase({ path: o.path });
  const s = db.sqlite;
  const mints = o.mints ?? 5000;
  const wallets = o.wallets ?? 50_000;
  const perSignal = o.tradesPerSignal ?? 100;
  const chunk = o.chunk ?? 200_000;
  // Skewed popularity like the write-path generator: index = floor(mints * u^3).
  // Every address first (sql/003 keeps them once), so rows can refer to them by id. Wallets,
  // mints and pools are numbered; their ids follow from the number.
  s.transaction(() => {
    s.prepare(`INSERT INTO addresses (address) VALUES ('pAMMBay6oceH9fJKBRHGP5D4bD4sWpmSwMn52FMfXEA'), ('So11111111111111111111111111111111111111112')`).run();
    s.prepare(`WITH RECURSIVE k(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM k WHERE i + 1 < @wallets)
      INSERT INTO addresses (address) SELECT printf('Wallet%038d', i) FROM k`).run({ wallets });
    s.prepare(`WITH RECURSIVE k(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM k WHERE i + 1 < @mints)
      INSERT INTO addresses (address) SELECT printf('Mint%040d', i) FROM k UNION ALL SELECT printf('Pool%040d', i) FROM k`).run({ mints });
  }).immediate();
  const ids = s.prepare(`SELECT (SELECT id FROM addresses WHERE address = printf('Wallet%038d', 0)) AS wallet0,
    (SELECT id FROM addresses WHERE address = printf('Mint%040d', 0)) AS mint0`).get() as { wallet0: number; mint0: number };
  // Skewed popularity like the write-path generator: index = floor(mints * u^3).
  const insertTrades = s.prepare(`
    WITH RECURSIVE seq(i) AS (SELECT @from UNION ALL SELECT i + 1 FROM seq WHERE i + 1 < @to),
    r AS (SELECT i, (abs(random()) % 1000000) / 1000000.0 AS u, abs(random()) AS w, (i * ${KEY_STEP}) % ${58 ** 9} AS k FROM seq),
    p AS (SELECT i, w, k, CAST(@mints * u * u * u AS INTEGER) AS m FROM r)
    INSERT INTO trade_rows (signature, ix_path, slot, block_time, tx_index, venue, program_id, pool_id, trader_id, side,
      base_mint_id, base_amount, base_decimals, quote_mint_id, quote_amount, quote_decimals, sol_amount, router, platform,
      is_dca, is_limit_order, fee, fee_mint_id, tx_fee, priority_fee, jito_tip, signer_id, is_bot, bot_reasons, inserted_at, sig_key)
    SELECT ${SIGNATURE_SQL}, '0.0', 300000000 + i, CAST(@start + (i * @span) / @n AS INTEGER), i % 50, 'pumpswap',
      1, @mint0 + @mints + m, @wallet0 + w % @wallets, CASE WHEN w % 20 < 11 THEN 'buy' ELSE 'sell' END,
      @mint0 + m, CAST(1000000 + w % 1000000000000 AS TEXT), 6,
      2, CAST(10000000 + w % 50000000000 AS TEXT), 9, 10000000 + w % 50000000000,
      CASE WHEN w % 10 < 3 THEN 'jupiter-v6' END, NULL, 0, 0, NULL, NULL, 5000, w % 200000, 0,
      @wallet0 + w % @wallets, 0, '[]', 0, k
    FROM p`);
  const insertSignals = s.prepare(`
    INSERT INTO signals (mint, type, strength, window, block_time, slot, signature, inputs_json, created_at)
    SELECT base_mint, 'buy_pressure', 0.5, '5m', block_time, slot, signature, '{"netFlow":1}', 0
    FROM trades WHERE id >= @from AND id < @to AND id % @per = 0`);
  for (let from = 0; from < o.trades; from += chunk) {
    const to = Math.min(o.trades, from + chunk);
    s.transaction(() => {
      insertTrades.run({ from, to, start: o.startTime, span: o.spanSeconds, n: o.trades, mints, wallets, ...ids });
      // ids start at 1 in an empty table: trade i has id i + 1.
      insertSignals.run({ from: from + 1, to: to + 1, per: perSignal });
    }).immediate();
  }
  s.transaction(() => {
    s.prepare(`
      INSERT INTO tokens (mint, decimals, first_seen_slot, first_seen_time, last_seen_slot, last_seen_time, updated_at)
      SELECT base_mint, 6, min(slot), min(block_time), max(slot), max(block_time), 0 FROM trades GROUP BY base_mint`).run();
    const metric = s.prepare(`
      INSERT INTO token_metrics (mint, window, as_of, as_of_slot, buy_volume, sell_volume, buy_count, sell_count, net_flow,
        unique_wallets, unique_buyers, unique_sellers, bot_volume, bot_trades, bot_wallets, bot_share, dca_volume,
        dca_buy_volume, dca_trades, dca_wallets, dca_share, updated_at)
      SELECT mint, @window, last_seen_time + @longest, NULL, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 FROM tokens`);
    for (const window of WINDOWS) metric.run({ window, longest: LONGEST_WINDOW });
  }).immediate();
  s.pragma('wal_checkpoint(TRUNCATE)');
  await db.close();
}
