/**
 * The recompute seam (issue 3). A source that reports where the chain is after every block
 * (backfill, live) must store exactly what a replay of the same trades in canonical order stores:
 * recomputeFlow over a database filled in order changes nothing, and a backfill that fetched
 * blocks out of order or filled gaps later ends with the same flags, signals and metrics.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createPipeline, recomputeFlow } from '../src/core/pipeline.js';
import { openDatabase, sqliteStore } from '../src/store/sqlite/index.js';
import type { Trade } from '../src/core/trade.js';
import { rng, shuffle, synthTrades } from './flow/gen.js';
import { tempDir } from './store/tmp.js';
import { dumpDatabase } from './support/db-dump.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

interface Block {
  slot: number;
  blockTime: number;
  trades: Trade[];
}

const trades = synthTrades({ trades: 12_000, seed: 33, mints: 50, wallets: 300, botWalletShare: 0.08 });
const blocks: Block[] = [];
for (const t of trades) {
  const last = blocks[blocks.length - 1];
  if (last && last.slot === t.slot) last.trades.push(t);
  else blocks.push({ slot: t.slot as number, blockTime: t.blockTime as number, trades: [t] });
}
// The chain went on after the last trade: a few empty blocks, which only the tip reports.
const lastBlock = blocks[blocks.length - 1];
const tip: Block = { slot: lastBlock.slot + 25, blockTime: lastBlock.blockTime + 10, trades: [] };

/** Like `solflow backfill`: each block's trades, then tick(block time, slot). */
async function backfill(path: string, order: Block[]) {
  const db = openDatabase({ path });
  const p = await createPipeline({ store: sqliteStore(db), writer: { batchSize: 1500 }, metricsIntervalMs: 0 });
  for (const b of order) {
    await p.ingestTrades(b.trades);
    await p.tick(b.blockTime, b.slot);
  }
  const summary = await p.close();
  return { db, summary };
}

/** Blocks as concurrent fetches hand them over: each up to `spread` slots late. */
function concurrent(order: Block[], seed: number, spread: number): Block[] {
  const r = rng(seed);
  return order
    .map((b) => ({ b, at: b.slot + r() * spread }))
    .sort((x, y) => x.at - y.at)
    .map((x) => x.b);
}

describe('recompute seam: ticks from the source never change what is computed', () => {
  /** Everything stored, flags, signals and metrics included (dumpDatabase). */
  let reference: Record<string, string>;

  it('recomputeFlow over a database filled in order changes nothing', async () => {
    const path = tmp.file('in-order.db');
    const { db, summary } = await backfill(path, [...blocks, tip]);
    expect(summary.reconciled).toBe(false);
    reference = dumpDatabase(path);
    const column = (sql: string) => db.sqlite.prepare(sql).pluck().all();
    expect(column('SELECT is_bot FROM trades').filter((b) => b === 1).length).toBeGreaterThan(100);
    expect(column('SELECT bot_reasons FROM trades').some((r) => /round-trip:[1-9]\d*s/.test(r as string))).toBe(true);
    expect(column('SELECT signature FROM signals').length).toBeGreaterThan(0);
    const r = await recomputeFlow(sqliteStore(db));
    expect(r.trades).toBe(trades.length);
    expect(r.flagsChanged).toBe(0);
    expect(dumpDatabase(path)).toEqual(reference);
    await db.close();
  });

  it('blocks handed over out of order (within the lag) store the same as in order', async () => {
    const path = tmp.file('concurrent.db');
    const { db, summary } = await backfill(path, [...concurrent(blocks, 3, 6), tip]);
    expect(summary.writer.lateWritten).toBe(0);
    expect(dumpDatabase(path)).toEqual(reference);
    await db.close();
  });

  it('filling gaps later (late trades, then recompute) stores the same as an uninterrupted run', async () => {
    const path = tmp.file('gaps.db');
    const missing = new Set(shuffle(blocks, 9).slice(0, 40).map((b) => b.slot));
    const first = await backfill(path, [...blocks.filter((b) => !missing.has(b.slot)), tip]);
    expect(dumpDatabase(path)).not.toEqual(reference);
    await first.db.close();
    const second = await backfill(path, blocks.filter((b) => missing.has(b.slot)));
    expect(second.summary.writer.lateWritten).toBeGreaterThan(0);
    expect(second.summary.reconciled).toBe(true);
    expect(dumpDatabase(path)).toEqual(reference);
    await second.db.close();
  });

  it('a backfill fetched newest-first stores the same as in order', async () => {
    const path = tmp.file('newest-first.db');
    const { db, summary } = await backfill(path, [tip, ...blocks.slice().reverse()]);
    expect(summary.reconciled).toBe(true);
    expect(dumpDatabase(path)).toEqual(reference);
    await db.close();
  });
});
