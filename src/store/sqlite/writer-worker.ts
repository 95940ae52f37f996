/**
 * The writer thread's side of writer-thread.ts: its own connection to the file and the one
 * batched writer (writer.ts) on it. Messages are handled strictly in arrival order; each gets
 * one reply on the reply port, then the shared signal is bumped so a main thread blocked in
 * flush() wakes up.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import { openSqlite } from './driver.js';
import { applyPragmas, defineFunctions } from './open.js';
import { receivedStrings, unpackTrades } from './trade-codec.js';
import { createWriter, type SqliteWriter } from './writer.js';
import type { Reject, ThreadReply, ThreadRequest, WriterThreadData } from './writer-thread.js';

const data = workerData as WriterThreadData;
const replies = data.port as MessagePort;
const signal = new Int32Array(data.signal);
// First, so a main thread blocked in flush() learns the thread is gone however it ends.
process.on('exit', () => {
  Atomics.store(signal, 1, 1);
  Atomics.notify(signal, 0);
});
let rejects: Reject[] = [];
/** The string table the main thread packs with (trade-codec.ts): every batch goes through it, in order. */
const strings = receivedStrings();

// The main thread opened (and migrated) the file already: this connection only writes to it.
// A failure here (file gone, locked past the busy timeout) is the answer to every request.
let sqlite: Database.Database | null = null;
let writer: SqliteWriter | null = null;
let startError: unknown = null;
try {
  sqlite = openSqlite(data.path, { fileMustExist: true });
  applyPragmas(sqlite, { readonly: false, busyTimeoutMs: data.busyTimeoutMs });
  defineFunctions(sqlite);
  writer = createWriter(sqlite, {
    ...data.options,
    onReject: (what, item, reason) => rejects.push({ what, item, reason }),
  });
} catch (err) {
  startError = err;
}
Atomics.store(signal, 2, 1);
Atomics.notify(signal, 2);

function reply(seq: number, error?: unknown): void {
  const r: ThreadReply = { seq, counters: writer?.counters() ?? null, rejects };
  if (error !== undefined) r.error = error instanceof Error ? error.message : String(error);
  rejects = [];
  replies.postMessage(r);
  Atomics.add(signal, 0, 1);
  Atomics.notify(signal, 0);
}

async function handle(m: ThreadRequest): Promise<void> {
  try {
    if (writer === null || sqlite === null) throw startError;
    if (m.type === 'write') {
      await writer.write({
        trades: m.trades ? unpackTrades(m.trades, strings) : undefined,
        lateTrades: m.lateTrades ? unpackTrades(m.lateTrades, strings) : undefined,
        metrics: m.metrics,
        signals: m.signals,
        flagUpdates: m.flagUpdates,
      });
    } else if (m.type === 'flush') {
      writer.flush();
    } else {
      await writer.close();
      sqlite.close();
    }
    reply(m.seq);
  } catch (err) {
    reply(m.seq, err);
  }
  if (m.type === 'close') {
    parentPort?.close();
    replies.close();
  }
}

let chain = Promise.resolve();
parentPort?.on('message', (m: ThreadRequest) => {
  chain = chain.then(() => handle(m));
});
