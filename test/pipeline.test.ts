import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createPipeline, recomputeFlow, type TxEnvelope } from '../src/core/pipeline.js';
import { openDatabase, sqliteStore } from '../src/store/sqlite/index.js';
import type { Trade } from '../src/core/trade.js';
import { compareTrades } from '../src/core/trade.js';
import { rng, shuffle, synthTrades } from './flow/gen.js';
import { bruteMetrics } from './flow/brute.js';
import { rowToTrade, type TradeRow } from '../src/store/sqlite/rows.js';
import { tempDir } from './store/tmp.js';
import { dumpDatabase } from './support/db-dump.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

async function ingestAll(path: string, batches: Trade[][]) {
  const db = openDatabase({ path });
  const p = await createPipeline({ store: sqliteStore(db), writer: { batchSize: 2000 }, metricsIntervalMs: 0 });
  for (const b of batches) await p.ingestTrades(b);
  const summary = await p.close();
  return { db, summary };
}

function randomBatches(trades: Trade[], seed: number, max: number): Trade[][] {
  const r = rng(seed);
  const out: Trade[][] = [];
  for (let i = 0; i < trades.length; ) {
    const n = 1 + Math.floor(r() * max);
    out.push(trades.slice(i, i + n));
    i += n;
  }
  return out;
}

const trades = synthTrades({ trades: 20_000, seed: 21, mints: 60, wallets: 600, botWalletShare: 0.05 });

