/** The SQLite backend's own API, below the Store interface (tests and benches reach in here). */
export { openDatabase, resolveDbPath, applyPragmas, defineFunctions, DEFAULT_DB_PATH, DEFAULT_BUSY_TIMEOUT_MS } from './open.js';
export type { OpenOptions, SolflowDb } from './open.js';
export { migrate, loadMigrations, latestVersion, schemaVersion, checkVersion, SchemaVersionError, DEFAULT_SQL_DIR } from './migrate.js';
export type { Migration } from './migrate.js';
export { createWriter, clearFlowTables } from './writer.js';
export type { SqliteWriter, WriterOptions, WriterCounters, WriteBatch, FlagUpdate } from './writer.js';
export { createThreadedWriter } from './writer-thread.js';
export { createAddressBook, rowToTrade, tradeParams, invalidTrade, TRADE_COLUMNS, TRADE_INSERT_SQL, type AddressBook, type AddressId } from './rows.js';
export type { TradeRow } from './rows.js';
export type { DB } from '../schema.js';
export { readTradesInOrder, storedExtent, firstSlotFrom } from './replay.js';
export { loadBlocklist } from './blocklist.js';
export { walletTrades, walletTradesSql, lastPriceLookup } from './wallet.js';
export type { WalletTradeFilter } from './wallet.js';
export { sigKey, SIG_KEY_FUNCTION } from '../sig-key.js';
export { sqliteStore } from './store.js';
