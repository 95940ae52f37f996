-- Mirrors sql/002_jobs_failures.sql: transactions a job fetched but could not turn into trades.
CREATE TABLE job_failures (
  job_id     BIGINT  NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
  signature  TEXT COLLATE "C"    NOT NULL,
  slot       BIGINT,
  stage      TEXT COLLATE "C"    NOT NULL,
  error      TEXT COLLATE "C"    NOT NULL,
  at         BIGINT  NOT NULL,
  PRIMARY KEY (job_id, signature, stage)
);
