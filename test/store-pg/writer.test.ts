/**
 * The batched writer on PostgreSQL: the same assertions as test/store/writer.test.ts (exact
 * values, idempotency, rejects, flush rules, metrics coalescing, signals once, readers beside
 * the writer, a failed batch kept), on a real server.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClassifiedTrade, WindowMetrics } from '../../src/core/flow/types.js';
import { openPostgres, type PgDb } from '../../src/store/postgres/connect.js';
import { createPgWriter } from '../../src/store/postgres/writer.js';
import { rowToTrade, type TradeRow } from '../../src/store/trade-row.js';
import { makeTrade, synthTrades, USDC_MINT } from '../flow/gen.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres/database.js';

let tdb: TestDatabase;
let db: PgDb;
beforeAll(async () => {
  tdb = await createTestDatabase('writer');
  db = await openPostgres({ url: tdb.url });
});
afterAll(async () => {
  await db?.close();
  await tdb?.drop();
});

const metricsRow = (mint: string, asOf: number, netFlow: number): WindowMetrics => ({
  mint, window: '5m', asOf, asOfSlot: asOf * 2, buyVolume: netFlow, sellVolume: 0, buyCount: 1, sellCount: 0, netFlow,
  uniqueWallets: 1, uniqueBuyers: 1, uniqueSellers: 0, botVolume: 0, botTrades: 0, botWallets: 0, botShare: 0,
  dcaVolume: 0, dcaBuyVolume: 0, dcaTrades: 0, dcaWallets: 0, dcaShare: 0,
});

const reset = () => db.pool.query('TRUNCATE trade_rows, signals, token_metrics, tokens, sig_collisions');
const rows = async (sql: string, params: unknown[] = []) => (await db.pool.query(sql, params)).rows;

describe('batched writer on PostgreSQL', () => {
  it('stores every Trade field exactly and ignores the same (signature, ix_path) twice', async () => {
    await reset();
    const w = createPgWriter(db.pool, { batchSize: 100 });
    const big = (1n << 64n) - 1n; // u64 max: past BIGINT, exact in NUMERIC(20,0)
    const trades: ClassifiedTrade[] = [
      { ...makeTrade({ signature: 's1', baseAmount: big, fee: 123n, feeMint: 'fm', router: 'jupiter-v6', platform: 'photon' }), isBot: true, botReasons: ['rate:12 tx/60s'] },
      { ...makeTrade({ signature: 's1', ixPath: '2.3', quoteMint: USDC_MINT, quoteAmount: 5_000_000n, quoteDecimals: 6, isDca: true }), isBot: false, botReasons: [] },
      { ...makeTrade({ signature: 's2', slot: null, blockTime: null, txIndex: null, pool: null, solAmount: 9_000_000_000_000_000n, quoteAmount: 9_000_000_000_000_000n }), isBot: false, botReasons: [] },
    ];
    await w.write({ trades });
    await w.write({ trades: [trades[0], trades[2]] });
    await w.close();
    expect(w.counters()).toMatchObject({ written: 3, duplicate: 2, rejected: 0, queued: 0 });
    expect((await rows('SELECT * FROM trades ORDER BY id')).map((r) => rowToTrade(r as TradeRow))).toEqual(trades);
    // The same trade twice inside one batch is one row too.
    const w2 = createPgWriter(db.pool, { batchSize: 100 });
    const t = makeTrade({ signature: 's3' });
    await w2.write({ trades: [t, t, t] });
    await w2.close();
    expect(w2.counters()).toMatchObject({ written: 1, duplicate: 2 });
  });

  it('rejects bad rows without losing the rest of the batch, including rows only the server refuses', async () => {
    await reset();
    const rejected: string[] = [];
    const w = createPgWriter(db.pool, { onReject: (_w, _i, why) => rejected.push(why) });
    await w.write({
      trades: [
        makeTrade({ signature: 'ok1' }),
        makeTrade({ signature: 'bad1', ixPath: 'x' }),
        makeTrade({ signature: 'bad2', baseAmount: -1n }),
        makeTrade({ signature: 'bad3', side: 'hold' as never }),
        // Passes the cheap checks; base_decimals is SMALLINT, so the INSERT fails on this row only.
        makeTrade({ signature: 'bad4', baseDecimals: 70_000 }),
        makeTrade({ signature: 'ok2' }),
      ],
    });
    await w.close();
    expect(w.counters()).toMatchObject({ written: 2, rejected: 4, duplicate: 0 });
    expect(rejected.slice(0, 3)).toEqual(['bad ixPath x', 'bad baseAmount', 'bad side hold']);
    expect(rejected[3]).toMatch(/out of range/);
    expect((await rows('SELECT signature FROM trades ORDER BY signature')).map((r) => r.signature)).toEqual(['ok1', 'ok2']);
  });

  it('flushes a partial batch on its timer, and a full batch at once', async () => {
    await reset();
    const w = createPgWriter(db.pool, { batchSize: 50, flushIntervalMs: 20 });
    await w.write({ trades: [makeTrade()] });
    expect(w.counters().queued).toBe(1);
    for (let i = 0; i < 100 && w.counters().written === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(w.counters()).toMatchObject({ queued: 0, written: 1, batches: 1 });
    await w.write({ trades: synthTrades({ trades: 120, seed: 3 }) });
    expect(w.counters()).toMatchObject({ queued: 0, written: 121, batches: 4 });
    await w.close();
    await expect(w.write({ trades: [makeTrade()] })).rejects.toThrow(/closed/);
  });

  it('close() flushes whatever is queued', async () => {
    await reset();
    const w = createPgWriter(db.pool, { batchSize: 10_000, flushIntervalMs: 60_000 });
    await w.write({ trades: synthTrades({ trades: 500, seed: 4 }) });
    expect(w.counters().written).toBe(0);
    await w.close();
    expect(await rows('SELECT count(*)::int AS n FROM trades')).toEqual([{ n: 500 }]);
  });

  it('keeps first/last seen per token whatever order trades arrive in', async () => {
    await reset();
    const w = createPgWriter(db.pool, { batchSize: 1 });
    await w.write({ trades: [makeTrade({ signature: 'b', slot: 20, blockTime: 200, baseMint: 'M' })] });
    await w.write({ trades: [makeTrade({ signature: 'a', slot: 10, blockTime: 100, baseMint: 'M' })] });
    await w.write({ trades: [makeTrade({ signature: 'c', slot: null, blockTime: null, baseMint: 'M' })] });
    await w.write({ trades: [makeTrade({ signature: 'd', slot: 15, blockTime: 150, baseMint: 'M' })] });
    await w.close();
    expect(await rows('SELECT mint, decimals, first_seen_slot, first_seen_time, last_seen_slot, last_seen_time FROM tokens')).toEqual([
      { mint: 'M', decimals: 6, first_seen_slot: 10, first_seen_time: 100, last_seen_slot: 20, last_seen_time: 200 },
    ]);
  });

  it('coalesces metrics per (mint, window) and never overwrites newer with older', async () => {
    await reset();
    const w = createPgWriter(db.pool, { batchSize: 1000 });
    await w.write({ metrics: [metricsRow('M', 100, 1), metricsRow('M', 101, 2), metricsRow('N', 100, 3)] });
    await w.flush();
    expect(w.counters().metricsWritten).toBe(2);
    await w.write({ metrics: [metricsRow('M', 99, 7)] });
    await w.flush();
    expect(await rows(`SELECT mint, as_of, net_flow FROM token_metrics WHERE "window" = '5m' ORDER BY mint`)).toEqual([
      { mint: 'M', as_of: 101, net_flow: 2 }, { mint: 'N', as_of: 100, net_flow: 3 },
    ]);
    await w.close();
  });

  it('stores signals once, with their inputs as JSON', async () => {
    await reset();
    const w = createPgWriter(db.pool);
    const s = { mint: 'M', type: 'BREAKOUT' as const, strength: 0.5, window: '5m' as const, blockTime: 10, slot: 20, signature: 'x', inputs: { net5mSol: 3.5 } };
    await w.write({ signals: [s, s] });
    await w.write({ signals: [s] });
    await w.close();
    expect(w.counters()).toMatchObject({ signalsWritten: 1, signalsDuplicate: 2 });
    expect(await rows('SELECT inputs_json FROM signals')).toEqual([{ inputs_json: '{"net5mSol":3.5}' }]);
  });

  it('a read-only session reads while the writer writes, and cannot write itself', async () => {
    await reset();
    const reader = await openPostgres({ url: tdb.url, readonly: true });
    const w = createPgWriter(db.pool, { batchSize: 100 });
    const count = async () => (await reader.pool.query('SELECT count(*) AS n FROM trades')).rows[0].n;
    await w.write({ trades: synthTrades({ trades: 100, seed: 8 }) });
    const n1 = await count();
    await w.write({ trades: synthTrades({ trades: 100, seed: 9 }) });
    expect([n1, await count()]).toEqual([100, 200]);
    await expect(reader.pool.query('DELETE FROM trade_rows')).rejects.toThrow(/read-only transaction/);
    await w.close();
    await reader.close();
  });

  it('a failed batch stays queued and is not counted twice', async () => {
    await reset();
    const other = new pg.Client({ connectionString: tdb.url });
    await other.connect();
    // Another session holds the table: the writer's batch times out on its lock and rolls back.
    await other.query('BEGIN');
    await other.query('LOCK TABLE trade_rows IN ACCESS EXCLUSIVE MODE');
    const u = new URL(tdb.url);
    u.searchParams.set('options', '-c lock_timeout=200ms');
    const shortLock = await openPostgres({ url: u.toString() });
    const w2 = createPgWriter(shortLock.pool, { batchSize: 1000, flushIntervalMs: 0 });
    await w2.write({ trades: [makeTrade({ signature: 'q1' })] });
    await expect(w2.flush()).rejects.toThrow(/lock timeout/);
    expect(w2.counters()).toMatchObject({ written: 0, queued: 1 });
    await other.query('ROLLBACK');
    await w2.flush();
    expect(w2.counters()).toMatchObject({ written: 1, queued: 0 });
    await w2.close();
    await other.end();
    await shortLock.close();
  });
});
