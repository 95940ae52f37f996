/**
 * The batched writer through the Store interface, on both backends (forEachBackend): exact
 * values, idempotency, rejects, flush rules, metrics coalescing, signals once, a reader beside
 * the writer. Then what only one backend has: SQLite's u64-as-TEXT and another connection's
 * write lock; PostgreSQL's row-level refusals and lock timeouts.
 */
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ClassifiedTrade, WindowMetrics } from '../../src/core/flow/types.js';
import type { Store } from '../../src/core/store/types.js';
import { openStore } from '../../src/store/index.js';
import { openDatabase } from '../../src/store/sqlite/index.js';
import { makeTrade, synthTrades, USDC_MINT } from '../flow/gen.js';
import { forEachBackend, freshDb, type FreshDb } from '../support/backends.js';

const metricsRow = (mint: string, asOf: number, netFlow: number): WindowMetrics => ({
  mint, window: '5m', asOf, asOfSlot: asOf * 2, buyVolume: netFlow, sellVolume: 0, buyCount: 1, sellCount: 0, netFlow,
  uniqueWallets: 1, uniqueBuyers: 1, uniqueSellers: 0, botVolume: 0, botTrades: 0, botWallets: 0, botShare: 0,
  dcaVolume: 0, dcaBuyVolume: 0, dcaTrades: 0, dcaWallets: 0, dcaShare: 0,
});

/** A read through `query sql` as objects; integers a number holds exactly come back as numbers on both backends. */
async function sql(store: Store, text: string): Promise<Record<string, unknown>[]> {
  const r = await store.querySql(text);
  const out: Record<string, unknown>[] = [];
  for await (const row of r.rows) {
    out.push(Object.fromEntries(r.columns.map((c, i) => [c, typeof row[i] === 'bigint' && Number.isSafeInteger(Number(row[i])) ? Number(row[i]) : row[i]])));
  }
  return out;
}

/** Stored trades in commit order, with their flags. */
const stored = async (store: Store) => (await store.trades.latest(100_000)).trades.map((k) => k.trade);

const settle = async (cond: () => boolean) => {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 20));
};

