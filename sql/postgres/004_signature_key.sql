-- Mirrors sql/004_signature_key.sql: trades are keyed on an integer taken from the signature
-- (src/store/sig-key.ts says how), (sig_key, ix_path) being the idempotency index; a key two
-- signatures share is listed in sig_collisions (never pruned) and the later trade is stored with
-- sig_key NULL.
--
-- Unlike the SQLite file, Postgres has no solflow_sig_key() SQL function: the writer computes
-- the key in TypeScript. No Postgres database holds trades from before this version (see 003),
-- so there are no rows to key here; the migration refuses a table that has some rather than
-- leave them unkeyed.

DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM trade_rows) THEN
    RAISE EXCEPTION 'trade_rows already holds trades without a signature key; this database predates solflow''s Postgres support';
  END IF;
END $$;

ALTER TABLE trade_rows ADD COLUMN sig_key BIGINT;

CREATE TABLE sig_collisions (
  sig_key BIGINT PRIMARY KEY
);

DROP INDEX trades_key;
-- NULLS DISTINCT is PostgreSQL's default: many unkeyed rows may share an ix_path.
CREATE UNIQUE INDEX trades_key ON trade_rows (sig_key, ix_path);
-- The unkeyed rows (a handful in 10^8) found by signature; the SQLite file walks trades_key's
-- NULL entries instead.
CREATE INDEX trades_unkeyed ON trade_rows (signature, ix_path) WHERE sig_key IS NULL;
