export { openDatabase, resolveDbPath, applyPragmas, DEFAULT_DB_PATH, DEFAULT_BUSY_TIMEOUT_MS } from './open.js';
export type { OpenOptions, SolflowDb } from './open.js';
export { migrate, loadMigrations, latestVersion, schemaVersion, checkVersion, SchemaVersionError, DEFAULT_SQL_DIR } from './migrate.js';
export type { Migration } from './migrate.js';
export { createWriter } from './writer.js';
export type { Writer, WriterOptions, WriterCounters, WriteBatch, FlagUpdate } from './writer.js';
export { rowToTrade, tradeParams, invalidTrade, TRADE_COLUMNS, TRADE_INSERT_SQL } from './rows.js';
export type { TradeRow } from './rows.js';
export type { DB } from './schema.js';
