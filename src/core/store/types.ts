/**
 * The Store interface: everything solflow's pipeline, job runner, readers, prune and commands
 * need from a database, as plain data and Promises. One implementation per backend, like
 * Kysely's one Dialect per database: src/store/sqlite/ (a file path; the default) and
 * src/store/postgres/ (a postgres:// URL). src/store/open.ts picks one from the --db value.
 *
 * Why here (src/core/store/) and not in src/store/: src/core depends on this interface and
 * never imports src/store (test/architecture.test.ts checks it). Backends import these types.
 *
 * Rules every backend keeps:
 *  - Everything is async. No backend handle (better-sqlite3 Database, pg Pool, Kysely) crosses
 *    this interface; callers get numbers, strings, bigints and the types below.
 *  - Writes are idempotent: trades on (slot, signature, ix_path) (a transaction lives in one
 *    slot; the slot leads so new keys land together), signals on (mint, type, signature),
 *    token_metrics on (mint, window) never replaced by an older as_of. Re-running a range never
 *    duplicates a row.
 *  - One batched writer per ingest pipeline (createWriter). Job and cursor updates that must
 *    not run ahead of the trades they cover go through Writer.exclusive, which commits every
 *    row written before it first.
 *  - Secrets (RPC keys, DB passwords) never reach a stored row: job params, gaps and errors are
 *    redacted (src/util/redact.ts) by the backend on the way in.
 */
import type { ClassifiedTrade, Signal, WindowMetrics } from '../flow/types.js';
import type { Trade } from '../trade.js';
import type { PruneStore } from './prune.js';
import type { Reports } from './reports.js';

// ---------------------------------------------------------------------------------------------
// Writing

export interface FlagUpdate {
  signature: string;
  ixPath: string;
  /** The trade's slot: with the signature and ix path, how its row is found (the unique key). */
  slot: number | null;
  isBot: boolean;
  botReasons: string[];
}

export interface WriteBatch {
  trades?: readonly (Trade | ClassifiedTrade)[];
  /**
   * Trades that arrived behind the flow engine's watermark (or behind what the database already
   * held): stored like any other, and counted in `lateWritten` when they were new, so the
   * caller knows a recompute is due.
   */
  lateTrades?: readonly (Trade | ClassifiedTrade)[];
  /** Upserted per (mint, window); a row is never replaced by one with an older as_of. */
  metrics?: readonly WindowMetrics[];
  /** Inserted once per (mint, type, signature); a repeat is counted as signalsDuplicate. */
  signals?: readonly Signal[];
  /** is_bot/bot_reasons of stored trades replaced (flow recompute). */
  flagUpdates?: readonly FlagUpdate[];
}

export interface WriterOptions {
  /** Rows per transaction (SQLite default 20,000); also the queue length that triggers a flush. */
  batchSize?: number;
  /** Flush a partial batch after this long. */
  flushIntervalMs?: number;
  /** Told about each rejected row (bad data or a row-level SQL error); the batch goes on. */
  onReject?: (what: 'trade' | 'signal' | 'metrics', item: unknown, reason: string) => void;
  /**
   * Write on a thread (or connection) of its own so the flow engine and the database work at
   * the same time. A hint: a backend for which it means nothing ignores it. SQLite honours it
   * for a file (not :memory:).
   */
  thread?: boolean;
}

export interface WriterCounters {
  /** Trades inserted (new), already present (duplicate), refused (rejected). */
  written: number;
  duplicate: number;
  rejected: number;
  /** Of `written`, those that came as lateTrades. */
  lateWritten: number;
  metricsWritten: number;
  signalsWritten: number;
  signalsDuplicate: number;
  flagsUpdated: number;
  batches: number;
  /** Milliseconds spent inside transactions. */
  writeMs: number;
  /** Rows waiting in the queue now. */
  queued: number;
}

/**
 * Writes that must be ordered with a writer's queued rows (Writer.exclusive). Each method is
 * atomic on its own; the backend may run all of one exclusive() in a single transaction.
 */
export interface WriterTx {
  /** Same as JobStore.update, ordered after the rows queued before exclusive(). */
  updateJob(id: number, u: JobUpdate): Promise<void>;
  /** Same as CursorStore.set. */
  setCursor(name: string, slot: number): Promise<void>;
  /**
   * Before a flow recompute: delete every signal and token_metrics row and return the chain
   * clock they were computed up to (the max as_of before the delete; null if none), so the
   * replay can end at the same moment even when the source's last tick was after the last trade.
   */
  clearFlowTables(): Promise<{ clock: number | null }>;
}

/**
 * The one batched writer: a bounded queue (write() flushes when batchSize rows are queued and
 * resolves only after that flush, so a producer that awaits write() is paced by the database),
 * one transaction per batch, a timer for partial batches, close() always flushes.
 */
