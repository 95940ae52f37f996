/**
 * What the flow engine keeps per trade as its windows fill and once they are full: heap (and
 * typed arrays' external memory) retained after a full GC, at checkpoints of chain time, per
 * trade pushed so far and per trade pushed since the previous checkpoint, and the engine's time
 * per trade. Two shapes of the same synthetic stream (test/flow/gen.ts), one block replayed
 * shifted in slot and time as the replay server's copies are:
 *
 *  - soak-like: what `ingest` sees from the replay server (test/bench/ingest-soak.ts): the same
 *    few hundred wallets over and over, ~2,500 trades a chain second;
 *  - spread: 100,000 wallets over 500 tokens, ~125 trades a chain second, most (wallet, token,
 *    second) seen once: the windows' worst case, nothing to share.
 *
 * The windows (windows.ts) keep a step per token and second for 15 minutes and per token and
 * minute for 4 hours, and a mark per wallet in each: once the exact windows are full, a soak-like
 * stream adds almost nothing per trade; a spread one still adds its minute marks until 4 h.
 *
 *   npm run bench                       (with the other benches)
 *   npx tsx test/bench/flow-memory.ts   (alone, ~2 minutes)
 */
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createFlowEngine } from '../../src/core/flow/index.js';
import type { Trade } from '../../src/core/trade.js';
import { synthTrades } from '../flow/gen.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function heapAfterGc(): number {
  gc();
  gc();
  // Typed arrays' storage lives outside the JS heap (external), and the windows are mostly that.
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
}

interface Shape {
  name: string;
  /** One block of trades, replayed shifted in slot and time like the replay server's copies. */
  block: Trade[];
  /** Slots the block spans (copies start this far apart). */
  slots: number;
}

function shape(name: string, o: { trades: number; mints: number; wallets: number; tradesPerSlot: number }): Shape {
  const block = synthTrades({ ...o, seed: 3, startSlot: 0, startTime: 0 });
  return { name, block, slots: block[block.length - 1].slot + 1 };
}

/**
 * Push `s.copies` shifted copies of its block; at each checkpoint (hours of chain time), the heap
 * kept since the start per trade pushed so far, and the heap added since the previous
 * checkpoint per trade pushed since (what the windows still grow by), and µs per trade.
 */
function measure(s: Shape, checkpoints: number[]): Array<{ hours: number; trades: number; bytesPerTrade: number; addedPerTrade: number; usPerTrade: number }> {
  const copies = s.block.map((t) => ({ ...t }));
  const e = createFlowEngine({});
  const start = heapAfterGc();
  let prev = { heap: start, trades: 0 };
  const out = [];
  let trades = 0;
  let cpu = 0;
  let next = 0;
  for (let c = 0; next < checkpoints.length; c++) {
    const shift = c * s.slots;
    for (let i = 0; i < copies.length; i++) {
      const t = copies[i];
      t.slot = s.block[i].slot + shift;
      t.blockTime = Math.floor((t.slot * 2) / 5);
      t.signature = `${s.block[i].signature.slice(0, 80)}${c.toString(36).padStart(8, '1')}`;
    }
    const t0 = performance.now();
    e.push(copies);
    e.takeMetrics();
    cpu += performance.now() - t0;
    trades += copies.length;
    const hours = ((c + 1) * s.slots * 2) / 5 / 3600;
    if (hours >= checkpoints[next]) {
      const heap = heapAfterGc();
      out.push({
        hours,
        trades,
        bytesPerTrade: (heap - start) / trades,
        addedPerTrade: (heap - prev.heap) / (trades - prev.trades),
        usPerTrade: (cpu * 1000) / trades,
      });
      prev = { heap, trades };
      next++;
    }
  }
  return out;
}

export async function benchFlowMemory(): Promise<void> {
  console.log('flow engine: memory kept per trade as its windows fill (heap + external, after a full GC)');
  const shapes: Array<[Shape, number[]]> = [
    // ~1,000 trades a slot over 150 tokens and 300 wallets: 2,500 a chain second.
    [shape('soak-like', { trades: 20_000, mints: 150, wallets: 300, tradesPerSlot: 1000 }), [0.25, 0.5, 0.75]],
    // ~50 trades a slot over 500 tokens and 100,000 wallets: 125 a chain second.
    [shape('spread', { trades: 200_000, mints: 500, wallets: 100_000, tradesPerSlot: 50 }), [1, 2, 4, 5]],
  ];
  for (const [s, checkpoints] of shapes) {
    for (const m of measure(s, checkpoints)) {
      console.log(
        `  ${s.name.padEnd(10)} at ${m.hours.toFixed(2)} h of chain time, ${m.trades.toLocaleString('en-US')} trades: ` +
          `${m.bytesPerTrade.toFixed(1)} bytes kept per trade, ${m.addedPerTrade.toFixed(1)} added per trade since the last line, ` +
          `${m.usPerTrade.toFixed(2)} µs per trade`,
      );
    }
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchFlowMemory();
