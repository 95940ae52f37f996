-- solflow schema, version 4: trades are keyed on an integer taken from the signature.
--
-- Why: the idempotency index (signature, ix_path) held the 88-character signature in every
-- entry, and it takes random keys, so each batch's commit rewrote most of its pages. Keyed on
-- (sig_key, ix_path) an entry is ~16 bytes instead of ~100: a plain insert in the writer's
-- 20,000-row transactions ran 1.2-1.5x faster (test/bench/write-path.ts) and the file is ~18%
-- smaller. src/store/sig-key.ts says how the key is made.
--
-- Two signatures can share a key. The first keeps it; any other trade whose key is taken by a
-- different signature is stored with sig_key NULL (a unique index allows many NULLs), and the key
-- is listed in sig_collisions, which is never pruned: a writer checks the NULL-keyed rows only
-- for listed keys, so finding duplicates stays exact after either trade is pruned.
--
-- solflow_sig_key() is defined by solflow on each connection (src/store/open.ts).

ALTER TABLE trade_rows ADD COLUMN sig_key INTEGER;

UPDATE trade_rows SET sig_key = solflow_sig_key(signature);

CREATE TABLE sig_collisions (
  sig_key INTEGER PRIMARY KEY
);

INSERT INTO sig_collisions (sig_key)
  SELECT DISTINCT sig_key FROM trade_rows GROUP BY sig_key, ix_path HAVING count(*) > 1;

-- The oldest row of each colliding (sig_key, ix_path) keeps the key.
UPDATE trade_rows SET sig_key = NULL
  WHERE sig_key IN (SELECT sig_key FROM sig_collisions)
    AND id NOT IN (SELECT min(id) FROM trade_rows WHERE sig_key IN (SELECT sig_key FROM sig_collisions) GROUP BY sig_key, ix_path);

DROP INDEX trades_key;
CREATE UNIQUE INDEX trades_key ON trade_rows (sig_key, ix_path);
