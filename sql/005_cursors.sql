-- solflow schema, version 5: named cursors for live ingest.
--
-- A live source (WebSocket, Yellowstone gRPC) records the last slot whose trades are all
-- committed, under a name of its own ("ingest:websocket", …). On start and after a reconnect the
-- slots after it are filled over RPC by the job runner, so live and backfill meet without a gap
-- or a duplicate. Written through the batched writer's exclusive step, after the rows it covers
-- (src/core/store/types.ts, WriterTx.setCursor).

CREATE TABLE cursors (
  name       TEXT    PRIMARY KEY,
  slot       INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