export interface Writer {
  write(batch: WriteBatch): Promise<void>;
  /** Write everything queued now, in as many transactions as batchSize needs. */
  flush(): Promise<void>;
  /**
   * Flush (every row written before this call is committed), then run fn. Writes fn makes
   * through tx are ordered after those rows: a job's cursor never covers unwritten trades.
   */
  exclusive<T>(fn: (tx: WriterTx) => Promise<T>): Promise<T>;
  counters(): WriterCounters;
  /** Flush and stop the timer (and thread). The store stays open; its owner closes it. */
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Reading trades back (recompute, warm start)

export interface TradeReads {
  /**
   * Pages of stored trades (at most pageSize each, default 20,000; bounded memory) ordered by
   * slot with slot-less trades first, as compareTrades orders them. Within a slot the order is
   * arbitrary: the engine sorts whole slots itself. `fromSlot` starts at that slot and skips
   * slot-less trades (warm start). Pages are read lazily as the loop asks for them.
   */
  readInOrder(opts?: { pageSize?: number; fromSlot?: number | null }): AsyncIterable<ClassifiedTrade[]>;
  /** Highest stored slot and block time (nulls on an empty store). */
  extent(): Promise<{ maxSlot: number | null; maxTime: number | null }>;
  /** The first (lowest) slot among trades with block_time >= blockTime; null if none. */
  firstSlotFrom(blockTime: number): Promise<number | null>;
  /**
   * Tailing (`solflow watch`): the trades committed after `key`, lowest key first, at most
   * `limit` (a positive integer). Answered from the key's index, never a scan. Call again with
   * the last key returned until fewer than `limit` come back.
   */
  after(key: number, limit: number): Promise<TradePage>;
  /** The `limit` most recently committed trades (highest keys), returned lowest key first. `limit` 0 gives only maxKey. */
  latest(limit: number): Promise<TradePage>;
}

/**
 * A stored trade with its commit key: a positive integer the backend assigns when the row is
 * inserted (SQLite: trade_rows' rowid; Postgres: the row's identity). A later commit has a
 * higher key, so "keys above the last one seen" are exactly the rows committed since. Keys are
 * NOT stable across prune: a backend may reuse keys above the highest remaining one once the
 * newest rows are deleted (SQLite does), which a reader notices as maxKey < its last key.
 */
export interface KeyedTrade {
  key: number;
  /** Wall clock the row was committed at, unix ms (trade_rows.inserted_at). */
  insertedAt: number;
  /** With its stored flags (isBot, botReasons, isDca, isLimitOrder …). */
  trade: ClassifiedTrade;
}

export interface TradePage {
  trades: KeyedTrade[];
  /** The highest key stored at the time of the read (null on an empty store). */
  maxKey: number | null;
}

// ---------------------------------------------------------------------------------------------
// Jobs (backfills) and cursors

export type JobStatus = 'running' | 'interrupted' | 'gaps' | 'done' | 'failed';

/** One row of `jobs`: params/cursor/counts/gaps are the job's own JSON. */
export interface JobRow<P = Record<string, unknown>, C = Record<string, unknown>> {
  id: number;
  kind: string;
  params: P & { key: string };
  status: JobStatus;
  cursor: C | null;
  counts: Record<string, number>;
  gaps: unknown[];
  lastError: string | null;
  /** Wall clock, unix ms. */
  createdAt: number;
  updatedAt: number;
  finishedAt: number | null;
}

/** Fields left undefined are not changed; updated_at is always set to now. */
export interface JobUpdate {
  status?: JobStatus;
  cursor?: unknown;
  counts?: Record<string, number>;
  gaps?: unknown[];
  lastError?: string | null;
  /** true sets finished_at to now, false clears it. */
  finished?: boolean;
}

export interface JobFailure {
  signature: string;
  slot: number | null;
  stage: 'decode';
  error: string;
}

export interface JobStore {
  /** A new job, status 'running', counts {}, gaps []. Params are redacted before storing. */
  create<P extends { key: string }>(kind: string, params: P, cursor: unknown, now?: number): Promise<JobRow<P, any>>;
  get(id: number): Promise<JobRow<any, any> | null>;
  /** The newest job (highest id) of this kind whose params.key equals key and status != 'done'. */
  findUnfinished(kind: string, key: string): Promise<JobRow<any, any> | null>;
  update(id: number, u: JobUpdate, now?: number): Promise<void>;
  /** Newest first; limit defaults to 50. */
  list(opts?: { kind?: string; limit?: number }): Promise<JobRow<any, any>[]>;
  /**
   * Idempotent on (job, signature, stage): the same transaction failing again updates error and
   * time. The error is redacted and cut to 500 characters.
   */
  recordFailure(jobId: number, f: JobFailure, now?: number): Promise<void>;
}

/** A named cursor (sql/005_cursors.sql): the last slot fully committed by a live ingest. */
export interface CursorRow {
  name: string;
  slot: number;
  /** Wall clock, unix ms. */
  updatedAt: number;
}

/**
 * Named cursors for live ingest ("ingest:websocket", "ingest:grpc", …). Set a cursor through
 * Writer.exclusive (WriterTx.setCursor) while a writer has queued rows, so it never runs ahead
 * of them; CursorStore.set is for when nothing is queued.
 */
export interface CursorStore {
  get(name: string): Promise<number | null>;
  /** Upsert: the cursor moves to `slot` (backwards too: gap recovery may lower it on purpose). */
  set(name: string, slot: number, now?: number): Promise<void>;
  list(): Promise<CursorRow[]>;
}

// ---------------------------------------------------------------------------------------------
// Blocklist

export interface BlockedMint {
  mint: string;
  reason: string | null;
  /** Wall clock, unix milliseconds. */
  addedAt: number;
}

export interface BlocklistStore {
  get(mint: string): Promise<BlockedMint | null>;
  /**
   * Idempotent: a mint already listed stays as it was (its first reason and time), unless a new
   * non-null reason is given, which replaces the old one. Atomic.
   */
  add(mint: string, reason: string | null, now?: number): Promise<{ entry: BlockedMint; added: boolean; reasonChanged: boolean }>;
  /** The removed entry, or null if the mint was not listed. Atomic. */
  remove(mint: string): Promise<BlockedMint | null>;
  /** Newest first (added_at DESC, then mint). */
  list(): Promise<BlockedMint[]>;
  /** The blocked mints as a set, for the flow engine at start. */
  mints(): Promise<Set<string>>;
}

// ---------------------------------------------------------------------------------------------
// Locks

export interface LockHolder {
  pid: number;
  host: string;
  /** Wall clock, unix ms. */
  since: number;
}

/** Held until release(), or until the holding process dies in any way (kill -9 included). */
export interface StoreLock {
  /** What was locked, for messages: a lock file path (SQLite) or `advisory:<name>` (Postgres). */
  readonly path: string;
  release(): Promise<void>;
}

/** Thrown by Store.lock when another process holds the lock; never waits. */
export class LockHeldError extends Error {
  readonly lockPath: string;
  readonly holder: LockHolder | null;
  constructor(lockPath: string, holder: LockHolder | null) {
    super(`lock ${lockPath} is held${holder ? ` by pid ${holder.pid} on ${holder.host} since ${new Date(holder.since).toISOString()}` : ''}`);
    this.name = 'LockHeldError';
    this.lockPath = lockPath;
    this.holder = holder;
  }
}

// ---------------------------------------------------------------------------------------------
// `query sql`

/** A statement `query sql` will not run; the message is one line for the user. */
export class ReadOnlySqlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReadOnlySqlError';
  }
}

