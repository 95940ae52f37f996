/**
 * A process that writes through the threaded writer, commits, writes more and then returns
 * without close(), as a caller that fails half-way would. It must exit on its own.
 *   node --import tsx test/support/abandon-threaded-writer.ts <db>
 */
import { openDatabase } from '../../src/store/sqlite/index.js';
import { createThreadedWriter } from '../../src/store/sqlite/writer-thread.js';
import { synthTrades } from '../flow/gen.js';

const db = openDatabase({ path: process.argv[2] });
const w = createThreadedWriter(db.sqlite, db.path);
await w.write({ trades: synthTrades({ trades: 3000, seed: 11 }) });
w.flush();
await w.write({ trades: synthTrades({ trades: 100, seed: 12 }) });
process.stdout.write(`${w.counters().written}\n`);
