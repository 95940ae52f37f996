-- Mirrors sql/005_cursors.sql: named cursors for live ingest, the last slot whose trades are all
-- committed per source ("ingest:websocket", …). In the same database as the trades, so several
-- machines sharing it agree on where each source stopped.
CREATE TABLE cursors (
  name       TEXT COLLATE "C"    PRIMARY KEY,
  slot       BIGINT  NOT NULL,
  updated_at BIGINT  NOT NULL
);
