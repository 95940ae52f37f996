/**
 * better-sqlite3's Database class, required rather than imported: it is CommonJS, and importing
 * CommonJS from ESM first loads Node's parser for CommonJS exports, a cost every command that
 * opens a database would pay at start-up (test/bench/startup.ts).
 */
import { createRequire } from 'node:module';
import type BetterSqlite3Module from 'better-sqlite3';

export const BetterSqlite3 = createRequire(import.meta.url)('better-sqlite3') as typeof BetterSqlite3Module;
