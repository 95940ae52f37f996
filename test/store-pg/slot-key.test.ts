/**
 * The trade key led by the slot on PostgreSQL (sql/postgres/006): a trade is (slot, signature,
 * ix_path); two signatures sharing a sig_key collide only within one slot; a trade without a
 * slot, which the unique index never matches, is still stored once and reached by flag updates.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ClassifiedTrade } from '../../src/core/flow/types.js';
import type { FlagUpdate } from '../../src/core/store/types.js';
import { openPostgres, type PgDb } from '../../src/store/postgres/connect.js';
import { createPgWriter } from '../../src/store/postgres/writer.js';
import { sigKey } from '../../src/store/sig-key.js';
import { decodedCorpusTrades, twinSignature as twin } from '../decode/support.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres/database.js';

let tdb: TestDatabase;
let db: PgDb;
beforeAll(async () => {
  tdb = await createTestDatabase('slotkey');
  db = await openPostgres({ url: tdb.url });
});
afterAll(async () => {
  await db?.close();
  await tdb?.drop();
});
beforeEach(async () => {
  await db.pool.query('TRUNCATE trade_rows, sig_collisions, tokens');
});

const real = decodedCorpusTrades();
const first = real.find((t) => t.blockTime !== null && t.slot !== null)!;
const other = real.find((t) => t.signature !== first.signature && t.blockTime !== null)!;
const a: ClassifiedTrade = { ...first, isBot: false, botReasons: [] };
/** A different signature with a's sig_key and ix_path, in `slot`. */
const twinIn = (slot: number | null): ClassifiedTrade => ({ ...other, isBot: false, botReasons: [], signature: twin(a.signature), ixPath: a.ixPath, slot });
const flag = (t: ClassifiedTrade, slot: number | null = t.slot): FlagUpdate => ({ signature: t.signature, ixPath: t.ixPath, slot, isBot: true, botReasons: ['test'] });

async function write(...batches: { trades?: ClassifiedTrade[]; flagUpdates?: FlagUpdate[] }[]) {
  const w = createPgWriter(db.pool);
  for (const b of batches) {
    await w.write(b);
    await w.flush();
  }
  await w.close();
  return w.counters();
}
const stored = async () =>
  (await db.pool.query<{ signature: string; slot: number | null; sig_key: number | null; is_bot: number }>(
    'SELECT signature, slot, sig_key, is_bot FROM trade_rows ORDER BY id',
  )).rows;
const collisions = async () => (await db.pool.query('SELECT sig_key FROM sig_collisions')).rows.map((r) => Number(r.sig_key));

describe('PostgreSQL trade key (slot, sig_key, ix_path)', () => {
  it('stores a trade once, however often it is written', async () => {
    expect(await write({ trades: [a] }, { trades: [a] }, { trades: [a, a] })).toMatchObject({ written: 1, duplicate: 3, rejected: 0 });
    expect(await stored()).toEqual([{ signature: a.signature, slot: a.slot, sig_key: sigKey(a.signature), is_bot: 0 }]);
  });

  it('resolves a shared key within one slot: both stored, the later unkeyed, flags reach both', async () => {
    const b = twinIn(a.slot);
    expect(sigKey(b.signature)).toBe(sigKey(a.signature));
    expect(await write({ trades: [a] }, { trades: [b, a] }, { trades: [a, b] })).toMatchObject({ written: 2, duplicate: 3, rejected: 0 });
    expect(await collisions()).toEqual([sigKey(a.signature)]);
    expect(await write({ flagUpdates: [flag(a), flag(b)] })).toMatchObject({ flagsUpdated: 2 });
    expect(await stored()).toEqual([
      { signature: a.signature, slot: a.slot, sig_key: sigKey(a.signature), is_bot: 1 },
      { signature: b.signature, slot: a.slot, sig_key: null, is_bot: 1 },
    ]);
  });

  it('keeps a shared key in different slots: both stored keyed, no collision listed', async () => {
    const b = twinIn((a.slot as number) + 1);
    // a comes back beside b: a's own row, not b's, is what it conflicts with.
    expect(await write({ trades: [a] }, { trades: [a, b] }, { trades: [b, a] })).toMatchObject({ written: 2, duplicate: 3, rejected: 0 });
    expect(await collisions()).toEqual([]);
    // An update names its trade's slot: the same signature in another slot is another trade.
    expect(await write({ flagUpdates: [flag(a, (a.slot as number) + 2), flag(b)] })).toMatchObject({ flagsUpdated: 1 });
    expect(await stored()).toEqual([
      { signature: a.signature, slot: a.slot, sig_key: sigKey(a.signature), is_bot: 0 },
      { signature: b.signature, slot: b.slot, sig_key: sigKey(a.signature), is_bot: 1 },
    ]);
  });

  it('stores a trade without a slot once, keyed, and reaches it with a flag update', async () => {
    const n: ClassifiedTrade = { ...a, slot: null };
    expect(await write({ trades: [n] }, { trades: [n] })).toMatchObject({ written: 1, duplicate: 1, rejected: 0 });
    await db.pool.query('TRUNCATE trade_rows');
    expect(await write({ trades: [n, n] }, { trades: [n] })).toMatchObject({ written: 1, duplicate: 2, rejected: 0 });
    expect(await write({ flagUpdates: [flag(n, null)] })).toMatchObject({ flagsUpdated: 1 });
    expect(await stored()).toEqual([{ signature: a.signature, slot: null, sig_key: sigKey(a.signature), is_bot: 1 }]);
  });

  it('indexes trade_rows on the new key, without trades_slot', async () => {
    const r = await db.pool.query<{ indexname: string; indexdef: string }>(
      `SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'trade_rows' ORDER BY indexname`,
    );
    const defs = new Map(r.rows.map((x) => [x.indexname, x.indexdef.replace(/^.* USING /, '')]));
    expect([...defs.keys()]).toEqual(['trade_rows_pkey', 'trades_key', 'trades_mint_time', 'trades_time', 'trades_trader_time', 'trades_unkeyed']);
    expect(defs.get('trades_key')).toBe('btree (slot, sig_key, ix_path)');
    expect(defs.get('trades_unkeyed')).toBe('btree (signature, ix_path) WHERE ((sig_key IS NULL) OR (slot IS NULL))');
  });
});
