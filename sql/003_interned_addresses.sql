-- solflow schema, version 3: addresses stored once, trades refer to them by number.
--
-- Why: every trade repeated five or six base58 addresses (trader, signer, both mints, program,
-- pool: 32–44 bytes each), and two of the indexes readers need were keyed on them, so each
-- insert wrote ~50-byte keys at random places in (trader, block_time) and (base_mint,
-- block_time). Keyed on integers those indexes are about a fifth of the size, and a plain insert
-- of the same rows runs ~1.7x faster (test/bench/write-path.ts prints both).
--
-- `trades` stays the name readers and `solflow query sql` use: it is now a view with exactly
-- the columns and meanings of version 1. Writes go to trade_rows (src/store/rows.ts).
--
-- Address ids are never reused: rows of `addresses` are never deleted (prune leaves them; an
-- unused address costs ~60 bytes), so a writer may cache address → id for as long as it runs,
-- and two writer processes agree on every id.

CREATE TABLE addresses (
  id      INTEGER PRIMARY KEY,
  address TEXT    NOT NULL UNIQUE
);

CREATE TABLE trade_rows (
  id             INTEGER PRIMARY KEY,
  signature      TEXT    NOT NULL,
  ix_path        TEXT    NOT NULL,
  slot           INTEGER,
  block_time     INTEGER,
  tx_index       INTEGER,
  venue          TEXT    NOT NULL,
  program_id     INTEGER NOT NULL,             -- addresses.id
  pool_id        INTEGER,                      -- addresses.id
  trader_id      INTEGER NOT NULL,             -- addresses.id
  side           TEXT    NOT NULL CHECK (side IN ('buy', 'sell')),
  base_mint_id   INTEGER NOT NULL,             -- addresses.id
  base_amount    TEXT    NOT NULL,
  base_decimals  INTEGER NOT NULL,
  quote_mint_id  INTEGER NOT NULL,             -- addresses.id
  quote_amount   TEXT    NOT NULL,
  quote_decimals INTEGER NOT NULL,
  sol_amount     INTEGER,
  router         TEXT,
  platform       TEXT,
  is_dca         INTEGER NOT NULL DEFAULT 0,
  is_limit_order INTEGER NOT NULL DEFAULT 0,
  fee            TEXT,
  fee_mint_id    INTEGER,                      -- addresses.id
  tx_fee         INTEGER NOT NULL DEFAULT 0,
  priority_fee   INTEGER NOT NULL DEFAULT 0,
  jito_tip       INTEGER NOT NULL DEFAULT 0,
  signer_id      INTEGER NOT NULL,             -- addresses.id
  is_bot         INTEGER NOT NULL DEFAULT 0,
  bot_reasons    TEXT    NOT NULL DEFAULT '[]',
  inserted_at    INTEGER NOT NULL
);

-- An existing database moves over in place: addresses in sorted order, rows with their ids.
INSERT INTO addresses (address)
  SELECT a FROM (
    SELECT trader AS a FROM trades UNION SELECT signer FROM trades
    UNION SELECT base_mint FROM trades UNION SELECT quote_mint FROM trades
    UNION SELECT program_id FROM trades
    UNION SELECT pool FROM trades WHERE pool IS NOT NULL
    UNION SELECT fee_mint FROM trades WHERE fee_mint IS NOT NULL
  ) ORDER BY a;

INSERT INTO trade_rows (id, signature, ix_path, slot, block_time, tx_index, venue, program_id, pool_id, trader_id, side,
  base_mint_id, base_amount, base_decimals, quote_mint_id, quote_amount, quote_decimals, sol_amount, router, platform,
  is_dca, is_limit_order, fee, fee_mint_id, tx_fee, priority_fee, jito_tip, signer_id, is_bot, bot_reasons, inserted_at)
  SELECT t.id, t.signature, t.ix_path, t.slot, t.block_time, t.tx_index, t.venue,
    (SELECT id FROM addresses WHERE address = t.program_id),
    (SELECT id FROM addresses WHERE address = t.pool),
    (SELECT id FROM addresses WHERE address = t.trader),
    t.side,
    (SELECT id FROM addresses WHERE address = t.base_mint),
    t.base_amount, t.base_decimals,
    (SELECT id FROM addresses WHERE address = t.quote_mint),
    t.quote_amount, t.quote_decimals, t.sol_amount, t.router, t.platform, t.is_dca, t.is_limit_order, t.fee,
    (SELECT id FROM addresses WHERE address = t.fee_mint),
    t.tx_fee, t.priority_fee, t.jito_tip,
    (SELECT id FROM addresses WHERE address = t.signer),
    t.is_bot, t.bot_reasons, t.inserted_at
  FROM trades t ORDER BY t.id;

DROP TABLE trades;

-- Same names and roles as version 1's indexes.
CREATE UNIQUE INDEX trades_key ON trade_rows (signature, ix_path);
CREATE INDEX trades_trader_time ON trade_rows (trader_id, block_time);
CREATE INDEX trades_mint_time ON trade_rows (base_mint_id, block_time);
CREATE INDEX trades_slot ON trade_rows (slot);
CREATE INDEX trades_time ON trade_rows (block_time);

-- Inner joins for the columns readers filter and group on (trader, base_mint): SQLite flattens
-- the view, so `WHERE trader = ?` finds the id through addresses' unique index and then walks
-- trades_trader_time. The nullable ones are looked up per row.
CREATE VIEW trades AS
  SELECT r.id, r.signature, r.ix_path, r.slot, r.block_time, r.tx_index, r.venue,
    prog.address AS program_id,
    (SELECT address FROM addresses WHERE id = r.pool_id) AS pool,
    tr.address AS trader,
    r.side,
    bm.address AS base_mint,
    r.base_amount, r.base_decimals,
    qm.address AS quote_mint,
    r.quote_amount, r.quote_decimals, r.sol_amount, r.router, r.platform, r.is_dca, r.is_limit_order, r.fee,
    (SELECT address FROM addresses WHERE id = r.fee_mint_id) AS fee_mint,
    r.tx_fee, r.priority_fee, r.jito_tip,
    sg.address AS signer,
    r.is_bot, r.bot_reasons, r.inserted_at
  FROM trade_rows r
  JOIN addresses tr ON tr.id = r.trader_id
  JOIN addresses bm ON bm.id = r.base_mint_id
  JOIN addresses qm ON qm.id = r.quote_mint_id
  JOIN addresses sg ON sg.id = r.signer_id
  JOIN addresses prog ON prog.id = r.program_id;