forEachBackend((backend) => {
  let fresh: FreshDb;
  let store: Store;
  // One database per test: a new file on SQLite, a new database on the cluster for PostgreSQL.
  beforeEach(async () => {
    fresh = await freshDb(backend, 'writer');
    store = await openStore({ db: fresh.db });
  });
  afterEach(async () => {
    await store?.close();
    await fresh?.cleanup();
  });

  describe('batched writer', () => {
    it('stores every Trade field exactly and ignores the same (signature, ix_path) twice, across batches and within one', async () => {
      const w = store.createWriter({ batchSize: 100 });
      const trades: ClassifiedTrade[] = [
        { ...makeTrade({ signature: 's1', baseAmount: (1n << 64n) - 1n, fee: 123n, feeMint: 'fm', router: 'jupiter-v6', platform: 'photon' }), isBot: true, botReasons: ['rate:12 tx/60s'] },
        { ...makeTrade({ signature: 's1', ixPath: '2.3', quoteMint: USDC_MINT, quoteAmount: 5_000_000n, quoteDecimals: 6, isDca: true }), isBot: false, botReasons: [] },
        { ...makeTrade({ signature: 's2', slot: null, blockTime: null, txIndex: null, pool: null, solAmount: 9_000_000_000_000_000n, quoteAmount: 9_000_000_000_000_000n }), isBot: false, botReasons: [] },
      ];
      await w.write({ trades });
      await w.write({ trades: [trades[0], trades[2]] });
      await w.close();
      expect(w.counters()).toMatchObject({ written: 3, duplicate: 2, rejected: 0, queued: 0 });
      expect(await stored(store)).toEqual(trades);

      const w2 = store.createWriter({ batchSize: 100 });
      const t = makeTrade({ signature: 's3' });
      await w2.write({ trades: [t, t, t] });
      await w2.close();
      expect(w2.counters()).toMatchObject({ written: 1, duplicate: 2 });
    });

    it('rejects bad rows without losing the rest of the batch', async () => {
      const rejected: string[] = [];
      const w = store.createWriter({ onReject: (_w, _i, why) => rejected.push(why) });
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
      expect((await stored(store)).map((t) => t.signature)).toEqual(['ok1', 'ok2']);
    });

    it('flushes a partial batch on its timer, and a full batch at once', async () => {
      const w = store.createWriter({ batchSize: 50, flushIntervalMs: 20 });
      await w.write({ trades: [makeTrade()] });
      expect(w.counters().queued).toBe(1);
      await settle(() => w.counters().written > 0);
      expect(w.counters()).toMatchObject({ queued: 0, written: 1, batches: 1 });

      // A write that crosses batchSize is flushed before write() resolves, in batchSize chunks.
      await w.write({ trades: synthTrades({ trades: 120, seed: 3 }) });
      expect(w.counters()).toMatchObject({ queued: 0, written: 121, batches: 4 });
      await w.close();
      await expect(w.write({ trades: [makeTrade()] })).rejects.toThrow(/closed/);
    });

    it('close() flushes whatever is queued', async () => {
      const w = store.createWriter({ batchSize: 10_000, flushIntervalMs: 60_000 });
      await w.write({ trades: synthTrades({ trades: 500, seed: 4 }) });
      expect(w.counters().written).toBe(0);
      await w.close();
      await store.close();
      const reader = await openStore({ db: fresh.db, readonly: true });
      expect(await sql(reader, 'SELECT count(*) AS n FROM trades')).toEqual([{ n: 500 }]);
      await reader.close();
    });

    it('keeps first/last seen per token whatever order trades arrive in', async () => {
      const w = store.createWriter({ batchSize: 1 });
      await w.write({ trades: [makeTrade({ signature: 'b', slot: 20, blockTime: 200, baseMint: 'M' })] });
      await w.write({ trades: [makeTrade({ signature: 'a', slot: 10, blockTime: 100, baseMint: 'M' })] });
      await w.write({ trades: [makeTrade({ signature: 'c', slot: null, blockTime: null, baseMint: 'M' })] });
      await w.write({ trades: [makeTrade({ signature: 'd', slot: 15, blockTime: 150, baseMint: 'M' })] });
      await w.close();
      expect(await sql(store, 'SELECT mint, decimals, first_seen_slot, first_seen_time, last_seen_slot, last_seen_time FROM tokens')).toEqual([
        { mint: 'M', decimals: 6, first_seen_slot: 10, first_seen_time: 100, last_seen_slot: 20, last_seen_time: 200 },
      ]);
    });

    it('coalesces metrics per (mint, window) and never overwrites newer with older', async () => {
      const w = store.createWriter({ batchSize: 1000 });
      await w.write({ metrics: [metricsRow('M', 100, 1), metricsRow('M', 101, 2), metricsRow('N', 100, 3)] });
      await w.flush();
      expect(w.counters().metricsWritten).toBe(2);
      await w.write({ metrics: [metricsRow('M', 99, 7)] });
      await w.flush();
      expect(await sql(store, `SELECT mint, as_of, net_flow FROM token_metrics WHERE "window" = '5m' ORDER BY mint`)).toEqual([
        { mint: 'M', as_of: 101, net_flow: 2 },
        { mint: 'N', as_of: 100, net_flow: 3 },
      ]);
      await w.close();
    });

    it('stores signals once, with their inputs as JSON', async () => {
      const w = store.createWriter();
      const s = { mint: 'M', type: 'BREAKOUT' as const, strength: 0.5, window: '5m' as const, blockTime: 10, slot: 20, signature: 'x', inputs: { net5mSol: 3.5 } };
      await w.write({ signals: [s, s] });
      await w.write({ signals: [s] });
      await w.close();
      expect(w.counters()).toMatchObject({ signalsWritten: 1, signalsDuplicate: 2 });
      expect(await sql(store, 'SELECT inputs_json FROM signals')).toEqual([{ inputs_json: '{"net5mSol":3.5}' }]);
    });

    it('a read-only store reads while the writer writes, and cannot write itself', async () => {
      const reader = await openStore({ db: fresh.db, readonly: true });
      const w = store.createWriter({ batchSize: 100 });
      const count = async () => (await sql(reader, 'SELECT count(*) AS n FROM trades'))[0].n;
      await w.write({ trades: synthTrades({ trades: 100, seed: 8 }) });
      const n1 = await count();
      await w.write({ trades: synthTrades({ trades: 100, seed: 9 }) });
      expect([n1, await count()]).toEqual([100, 200]);
      expect(() => reader.createWriter()).toThrow(/read-only/);
      await w.close();
      await reader.close();
    });
  });
});