describe('pipeline: trades → engine → store', () => {
  /** Everything stored, flags, signals and metrics included (dumpDatabase). */
  let reference: Record<string, string>;

  it('in order: stores every trade once with its flags, signals and latest metrics', async () => {
    const path = tmp.file('ref.db');
    const { db, summary } = await ingestAll(path, randomBatches(trades, 1, 700));
    expect(summary.writer).toMatchObject({ written: 20_000, duplicate: 0, rejected: 0, lateWritten: 0 });
    expect(summary.reconciled).toBe(false);
    reference = dumpDatabase(path);
    const count = (sql: string) => db.sqlite.prepare(sql).pluck().get() as number;
    expect(count('SELECT count(*) FROM trades')).toBe(20_000);
    expect(count('SELECT count(*) FROM signals')).toBeGreaterThan(0);
    expect(count('SELECT count(*) FROM trades WHERE is_bot = 1')).toBeGreaterThan(100);
    await db.close();
  });

  it('a backfill in any fetch order ends with the identical store (late trades → recompute)', async () => {
    const newestFirst = trades.slice().sort((a, b) => compareTrades(b, a));
    for (const [name, order] of [['shuffled', shuffle(trades, 5)], ['newest-first', newestFirst]] as const) {
      const path = tmp.file(`${name}.db`);
      const { db, summary } = await ingestAll(path, randomBatches(order, 2, 1500));
      expect(summary.writer.written).toBe(20_000);
      expect(summary.reconciled).toBe(true);
      expect(dumpDatabase(path)).toEqual(reference);
      await db.close();
    }
  }, 30_000); // two full ingests and two recomputes: seconds on a busy 2-core machine

  it('re-running the same trades changes nothing', async () => {
    const path = tmp.file('ref.db');
    const { db, summary } = await ingestAll(path, randomBatches(trades, 3, 5000));
    expect(summary.writer).toMatchObject({ written: 0, duplicate: 20_000, lateWritten: 0 });
    expect(summary.reconciled).toBe(false);
    expect(dumpDatabase(path)).toEqual(reference);
    await db.close();
  });

  it('a restart continues the windows and flags from the store (warm start)', async () => {
    const path = tmp.file('restart.db');
    const sorted = trades.slice().sort(compareTrades);
    // Cut between slots: a restart resumes after the last committed slot.
    let cut = 12_345;
    while (sorted[cut].slot === sorted[cut - 1].slot) cut++;
    (await ingestAll(path, randomBatches(sorted.slice(0, cut), 4, 900))).db.close();
    const { db, summary } = await ingestAll(path, randomBatches(sorted.slice(cut), 5, 900));
    expect(summary.writer.lateWritten).toBe(0);
    const got = dumpDatabase(path);
    expect(got.trades).toEqual(reference.trades);
    expect(got.token_metrics).toEqual(reference.token_metrics);
    // Signal cooldowns at the seam are rebuilt from the warm-up; a recompute makes them exact.
    await recomputeFlow(sqliteStore(db));
    expect(dumpDatabase(path)).toEqual(reference);
    await db.close();
  }, 30_000); // two ingests with a warm start and a recompute: ~5 s on a busy 2-core machine

  it('token_metrics agree with a brute-force recomputation from the trades table', async () => {
    const db = openDatabase({ path: tmp.file('ref.db'), readonly: true });
    const stored = (db.sqlite.prepare('SELECT * FROM trades').safeIntegers(true).all() as TradeRow[]).map(rowToTrade);
    const rows = db.sqlite.prepare('SELECT * FROM token_metrics').all() as Record<string, number | string>[];
    const live = rows.filter((r) => (r.buy_count as number) + (r.sell_count as number) > 0);
    const now = Math.max(...live.map((r) => r.as_of as number));
    const brute = bruteMetrics(stored, now);
    let compared = 0;
    for (const r of rows) {
      const b = brute.get(r.mint as string)?.find((m) => m.window === r.window);
      if (r.as_of !== now) {
        // Evicted tokens: zero rows stamped when they emptied.
        expect([r.buy_count, r.sell_count, r.unique_wallets, r.net_flow]).toEqual([0, 0, 0, 0]);
        continue;
      }
      expect({
        buy_volume: r.buy_volume, sell_volume: r.sell_volume, buy_count: r.buy_count, sell_count: r.sell_count,
        net_flow: r.net_flow, unique_wallets: r.unique_wallets, unique_buyers: r.unique_buyers, unique_sellers: r.unique_sellers,
        bot_volume: r.bot_volume, bot_trades: r.bot_trades, bot_wallets: r.bot_wallets, dca_volume: r.dca_volume,
        dca_buy_volume: r.dca_buy_volume, dca_trades: r.dca_trades, dca_wallets: r.dca_wallets,
      }).toEqual({
        buy_volume: b!.buyVolume, sell_volume: b!.sellVolume, buy_count: b!.buyCount, sell_count: b!.sellCount,
        net_flow: b!.netFlow, unique_wallets: b!.uniqueWallets, unique_buyers: b!.uniqueBuyers, unique_sellers: b!.uniqueSellers,
        bot_volume: b!.botVolume, bot_trades: b!.botTrades, bot_wallets: b!.botWallets, dca_volume: b!.dcaVolume,
        dca_buy_volume: b!.dcaBuyVolume, dca_trades: b!.dcaTrades, dca_wallets: b!.dcaWallets,
      });
      compared++;
    }
    expect(compared).toBeGreaterThan(50);
    await db.close();
  });
});

describe('pipeline: transactions', () => {
  const dir = join(import.meta.dirname, '..', 'fixtures');
  const load = (sub: string) =>
    readdirSync(join(dir, sub))
      .filter((f) => f.endsWith('.json'))
      .map((f) => JSON.parse(readFileSync(join(dir, sub, f), 'utf8')));

  it('decodes real transactions into the store, isolating ones that fail to decode', async () => {
    const db = openDatabase({ path: tmp.file('tx.db') });
    const errors: string[] = [];
    const p = await createPipeline({ store: sqliteStore(db), onDecodeError: (_e, err) => errors.push(err.message) });
    const envelopes: TxEnvelope[] = [...load('tx'), ...load('malformed')].map((tx, i) => ({ tx, txIndex: i }));
    const r = await p.ingestTransactions(envelopes);
    const again = await p.ingestTransactions(envelopes.slice(0, 20));
    const s = await p.close();
    expect(r.received).toBeGreaterThan(100);
    expect(r.decodeErrors).toBe(errors.length);
    expect(again.received).toBeGreaterThan(0);
    expect(s.writer.written).toBe(r.received);
    const n = db.sqlite.prepare('SELECT count(*) FROM trades').pluck().get();
    expect(n).toBe(r.received);
    await db.close();
  });
});
