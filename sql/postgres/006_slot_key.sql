-- Mirrors sql/006_slot_key.sql: the idempotency index leads with the slot, (slot, sig_key,
-- ix_path). Keyed on sig_key alone, every batch's entries landed on random pages of an index
-- that grows with the table; led by the slot, new trades write its right edge. A transaction
-- lives in exactly one slot, so (slot, signature, ix_path) still names one trade, and two
-- signatures sharing a sig_key only collide within one slot.
--
-- The key columns exist already: no row is rewritten. The old key was stricter, so no table
-- holds a (slot, sig_key, ix_path) twice.

DROP INDEX trades_key;
-- NULLS DISTINCT (the default): unkeyed and slot-less rows never meet here; the writer looks
-- them up through trades_unkeyed instead.
CREATE UNIQUE INDEX trades_key ON trade_rows (slot, sig_key, ix_path);
-- Slot ranges and max(slot) are served by trades_key's leading column.
DROP INDEX trades_slot;
-- The rows trades_key never matches, found by signature: unkeyed ones (a handful in 10^8) and
-- those without a slot.
DROP INDEX trades_unkeyed;
CREATE INDEX trades_unkeyed ON trade_rows (signature, ix_path) WHERE sig_key IS NULL OR slot IS NULL;
