-- Transactions a job fetched but could not turn into trades (an undecodable transaction): kept
-- with the error so they can be looked at and re-run, while the rest of their block is stored.
CREATE TABLE job_failures (
  job_id     INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
  signature  TEXT    NOT NULL,
  slot       INTEGER,
  stage      TEXT    NOT NULL,           -- 'decode'
  error      TEXT    NOT NULL,
  at         INTEGER NOT NULL,
  PRIMARY KEY (job_id, signature, stage)
);
