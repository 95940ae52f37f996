/**
 * The PostgreSQL Store: the interface in core/store/types.ts over a pg Pool. The shared Kysely
 * reports run on it through Kysely's PostgresDialect with this backend's spellings (report-sql.ts);
 * storeStats, the analyze reads, the write path, trade replay, jobs, cursors, blocklist, prune,
 * locks and `query sql` are this backend's own (the files beside this one).
 */
import type { Kysely } from 'kysely';
import type { Reports } from '../../core/store/reports.js';
import type { SqlRows, Store, StoreOpenOptions, WriterOptions } from '../../core/store/types.js';
import type { DB } from '../schema.js';
import { pgBlocklist } from './blocklist.js';
import { openPostgres, type PgDb } from './connect.js';
import { pgCursorStore, pgJobStore } from './jobs.js';
import { takeAdvisoryLock } from './lock.js';
import { pgPrune } from './prune.js';
import { querySqlPg } from './query-sql.js';
import { pgReports } from './reports.js';
import { pgReportSql } from './report-sql.js';
import type { ReportSql } from '../reports/sql.js';
import { pgTradeReads } from './trades.js';
import { createPgWriter } from './writer.js';

/** The reports this backend answers itself; the rest come from the shared Kysely code. */
export type OwnReports = ReturnType<typeof pgReports>;
export type SharedReports = (db: Kysely<DB>, dialect: ReportSql) => Omit<Reports, keyof OwnReports>;

export function pgStore(db: PgDb, url: string, shared: SharedReports): Store {
  const { pool } = db;
  /** `query sql` sessions not yet read to the end: given back on close. */
  const open = new Set<() => Promise<void>>();
  return {
    backend: 'postgres',
    location: db.name,
    readonly: db.readonly,
    schemaVersion: db.schemaVersion,
    createWriter(opts: WriterOptions = {}) {
      if (db.readonly) throw new Error('the database is open read-only');
      return createPgWriter(pool, opts);
    },
    trades: pgTradeReads(pool),
    reports: { ...shared(db.kysely, pgReportSql), ...pgReports(pool, db.name, db.schemaVersion) },
    jobs: pgJobStore(pool),
    cursors: pgCursorStore(pool),
    blocklist: pgBlocklist(pool),
    prune: pgPrune(pool),
    lock: (name) => takeAdvisoryLock(url, name),
    async querySql(text): Promise<SqlRows> {
      const r = await querySqlPg(pool, text);
      open.add(r.close);
      return r;
    },
    async close() {
      for (const close of open) await close();
      open.clear();
      await db.close();
    },
  };
}

export async function openPostgresStore(opts: StoreOpenOptions, shared: SharedReports): Promise<Store> {
  const db = await openPostgres({ url: opts.db, readonly: opts.readonly, sqlDir: opts.sqlDir });
  return pgStore(db, opts.db, shared);
}
