import { afterAll, describe, expect, it } from 'vitest';
import { createWriter, openDatabase, rowToTrade, type TradeRow } from '../../src/store/sqlite/index.js';
import type { ClassifiedTrade, WindowMetrics } from '../../src/core/flow/types.js';
import { makeTrade, synthTrades, USDC_MINT } from '../flow/gen.js';
import { tempDir } from './tmp.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const metricsRow = (mint: string, asOf: number, netFlow: number): WindowMetrics => ({
  mint, window: '5m', asOf, asOfSlot: asOf * 2, buyVolume: netFlow, sellVolume: 0, buyCount: 1, sellCount: 0, netFlow,
  uniqueWallets: 1, uniqueBuyers: 1, uniqueSellers: 0, botVolume: 0, botTrades: 0, botWallets: 0, botShare: 0,
  dcaVolume: 0, dcaBuyVolume: 0, dcaTrades: 0, dcaWallets: 0, dcaShare: 0,
});

describe('batched writer', () => {
  it('stores every Trade field exactly and ignores the same (signature, ix_path) twice', async () => {
    const db = openDatabase({ path: tmp.file('w1.db') });
    const w = createWriter(db.sqlite, { batchSize: 100 });
    const big = (1n << 64n) - 1n; // u64 max does not fit SQLite INTEGER: stored as TEXT
    const trades: ClassifiedTrade[] = [
      { ...makeTrade({ signature: 's1', baseAmount: big, fee: 123n, feeMint: 'fm', router: 'jupiter-v6', platform: 'photon' }), isBot: true, botReasons: ['rate:12 tx/60s'] },
      { ...makeTrade({ signature: 's1', ixPath: '2.3', quoteMint: USDC_MINT, quoteAmount: 5_000_000n, quoteDecimals: 6, isDca: true }), isBot: false, botReasons: [] },
      { ...makeTrade({ signature: 's2', slot: null, blockTime: null, txIndex: null, pool: null, solAmount: 9_000_000_000_000_000n, quoteAmount: 9_000_000_000_000_000n }), isBot: false, botReasons: [] },
    ];
    await w.write({ trades });
    await w.write({ trades: [trades[0], trades[2]] });
    await w.close();
    expect(w.counters()).toMatchObject({ written: 3, duplicate: 2, rejected: 0, queued: 0 });

    const rows = db.sqlite.prepare('SELECT * FROM trades ORDER BY id').safeIntegers(true).all() as TradeRow[];
    expect(rows.map(rowToTrade)).toEqual(trades);
    await db.close();
  });

  it('rejects bad rows without losing the rest of the batch', async () => {
    const db = openDatabase({ path: tmp.file('w2.db') });
    const rejected: string[] = [];
    const w = createWriter(db.sqlite, { onReject: (_w, _i, why) => rejected.push(why) });
    await w.write({
      trades: [
        makeTrade({ signature: 'ok1' }),
        makeTrade({ signature: 'bad1', ixPath: 'x' }),
        makeTrade({ signature: 'bad2', baseAmount: -1n }),
        makeTrade({ signature: 'bad3', side: 'hold' as never }),
        makeTrade({ signature: 'ok2' }),
      ],
    });
    await w.close();
    expect(w.counters()).toMatchObject({ written: 2, rejected: 3 });
    expect(rejected).toEqual(['bad ixPath x', 'bad baseAmount', 'bad side hold']);
    await db.close();
  });

  it('flushes a partial batch on its timer, and a full batch at once', async () => {
    const db = openDatabase({ path: tmp.file('w3.db') });
    const w = createWriter(db.sqlite, { batchSize: 50, flushIntervalMs: 20 });
    await w.write({ trades: [makeTrade()] });
    expect(w.counters().queued).toBe(1);
    await new Promise((r) => setTimeout(r, 80));
    expect(w.counters()).toMatchObject({ queued: 0, written: 1, batches: 1 });

    // A write that crosses batchSize is flushed before write() resolves, in batchSize chunks.
    await w.write({ trades: synthTrades({ trades: 120, seed: 3 }) });
    expect(w.counters()).toMatchObject({ queued: 0, written: 121, batches: 4 });
    await w.close();
    await expect(w.write({ trades: [makeTrade()] })).rejects.toThrow(/closed/);
    await db.close();
  });

  it('close() flushes whatever is queued', async () => {
    const path = tmp.file('w4.db');
    const db = openDatabase({ path });
    const w = createWriter(db.sqlite, { batchSize: 10_000, flushIntervalMs: 60_000 });
    await w.write({ trades: synthTrades({ trades: 500, seed: 4 }) });
    expect(w.counters().written).toBe(0);
    await w.close();
    await db.close();
    const r = openDatabase({ path, readonly: true });
    expect(r.sqlite.prepare('SELECT count(*) FROM trades').pluck().get()).toBe(500);
    await r.close();
  });

  it('keeps first/last seen per token whatever order trades arrive in', async () => {
    const db = openDatabase({ path: tmp.file('w5.db') });
    const w = createWriter(db.sqlite, { batchSize: 1 });
    await w.write({ trades: [makeTrade({ signature: 'b', slot: 20, blockTime: 200, baseMint: 'M' })] });
    await w.write({ trades: [makeTrade({ signature: 'a', slot: 10, blockTime: 100, baseMint: 'M' })] });
    await w.write({ trades: [makeTrade({ signature: 'c', slot: null, blockTime: null, baseMint: 'M' })] });
    await w.write({ trades: [makeTrade({ signature: 'd', slot: 15, blockTime: 150, baseMint: 'M' })] });
    await w.close();
    expect(db.sqlite.prepare('SELECT mint, decimals, first_seen_slot, first_seen_time, last_seen_slot, last_seen_time FROM tokens').all()).toEqual([
      { mint: 'M', decimals: 6, first_seen_slot: 10, first_seen_time: 100, last_seen_slot: 20, last_seen_time: 200 },
    ]);
    await db.close();
  });

  it('coalesces metrics per (mint, window) and never overwrites newer with older', async () => {
    const db = openDatabase({ path: tmp.file('w6.db') });
    const w = createWriter(db.sqlite, { batchSize: 1000 });
    await w.write({ metrics: [metricsRow('M', 100, 1), metricsRow('M', 101, 2), metricsRow('N', 100, 3)] });
    w.flush();
    expect(w.counters().metricsWritten).toBe(2);
    await w.write({ metrics: [metricsRow('M', 99, 7)] });
    w.flush();
    const get = () => db.sqlite.prepare("SELECT mint, as_of, net_flow FROM token_metrics WHERE window = '5m' ORDER BY mint").all();
    expect(get()).toEqual([{ mint: 'M', as_of: 101, net_flow: 2 }, { mint: 'N', as_of: 100, net_flow: 3 }]);
    await w.close();
    await db.close();
  });

  it('stores signals once, with their inputs as JSON', async () => {
    const db = openDatabase({ path: tmp.file('w7.db') });
    const w = createWriter(db.sqlite);
    const s = { mint: 'M', type: 'BREAKOUT' as const, strength: 0.5, window: '5m' as const, blockTime: 10, slot: 20, signature: 'x', inputs: { net5mSol: 3.5 } };
    await w.write({ signals: [s, s] });
    await w.write({ signals: [s] });
    await w.close();
    expect(w.counters()).toMatchObject({ signalsWritten: 1, signalsDuplicate: 2 });
    expect(db.sqlite.prepare('SELECT inputs_json FROM signals').pluck().all()).toEqual(['{"net5mSol":3.5}']);
    await db.close();
  });

  it('a read-only connection reads while the writer writes (WAL)', async () => {
    const path = tmp.file('w8.db');
    const db = openDatabase({ path });
    const w = createWriter(db.sqlite, { batchSize: 100 });
    const reader = openDatabase({ path, readonly: true });
    await w.write({ trades: synthTrades({ trades: 100, seed: 8 }) });
    const n1 = reader.sqlite.prepare('SELECT count(*) FROM trades').pluck().get();
    await w.write({ trades: synthTrades({ trades: 100, seed: 9 }) });
    const n2 = reader.sqlite.prepare('SELECT count(*) FROM trades').pluck().get();
    expect([n1, n2]).toEqual([100, 200]);
    await w.close();
    await reader.close();
    await db.close();
  });

  it('a failed batch stays queued and is not counted twice', async () => {
    const path = tmp.file('w9.db');
    const db = openDatabase({ path, busyTimeoutMs: 0 });
    const w = createWriter(db.sqlite, { batchSize: 1000, flushIntervalMs: 0 });
    const other = openDatabase({ path });
    other.sqlite.exec('BEGIN IMMEDIATE'); // another process holds the write lock
    await w.write({ trades: [makeTrade({ signature: 'q1' })] });
    expect(() => w.flush()).toThrow(/locked|busy/i);
    expect(w.counters()).toMatchObject({ written: 0, queued: 1 });
    other.sqlite.exec('ROLLBACK');
    w.flush();
    expect(w.counters()).toMatchObject({ written: 1, queued: 0 });
    await w.close();
    await other.close();
    await db.close();
  });
});
