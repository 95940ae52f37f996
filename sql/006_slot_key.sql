-- solflow schema, version 6: the trade key leads with the slot: unique on (slot, sig_key, ix_path).
--
-- Why: sig_key is random, so each insert into (sig_key, ix_path) landed on a random page of the
-- index, and once the index outgrew the page cache every commit read and rewrote thousands of
-- scattered pages: a 7,500-row commit took 104 ms at 0.6M rows and 207 ms at 3M, and ~500 ms in
-- a 5 GB file, which is what kept ingest from 10,000 transactions/s. New trades come in slot
-- order, so keyed by slot first they land at the index's right edge: 73 ms at any size measured.
--
-- A transaction lives in one slot, so (slot, signature, ix_path) names a trade as well as
-- (signature, ix_path) did. Two signatures sharing a key now matter only within one slot; such a
-- trade is still stored with sig_key NULL and its key listed in sig_collisions (sql/004).
--
-- A row whose slot is NULL never meets a unique index (NULLs are distinct): the writer looks
-- such trades up before inserting them (src/store/sqlite/writer.ts).
--
-- The key does trades_slot's job (any lookup by slot), so that index goes.

DROP INDEX trades_key;
CREATE UNIQUE INDEX trades_key ON trade_rows (slot, sig_key, ix_path);
DROP INDEX trades_slot;