/** A running read-only statement: column names, then rows as arrays, pulled lazily. */
export interface SqlRows {
  columns: string[];
  /** Values: string, number, bigint (integers that do not fit a number exactly or are 64-bit), Uint8Array, null. */
  rows: AsyncIterable<unknown[]>;
}

// ---------------------------------------------------------------------------------------------
// Opening and errors

export type Backend = 'sqlite' | 'postgres';

export interface StoreOpenOptions {
  /** The --db value: a file path (SQLite, ':memory:' for writers) or a postgres:// URL. */
  db: string;
  /** Readers never migrate, never create, and refuse writes. */
  readonly?: boolean;
  /** A writer that must not create the database (readers never do). */
  mustExist?: boolean;
  /** How long a statement waits for another process's lock before failing busy. */
  busyTimeoutMs?: number;
  /** Directory of NNN_*.sql migrations (tests point it at fixtures). */
  sqlDir?: string;
}

/** --db named a backend this build cannot open yet (today: PostgreSQL). One line for the user. */
export class UnsupportedStoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedStoreError';
  }
}

/** Another process holds the database past the busy timeout: a temporary failure, retry later. */
export class StoreBusyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreBusyError';
  }
}

export interface Store {
  readonly backend: Backend;
  /** Where the data lives, safe to print: the file path, or the URL with its password redacted. */
  readonly location: string;
  readonly readonly: boolean;
  readonly schemaVersion: number;
  /** A new batched writer (throws on a readonly store). One per pipeline. */
  createWriter(opts?: WriterOptions): Writer;
  readonly trades: TradeReads;
  readonly reports: Reports;
  readonly jobs: JobStore;
  readonly cursors: CursorStore;
  readonly blocklist: BlocklistStore;
  readonly prune: PruneStore;
  /**
   * Take the named lock for this database or throw LockHeldError at once. Names in use:
   * 'prune' (one prune at a time) and `job-<id>` (a backfill job run by one process at a time).
   */
  lock(name: string): Promise<StoreLock>;
  /**
   * One user statement, run only if it cannot write whatever it says (throws ReadOnlySqlError
   * with a one-line reason otherwise, or for an SQL error).
   */
  querySql(text: string): Promise<SqlRows>;
  /** Idempotent. Writers created from this store must be closed first. */
  close(): Promise<void>;
}
