/**
 * A stand-in for `solflow ingest` in its own process, for the prune-beside-ingest test: the real
 * openDatabase (busy timeout 5 s) and the real batched writer, writing new trades at a steady
 * rate until the file STOP_FILE appears (vite-node exits at once on a signal or on stdin's end, so
 * neither can ask for a clean stop). Signatures are `live-<i>` so the test can check every one
 * arrived.
 *
 *   node node_modules/vite-node/vite-node.mjs test/prune/ingest-child.ts DB RATE_PER_SEC BLOCK_TIME STOP_FILE
 *
 * stdout: `ready` after the first committed batch, then one JSON summary line at the end.
 */
import { existsSync } from 'node:fs';
import { openDatabase, createWriter } from '../../src/store/sqlite/index.js';
import { makeTrade } from '../flow/gen.js';

const [path, rateText, timeText, stopFile] = process.argv.slice(2);
const rate = Number(rateText);
const blockTime = Number(timeText);
const db = openDatabase({ path });
const writer = createWriter(db.sqlite, { batchSize: 100, flushIntervalMs: 50 });

let i = 0;
let longestWriteMs = 0;
const errors: string[] = [];
let ready = false;
const tickMs = 20;
const perTick = Math.max(1, Math.round((rate * tickMs) / 1000));

while (!existsSync(stopFile)) {
  const trades = [];
  for (let k = 0; k < perTick; k++, i++) {
    trades.push(makeTrade({ signature: `live-${i}`, slot: 900_000_000 + i, blockTime: blockTime + Math.floor(i / rate), baseMint: `LiveMint${i % 50}`, trader: `LiveWallet${i % 500}` }));
  }
  try {
    await writer.write({ trades });
    // write() commits when its queue fills; time each commit, lock wait included.
    const t0 = performance.now();
    writer.flush();
    longestWriteMs = Math.max(longestWriteMs, performance.now() - t0);
  } catch (err) {
    errors.push(`${(err as { code?: string }).code ?? ''} ${(err as Error).message}`);
    break;
  }
  if (!ready) {
    ready = true;
    process.stdout.write('ready\n');
  }
  await new Promise((r) => setTimeout(r, tickMs));
}
try {
  await writer.close();
} catch (err) {
  errors.push((err as Error).message);
}
const c = writer.counters();
await db.close();
process.stdout.write(JSON.stringify({ generated: i, written: c.written, rejected: c.rejected, longestWriteMs, errors }) + '\n');
process.exit(errors.length ? 1 : 0);
