/**
 * `query stats`: the trade extent and counts both backends read with one SELECT, as StoreStats,
 * beside what each measures its own way (file sizes on SQLite, database size on Postgres).
 */
import type { StoreStats } from '../core/store/reports.js';
import { num, numOrNull } from './values.js';

/** Columns t0, t1 (block time), s0, s1 (slot), untimed, mints, wallets, as_of. */
export type ExtentRow = Record<'t0' | 't1' | 's0' | 's1' | 'untimed' | 'mints' | 'wallets' | 'as_of', unknown>;

export function storeStatsOf(r: ExtentRow, size: Pick<StoreStats, 'path' | 'schemaVersion' | 'fileBytes' | 'walBytes' | 'shmBytes' | 'rows'>): StoreStats {
  return {
    ...size,
    mints: num(r.mints),
    wallets: num(r.wallets),
    firstTradeTime: numOrNull(r.t0),
    lastTradeTime: numOrNull(r.t1),
    firstSlot: numOrNull(r.s0),
    lastSlot: numOrNull(r.s1),
    tradesWithoutTime: num(r.untimed),
    metricsAsOf: numOrNull(r.as_of),
  };
}
