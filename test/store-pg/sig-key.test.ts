/**
 * Signatures that share a key on PostgreSQL: the assertions of test/store/sig-key.test.ts —
 * both trades stored once, both found again as duplicates, the flag update reaching the unkeyed
 * one, and exactness after a prune frees the key — with a real mainnet signature and its twin.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClassifiedTrade } from '../../src/core/flow/types.js';
import { openPostgres, type PgDb } from '../../src/store/postgres/connect.js';
import { pgPrune } from '../../src/store/postgres/prune.js';
import { createPgWriter } from '../../src/store/postgres/writer.js';
import { rowToTrade, type TradeRow } from '../../src/store/trade-row.js';
import { sigKey } from '../../src/store/sig-key.js';
import { decodedCorpusTrades, twinSignature as twin } from '../decode/support.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres/database.js';

let tdb: TestDatabase;
let db: PgDb;
beforeAll(async () => {
  tdb = await createTestDatabase('sigkey');
  db = await openPostgres({ url: tdb.url });
});
afterAll(async () => {
  await db?.close();
  await tdb?.drop();
});

const classified = (t: ReturnType<typeof decodedCorpusTrades>[number], over: Partial<ClassifiedTrade> = {}): ClassifiedTrade => ({
  ...t, isBot: false, botReasons: [], ...over,
});

describe('PostgreSQL writer with signatures that share a key', () => {
  const real = decodedCorpusTrades();
  const first = real.find((t) => t.blockTime !== null)!;
  const a = real.filter((t) => t.signature === first.signature).map((t) => classified(t));
  const other = real.find((t) => t.signature !== first.signature && t.blockTime !== null)!;
  // In A's slot: keys only collide within one slot (sql/postgres/006).
  const b = [classified({ ...other, signature: twin(first.signature), ixPath: a[0].ixPath, slot: a[0].slot, blockTime: (a[0].blockTime as number) + 3600 })];
  const readAll = async () => (await db.pool.query('SELECT * FROM trades ORDER BY id')).rows.map((r) => rowToTrade(r as TradeRow));
  const keyOf = async (t: ClassifiedTrade) =>
    (await db.pool.query('SELECT sig_key FROM trade_rows WHERE signature = $1 AND ix_path = $2', [t.signature, t.ixPath])).rows[0].sig_key;

  it('stores both, finds both again, updates flags and stays exact after a prune', async () => {
    expect(a.length).toBeGreaterThan(0);
    expect(sigKey(b[0].signature)).toBe(sigKey(a[0].signature));
    let w = createPgWriter(db.pool);
    await w.write({ trades: a });
    await w.flush();
    await w.write({ trades: b });
    await w.flush();
    await w.write({ trades: [...b, ...a] });
    await w.flush();
    expect(w.counters()).toMatchObject({ written: a.length + 1, duplicate: a.length + 1, rejected: 0 });
    expect(await readAll()).toEqual([...a, ...b]);
    expect((await db.pool.query('SELECT sig_key FROM sig_collisions')).rows.map((r) => r.sig_key)).toEqual([sigKey(a[0].signature)]);
    expect(await keyOf(a[0])).toBe(sigKey(a[0].signature));
    expect(await keyOf(b[0])).toBeNull();

    await w.write({ flagUpdates: [{ signature: b[0].signature, ixPath: b[0].ixPath, slot: b[0].slot, isBot: true, botReasons: ['sandwich:back'] }] });
    await w.close();
    expect(w.counters().flagsUpdated).toBe(1);
    expect((await db.pool.query('SELECT signature, is_bot, bot_reasons FROM trade_rows WHERE is_bot = 1')).rows).toEqual([
      { signature: b[0].signature, is_bot: 1, bot_reasons: '["sandwich:back"]' },
    ]);

    // Prune A (older by an hour): the key is free, yet B written again is still a duplicate,
    // and A written again is stored once more, under its key.
    const pruned = await pgPrune(db.pool).deleteRows({ relativeTo: 'newest', reference: null, trades: (a[0].blockTime as number) + 1, signals: null, metrics: null });
    expect(pruned.deleted.trades).toBe(a.length);
    w = createPgWriter(db.pool);
    await w.write({ trades: b });
    await w.flush();
    await w.write({ trades: a });
    await w.flush();
    await w.write({ trades: [...a, ...b] });
    await w.close();
    expect(w.counters()).toMatchObject({ written: a.length, duplicate: a.length + 2, rejected: 0 });
    expect((await readAll()).map((t) => `${t.signature}|${t.ixPath}`).sort()).toEqual([...a, ...b].map((t) => `${t.signature}|${t.ixPath}`).sort());
    expect(await keyOf(a[0])).toBe(sigKey(a[0].signature));
  });

  it('resolves a collision inside one batch the same way', async () => {
    await db.pool.query('TRUNCATE trade_rows, sig_collisions, tokens');
    const w = createPgWriter(db.pool);
    await w.write({ trades: [...a, ...b, ...b, ...a] });
    await w.close();
    expect(w.counters()).toMatchObject({ written: a.length + 1, duplicate: a.length + 1, rejected: 0 });
    expect(await readAll()).toEqual([...a, ...b]);
    expect(await keyOf(b[0])).toBeNull();
  });
});
