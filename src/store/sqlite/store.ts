/**
 * The SQLite Store: the interface in core/store/types.ts over one better-sqlite3 connection.
 * The shared Kysely reports run on it; the write path, trade replay, the analyze reads, jobs,
 * cursors, blocklist, prune and locks are this backend's own prepared statements (synchronous
 * underneath, so each method resolves as soon as its statement ran).
 */
import type { Store, Writer, WriterOptions, WriterTx } from '../../core/store/types.js';
import { SHARED_REPORTS, type SharedReports } from '../reports/names.js';
import { addBlocked, getBlocked, listBlocked, loadBlocklist, removeBlocked } from './blocklist.js';
import { getCursor, listCursors, setCursor } from './cursors.js';
import { createJob, findUnfinishedJob, getJob, listJobs, recordFailure, updateJob } from './jobs.js';
import { acquireFileLock } from './lock.js';
import type { SolflowDb } from './open.js';
import { readOnlyRows } from './read-only-sql.js';
import { firstSlotFrom, readTradesInOrder, storedExtent } from './replay.js';
import { storeStats } from './stats.js';
import { latestTrades, tradesAfter } from './tail.js';
import { lastPrices, walletTrades } from './wallet.js';
import { clearFlowTables, createWriter, type SqliteWriter } from './writer.js';
import { createThreadedWriter } from './writer-thread.js';

/** A Store over an open connection; closing the store closes it. */
export function sqliteStore(db: SolflowDb): Store {
  const { sqlite, path } = db;

  /** Writes ordered behind a writer's queue: each its own short transaction on this connection. */
  const tx: WriterTx = {
    async updateJob(id, u) {
      updateJob(sqlite, id, u);
    },
    async setCursor(name, slot) {
      setCursor(sqlite, name, slot);
    },
    async clearFlowTables() {
      return sqlite.transaction(() => clearFlowTables(sqlite)).immediate();
    },
  };

  // The shared reports (and Kysely under them) load on the first one asked for: `query stats`
  // and the write path never need them.
  let shared: Promise<SharedReports> | null = null;
  const loadShared = async () => {
    const [{ sharedReports }, { sqliteReportSql }] = await Promise.all([import('../reports/index.js'), import('./report-sql.js')]);
    return sharedReports(await db.exactKysely(), sqliteReportSql);
  };
  const sharedReports = Object.fromEntries(
    SHARED_REPORTS.map((name) => [name, async (...args: unknown[]) => ((await (shared ??= loadShared()))[name] as (...a: unknown[]) => unknown)(...args)]),
  ) as unknown as SharedReports;

  // Retention code loads when prune (or anything else) first asks for it; readers never do.
  let pruning: Promise<typeof import('./prune/index.js')> | null = null;
  const prune = () => (pruning ??= import('./prune/index.js'));

  function asStoreWriter(w: SqliteWriter): Writer {
    return {
      write: (batch) => w.write(batch),
      async flush() {
        w.flush();
      },
      async exclusive(fn) {
        w.flush();
        return fn(tx);
      },
      counters: () => w.counters(),
      close: () => w.close(),
    };
  }

  return {
    backend: 'sqlite',
    location: path,
    readonly: db.readonly,
    schemaVersion: db.schemaVersion,
    createWriter(opts: WriterOptions = {}) {
      if (db.readonly) throw new Error('the database is open read-only');
      const { thread, ...writerOpts } = opts;
      // An in-memory database has no second connection for a thread to open.
      return asStoreWriter(thread && path !== ':memory:' ? createThreadedWriter(sqlite, path, writerOpts) : createWriter(sqlite, writerOpts));
    },
    trades: {
      async *readInOrder(opts) {
        yield* readTradesInOrder(sqlite, opts);
      },
      extent: async () => storedExtent(sqlite),
      firstSlotFrom: async (blockTime) => firstSlotFrom(sqlite, blockTime),
      after: async (key, limit) => tradesAfter(sqlite, key, limit),
      latest: async (limit) => latestTrades(sqlite, limit),
    },
    reports: {
      ...sharedReports,
      storeStats: async () => storeStats(sqlite, path, db.schemaVersion),
      walletTrades: async (f) => walletTrades(sqlite, f),
      lastPrices: async (pairs, until) => lastPrices(sqlite, pairs, until),
    },
    jobs: {
      create: async (kind, params, cursor, now) => createJob(sqlite, kind, params, cursor, now),
      get: async (id) => getJob(sqlite, id),
      findUnfinished: async (kind, key) => findUnfinishedJob(sqlite, kind, key),
      update: async (id, u, now) => updateJob(sqlite, id, u, now),
      list: async (opts) => listJobs(sqlite, opts),
      recordFailure: async (jobId, f, now) => recordFailure(sqlite, jobId, f, now),
    },
    cursors: {
      get: async (name) => getCursor(sqlite, name),
      set: async (name, slot, now) => setCursor(sqlite, name, slot, now),
      list: async () => listCursors(sqlite),
    },
    blocklist: {
      get: async (mint) => getBlocked(sqlite, mint),
      add: async (mint, reason, now) => addBlocked(sqlite, mint, reason, now),
      remove: async (mint) => removeBlocked(sqlite, mint),
      list: async () => listBlocked(sqlite),
      mints: async () => loadBlocklist(sqlite),
    },
    prune: {
      newestChainTime: async () => (await prune()).newestChainTime(sqlite),
      cutoffs: async (retention, relativeTo, nowMs) => (await prune()).cutoffsFor(sqlite, retention, relativeTo, nowMs),
      countPrunable: async (c) => (await prune()).countPrunable(sqlite, c),
      deleteRows: async (c, opts) => (await prune()).pruneRows(sqlite, c, opts),
      reclaimSpace: async (opts) => (await prune()).reclaimSpace(sqlite, opts),
      checkpoint: async () => (await prune()).checkpointWal(sqlite),
      fullVacuum: async () => (await prune()).fullVacuum(sqlite, path),
      fileStats: async () => (await prune()).fileStats(sqlite, path),
    },
    async lock(name) {
      const lock = acquireFileLock(path, name);
      return { path: lock.path, release: async () => lock.release() };
    },
    querySql: async (text) => readOnlyRows(sqlite, text),
    close: () => db.close(),
  };
}
