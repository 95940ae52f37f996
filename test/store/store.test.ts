/**
 * The Store interface on SQLite, where it adds to what the backend's own tests cover: named
 * cursors written in order behind the writer's queue, locks, and a postgres:// URL going to the
 * other backend.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createPipeline } from '../../src/core/pipeline.js';
import { LockHeldError } from '../../src/core/store/types.js';
import { openStore } from '../../src/store/index.js';
import { synthTrades } from '../flow/gen.js';
import { tempDir } from './tmp.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

describe('Store (SQLite)', () => {
  it('a cursor set through writer.exclusive lands after the trades queued before it', async () => {
    const store = await openStore({ db: tmp.file('cursor.db') });
    const pipeline = await createPipeline({ store, metricsIntervalMs: 0, writer: { batchSize: 1_000_000, flushIntervalMs: 60_000 } });
    const trades = synthTrades({ trades: 2000, seed: 7 });
    await pipeline.ingestTrades(trades);
    // Nothing forced a flush yet: the batch and the timer are far away.
    expect(pipeline.writer.counters().written).toBe(0);
    const released = pipeline.committedSlot();
    expect(released).not.toBeNull();
    const seen = await pipeline.writer.exclusive(async (tx) => {
      await tx.setCursor('ingest:test', released!);
      return pipeline.writer.counters().written;
    });
    // exclusive() committed every trade the engine had released before the cursor went in.
    const upToCursor = trades.filter((t) => (t.slot ?? -1) <= released!).length;
    expect(seen).toBeGreaterThan(0);
    expect(seen).toBe(upToCursor);
    expect(await store.cursors.get('ingest:test')).toBe(released);
    await store.cursors.set('ingest:test', 1200);
    expect(await store.cursors.list()).toEqual([{ name: 'ingest:test', slot: 1200, updatedAt: expect.any(Number) }]);
    expect(await store.cursors.get('ingest:other')).toBeNull();
    await pipeline.close();
    await store.close();
  });

  it('a lock is held until released, and a second taker is refused at once', async () => {
    const store = await openStore({ db: tmp.file('lock.db') });
    const lock = await store.lock('prune');
    await expect(store.lock('prune')).rejects.toBeInstanceOf(LockHeldError);
    await lock.release();
    const again = await store.lock('prune');
    await again.release();
    await store.close();
  });

  it('hands a postgres:// URL to the Postgres backend (test/store-pg); an unreachable server fails without its password', async () => {
    const err = await openStore({ db: 'postgres://user:secret@127.0.0.1:1/solflow' }).catch((e) => e);
    expect(err.message).toBe('cannot use postgres://***:***@127.0.0.1:1/solflow: connect ECONNREFUSED 127.0.0.1:1');
  });
});
