/** `query stats` on SQLite: file sizes beside the row counts of every table. */
import { statSync } from 'node:fs';
import type Database from 'better-sqlite3';
import type { StoreStats } from '../../core/store/reports.js';
import { storeStatsOf, type ExtentRow } from '../stats-row.js';
import { num } from '../values.js';

type Row = Record<string, unknown>;

function all(sqlite: Database.Database, sql: string): Row[] {
  return sqlite.prepare(sql).safeIntegers(true).all() as Row[];
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

export function storeStats(sqlite: Database.Database, path: string, schemaVersion: number): StoreStats {
  const tables = all(sqlite, "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").map((r) => r.name as string);
  const rows: Record<string, number> = {};
  // Table names come from sqlite_schema itself; quoting keeps odd names harmless.
  for (const t of tables) {
    // trade_rows is what readers know as the trades view (sql/003).
    rows[t === 'trade_rows' ? 'trades' : t] = num(all(sqlite, `SELECT count(*) AS n FROM "${t.replace(/"/g, '""')}"`)[0].n);
  }
  const r = all(
    sqlite,
    `SELECT min(block_time) AS t0, max(block_time) AS t1, min(slot) AS s0, max(slot) AS s1,
            (SELECT count(*) FROM trade_rows WHERE block_time IS NULL) AS untimed,
            (SELECT count(*) FROM (SELECT DISTINCT base_mint_id FROM trade_rows)) AS mints,
            (SELECT count(*) FROM (SELECT DISTINCT trader_id FROM trade_rows)) AS wallets,
            (SELECT max(as_of) FROM token_metrics) AS as_of
       FROM trade_rows`,
  )[0];
  const onDisk = path !== ':memory:';
  return storeStatsOf(r as ExtentRow, {
    path,
    schemaVersion,
    fileBytes: onDisk ? fileSize(path) : 0,
    walBytes: onDisk ? fileSize(`${path}-wal`) : 0,
    shmBytes: onDisk ? fileSize(`${path}-shm`) : 0,
    rows,
  });
}
