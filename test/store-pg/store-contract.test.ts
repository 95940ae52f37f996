/**
 * The Store interface, one suite, both backends: a SQLite file and a PostgreSQL database opened
 * by openStore from their --db values, held to the same assertions through the interface only —
 * writer idempotency and counters, trades read back in order, reports, jobs and cursors through
 * the writer's exclusive step, blocklist, the named lock, `query sql` refusing writes, prune's
 * dry run matching what it deletes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPipeline } from '../../src/core/pipeline.js';
import { LockHeldError, ReadOnlySqlError, type Store } from '../../src/core/store/types.js';
import { openStore } from '../../src/store/index.js';
import { synthTrades } from '../flow/gen.js';
import { tempDir } from '../store/tmp.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres/database.js';

const tmp = tempDir('solflow-contract-');
let pg: TestDatabase;
beforeAll(async () => {
  pg = await createTestDatabase('contract');
});
afterAll(async () => {
  await pg?.drop();
  tmp.cleanup();
});

const backends: [string, () => string][] = [
  ['sqlite', () => tmp.file('contract.db')],
  ['postgres', () => pg.url],
];


describe.each(backends)('Store on %s', { timeout: 120_000 }, (backend, dbOf) => {
  let store: Store;
  const trades = synthTrades({ trades: 3000, seed: 11, mints: 40, wallets: 300, tradesPerSlot: 6, startTime: 1_750_000_000 });

  beforeAll(async () => {
    store = await openStore({ db: dbOf() });
  });
  afterAll(async () => {
    await store?.close();
  });

  it('names its backend and hides any password in its location', () => {
    expect(store.backend).toBe(backend);
    if (backend === 'postgres') expect(store.location).not.toContain(decodeURIComponent(new URL(pg.url).password));
  });

  it('the pipeline stores every trade once, however often it is given, and reads them back in slot order', async () => {
    const p = await createPipeline({ store, metricsIntervalMs: 0 });
    await p.ingestTrades(trades.slice(0, 2000));
    await p.ingestTrades(trades.slice(1000));
    const summary = await p.close();
    expect(summary.writer.written).toBe(3000);
    expect(summary.writer.rejected).toBe(0);
    const again = await createPipeline({ store, metricsIntervalMs: 0 });
    await again.ingestTrades(trades);
    expect((await again.close()).writer).toMatchObject({ written: 0, duplicate: 3000 });
    let n = 0;
    let last = -1;
    for await (const page of store.trades.readInOrder({ pageSize: 700 })) {
      for (const t of page) {
        expect(t.slot!).toBeGreaterThanOrEqual(last);
        last = t.slot!;
        n++;
      }
    }
    expect(n).toBe(3000);
    expect(await store.trades.extent()).toEqual({ maxSlot: Math.max(...trades.map((t) => t.slot!)), maxTime: Math.max(...trades.map((t) => t.blockTime!)) });
  });

  it('answers the reports', async () => {
    const found = await store.reports.findTrades({ limit: 5000 });
    expect(found).toHaveLength(3000);
    const one = trades[17];
    expect((await store.reports.findTrades({ signature: one.signature, limit: 10 })).map((t) => t.ixPath)).toEqual([one.ixPath]);
    expect((await store.reports.topFlows({ window: '4h', limit: 5 })).length).toBeGreaterThan(0);
    expect((await store.reports.flowsOverSpan({ limit: 100 })).reduce((s, r) => s + r.buyCount + r.sellCount, 0)).toBe(3000);
    const stats = await store.reports.storeStats();
    expect(stats.rows.trades).toBe(3000);
    expect(stats.fileBytes).toBeGreaterThan(0);
    const wallet = (await store.reports.mostActiveWallet())!;
    expect((await store.reports.walletTrades({ wallet })).length).toBe(trades.filter((t) => t.trader === wallet).length);
  });

  it("jobs and cursors through the writer's exclusive step; blocklist; the named lock", async () => {
    const job = await store.jobs.create('backfill', { key: 'k' }, { at: 0 });
    const w = store.createWriter();
    await w.exclusive(async (tx) => {
      await tx.updateJob(job.id, { cursor: { at: 5 }, status: 'done', finished: true });
      await tx.setCursor('ingest:test', 42);
    });
    await w.close();
    expect(await store.jobs.get(job.id)).toMatchObject({ cursor: { at: 5 }, status: 'done' });
    expect(await store.jobs.findUnfinished('backfill', 'k')).toBeNull();
    expect(await store.cursors.get('ingest:test')).toBe(42);
    expect((await store.blocklist.add('X', 'spam', 1)).added).toBe(true);
    expect((await store.blocklist.add('X', null, 2)).added).toBe(false);
    expect(await store.blocklist.mints()).toEqual(new Set(['X']));
    const lock = await store.lock('prune');
    await expect(store.lock('prune')).rejects.toBeInstanceOf(LockHeldError);
    await lock.release();
    await (await store.lock('prune')).release();
  });

  it('query sql reads and refuses writes', async () => {
    const r = await store.querySql('SELECT count(*) AS n FROM trades');
    const rows: unknown[][] = [];
    for await (const row of r.rows) rows.push(row);
    expect(r.columns).toEqual(['n']);
    expect(Number(rows[0][0])).toBe(3000);
    await expect(store.querySql('DELETE FROM trades')).rejects.toBeInstanceOf(ReadOnlySqlError);
  });

  it('prune deletes what its dry run counted', async () => {
    const c = await store.prune.cutoffs({ trades: 60, signals: null, metrics: null }, 'newest', Date.now());
    const dry = await store.prune.countPrunable(c);
    expect(dry.trades).toBeGreaterThan(0);
    const r = await store.prune.deleteRows(c, { batchSize: 500 });
    expect(r.deleted).toEqual(dry);
    expect((await store.reports.storeStats()).rows.trades).toBe(3000 - dry.trades);
  });

  it('tails by commit key: after pages exactly the rows committed past a key, latest gives the newest lowest key first', async () => {
    const before = (await store.trades.latest(0)).maxKey ?? 0;
    const fresh = synthTrades({ trades: 500, seed: 97, mints: 10, wallets: 50, tradesPerSlot: 5, startTime: 1_760_000_000 });
    const p = await createPipeline({ store, metricsIntervalMs: 0 });
    await p.ingestTrades(fresh);
    expect((await p.close()).writer.written).toBe(500);
    let key = before;
    const seen = new Set<string>();
    for (;;) {
      const page = await store.trades.after(key, 120);
      for (const t of page.trades) {
        expect(t.key).toBeGreaterThan(key);
        seen.add(`${t.trade.signature}|${t.trade.ixPath}`);
        key = t.key;
      }
      if (page.trades.length < 120) break;
    }
    expect(seen).toEqual(new Set(fresh.map((t) => `${t.signature}|${t.ixPath}`)));
    expect((await store.trades.after(key, 10)).trades).toEqual([]);
    const newest = await store.trades.latest(10);
    const keys = newest.trades.map((t) => t.key);
    expect(keys).toEqual([...keys].sort((x, y) => x - y));
    expect(keys.at(-1)).toBe(newest.maxKey);
    expect(newest.maxKey).toBe(key);
    expect((await store.trades.latest(0)).trades).toEqual([]);
  });
});