// What one backend has and the other has not.

describe('batched writer, SQLite only', () => {
  let fresh: FreshDb;
  beforeAll(async () => {
    fresh = await freshDb('sqlite', 'writer-lite');
  });
  afterAll(() => fresh?.cleanup());

  it('a failed batch stays queued and is not counted twice (another connection holds the write lock)', async () => {
    const store = await openStore({ db: fresh.db, busyTimeoutMs: 0 });
    const w = store.createWriter({ batchSize: 1000, flushIntervalMs: 0 });
    const other = openDatabase({ path: fresh.db });
    other.sqlite.exec('BEGIN IMMEDIATE');
    await w.write({ trades: [makeTrade({ signature: 'q1' })] });
    await expect(w.flush()).rejects.toThrow(/locked|busy/i);
    expect(w.counters()).toMatchObject({ written: 0, queued: 1 });
    other.sqlite.exec('ROLLBACK');
    await w.flush();
    expect(w.counters()).toMatchObject({ written: 1, queued: 0 });
    await w.close();
    await other.close();
    await store.close();
  });
});

describe('batched writer, PostgreSQL only', () => {
  let fresh: FreshDb;
  beforeAll(async () => {
    fresh = await freshDb('postgres', 'writer_pg');
  });
  afterAll(() => fresh?.cleanup());

  it('a row only the server refuses is rejected alone (SMALLINT base_decimals)', async () => {
    const store = await openStore({ db: fresh.db });
    const rejected: string[] = [];
    const w = store.createWriter({ onReject: (_w, _i, why) => rejected.push(why) });
    await w.write({ trades: [makeTrade({ signature: 'ok1' }), makeTrade({ signature: 'bad4', baseDecimals: 70_000 }), makeTrade({ signature: 'ok2' })] });
    await w.close();
    expect(w.counters()).toMatchObject({ written: 2, rejected: 1, duplicate: 0 });
    expect(rejected[0]).toMatch(/out of range/);
    expect((await stored(store)).map((t) => t.signature)).toEqual(['ok1', 'ok2']);
    await store.close();
  });

  it('a failed batch stays queued and is not counted twice (another session holds the table past lock_timeout)', async () => {
    const u = new URL(fresh.db);
    u.searchParams.set('options', '-c lock_timeout=200ms');
    const store = await openStore({ db: u.toString() });
    const other = new pg.Client({ connectionString: fresh.db });
    await other.connect();
    await other.query('BEGIN');
    await other.query('LOCK TABLE trade_rows IN ACCESS EXCLUSIVE MODE');
    const w = store.createWriter({ batchSize: 1000, flushIntervalMs: 0 });
    await w.write({ trades: [makeTrade({ signature: 'q1' })] });
    await expect(w.flush()).rejects.toThrow(/lock timeout/);
    expect(w.counters()).toMatchObject({ written: 0, queued: 1 });
    await other.query('ROLLBACK');
    await w.flush();
    expect(w.counters()).toMatchObject({ written: 1, queued: 0 });
    await w.close();
    await other.end();
    await store.close();
  });
});
