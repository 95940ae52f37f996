-- solflow schema, version 1.
--
-- Applied once by src/store/migrate.ts, inside one transaction, then recorded in
-- schema_migrations and PRAGMA user_version. Never edit a released migration: add 002_….sql.
--
-- Number representation (decided once, here):
--   * Raw token amounts (base_amount, quote_amount, fee) are u64 on chain and may exceed
--     SQLite's signed 64-bit INTEGER, so they are TEXT holding the exact decimal string.
--     Read them with BigInt(text); never CAST them to REAL.
--   * sol_amount is lamports (the quote side when the quote is SOL/WSOL). All SOL in existence
--     is < 2^63 lamports, so INTEGER is exact and SUM() works in SQL. NULL when the quote is not
--     SOL (USDC, USDT, ...): such trades are stored and counted in trade counts and unique
--     wallets, but add nothing to SOL volumes or net flow.
--   * Window volumes in token_metrics are lamports (INTEGER); shares are REAL 0..1.
--   * Times: block_time / as_of are chain clock (unix seconds); *_at columns are the wall clock
--     of this machine (unix milliseconds) and only say when a row was written.
--   * Booleans are INTEGER 0/1. JSON columns are TEXT.

CREATE TABLE trades (
  id             INTEGER PRIMARY KEY,          -- rowid: rows append in insert order (cheap)
  signature      TEXT    NOT NULL,
  ix_path        TEXT    NOT NULL,             -- "outer.inner", see src/core/trade.ts
  slot           INTEGER,
  block_time     INTEGER,
  tx_index       INTEGER,
  venue          TEXT    NOT NULL,
  program_id     TEXT    NOT NULL,
  pool           TEXT,
  trader         TEXT    NOT NULL,
  side           TEXT    NOT NULL CHECK (side IN ('buy', 'sell')),
  base_mint      TEXT    NOT NULL,
  base_amount    TEXT    NOT NULL,
  base_decimals  INTEGER NOT NULL,
  quote_mint     TEXT    NOT NULL,
  quote_amount   TEXT    NOT NULL,
  quote_decimals INTEGER NOT NULL,
  sol_amount     INTEGER,
  router         TEXT,
  platform       TEXT,
  is_dca         INTEGER NOT NULL DEFAULT 0,
  is_limit_order INTEGER NOT NULL DEFAULT 0,
  fee            TEXT,
  fee_mint       TEXT,
  tx_fee         INTEGER NOT NULL DEFAULT 0,
  priority_fee   INTEGER NOT NULL DEFAULT 0,
  jito_tip       INTEGER NOT NULL DEFAULT 0,
  signer         TEXT    NOT NULL,
  is_bot         INTEGER NOT NULL DEFAULT 0,
  bot_reasons    TEXT    NOT NULL DEFAULT '[]', -- JSON array of strings, e.g. ["rate:12 tx/60s"]
  inserted_at    INTEGER NOT NULL
);
-- The idempotency key: the same swap leg inserted twice is one row.
CREATE UNIQUE INDEX trades_key ON trades (signature, ix_path);
CREATE INDEX trades_trader_time ON trades (trader, block_time);
CREATE INDEX trades_mint_time ON trades (base_mint, block_time);
CREATE INDEX trades_slot ON trades (slot);
CREATE INDEX trades_time ON trades (block_time);

-- Latest values per token and window (1m 5m 15m 1h 2h 4h), replaced as the chain clock moves.
CREATE TABLE token_metrics (
  mint           TEXT    NOT NULL,
  window         TEXT    NOT NULL,
  as_of          INTEGER NOT NULL,
  as_of_slot     INTEGER,
  buy_volume     INTEGER NOT NULL,
  sell_volume    INTEGER NOT NULL,
  buy_count      INTEGER NOT NULL,
  sell_count     INTEGER NOT NULL,
  net_flow       INTEGER NOT NULL,
  unique_wallets INTEGER NOT NULL,
  unique_buyers  INTEGER NOT NULL,
  unique_sellers INTEGER NOT NULL,
  bot_volume     INTEGER NOT NULL,
  bot_trades     INTEGER NOT NULL,
  bot_wallets    INTEGER NOT NULL,
  bot_share      REAL    NOT NULL,
  dca_volume     INTEGER NOT NULL,
  dca_buy_volume INTEGER NOT NULL,
  dca_trades     INTEGER NOT NULL,
  dca_wallets    INTEGER NOT NULL,
  dca_share      REAL    NOT NULL,
  updated_at     INTEGER NOT NULL,
  PRIMARY KEY (mint, window)
) WITHOUT ROWID;
CREATE INDEX token_metrics_rank ON token_metrics (window, net_flow DESC);

CREATE TABLE signals (
  id          INTEGER PRIMARY KEY,
  mint        TEXT    NOT NULL,
  type        TEXT    NOT NULL,
  strength    REAL    NOT NULL CHECK (strength >= 0 AND strength <= 1),
  window      TEXT    NOT NULL,
  block_time  INTEGER NOT NULL,
  slot        INTEGER,
  signature   TEXT    NOT NULL,   -- the trade whose arrival made the condition true
  inputs_json TEXT    NOT NULL,   -- the numbers that triggered it
  created_at  INTEGER NOT NULL
);
-- A re-run over the same trades produces the same signals; this keeps them single.
CREATE UNIQUE INDEX signals_key ON signals (mint, type, signature);
CREATE INDEX signals_time ON signals (block_time);
CREATE INDEX signals_mint_time ON signals (mint, block_time);

CREATE TABLE tokens (
  mint            TEXT    PRIMARY KEY,
  decimals        INTEGER NOT NULL,
  symbol          TEXT,
  name            TEXT,
  first_seen_slot INTEGER,
  first_seen_time INTEGER,
  last_seen_slot  INTEGER,
  last_seen_time  INTEGER,
  updated_at      INTEGER NOT NULL
);

CREATE TABLE blocklist (
  mint     TEXT    PRIMARY KEY,
  reason   TEXT,
  added_at INTEGER NOT NULL
);

-- Backfill jobs (owned by the backfill command): generic columns, job-specific JSON.
CREATE TABLE jobs (
  id          INTEGER PRIMARY KEY,
  kind        TEXT    NOT NULL,
  params_json TEXT    NOT NULL DEFAULT '{}',
  status      TEXT    NOT NULL DEFAULT 'pending',
  cursor_json TEXT,
  counts_json TEXT,
  gaps_json   TEXT,
  last_error  TEXT,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  finished_at INTEGER
);
CREATE INDEX jobs_status ON jobs (status, kind);
