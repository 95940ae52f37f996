/**
 * Trades are found by (slot, sig_key, ix_path), where sig_key is nine base58 characters of the
 * signature (src/store/sig-key.ts). Two signatures in one slot can share those: the writer must
 * still store each trade exactly once, find either again as a duplicate, update its flags, and
 * stay exact after prune deletes one of them. In different slots they do not meet at all, and a
 * trade with no slot (which a unique index never stops) is still stored once. The pairs here are real mainnet signatures and a twin that
 * differs only past the key's characters, so the collision is a real one, not a stubbed key.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { pruneRows } from '../../src/store/sqlite/prune/index.js';
import { findTrades } from '../../src/store/reports/trades.js';
import { createWriter, openDatabase, rowToTrade, sigKey, type TradeRow } from '../../src/store/sqlite/index.js';
import { createThreadedWriter } from '../../src/store/sqlite/writer-thread.js';
import type { ClassifiedTrade } from '../../src/core/flow/types.js';
import { BASE58_ALPHABET as B58 } from '../../src/core/decode/base58.js';
import { decodedCorpusTrades, realSignatures, twinSignature as twin } from '../decode/support.js';
import { seededRandom } from '../support/rng.js';
import { tempDir } from './tmp.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const classified = (t: ReturnType<typeof decodedCorpusTrades>[number], over: Partial<ClassifiedTrade> = {}): ClassifiedTrade => ({
  ...t, isBot: false, botReasons: [], ...over,
});

const readAll = (db: ReturnType<typeof openDatabase>) =>
  (db.sqlite.prepare('SELECT * FROM trades ORDER BY id').safeIntegers(true).all() as TradeRow[]).map(rowToTrade);

describe('sigKey', () => {
  it('gives every real signature its own safe integer, the same in SQL as in JS', async () => {
    const sigs = realSignatures();
    expect(sigs.length).toBeGreaterThan(100);
    const keys = sigs.map(sigKey);
    expect(new Set(keys).size).toBe(sigs.length);
    for (const k of keys) expect(Number.isSafeInteger(k) && k >= 0 && k < 58 ** 9).toBe(true);
    // A signature's key is its characters 2-10 read in base 58.
    const s = sigs[0];
    expect(sigKey(s)).toBe([...s.slice(1, 10)].reduce((v, c) => v * 58 + B58.indexOf(c), 0));
    expect(sigKey(twin(s))).toBe(sigKey(s));
    // Not base58 (tests' made-up signatures, a stray character): hashed into the same range.
    for (const odd of ['s1', 'sig-0001', `${s.slice(0, 5)}0${s.slice(6)}`, '']) {
      const k = sigKey(odd);
      expect(Number.isSafeInteger(k) && k >= 0 && k < 58 ** 9).toBe(true);
    }
    expect(sigKey('s1')).not.toBe(sigKey('s2'));
    // The hash keeps ~53 bits: among a million random strings (a 0 in the key's place sends each
    // to the hash), a collision would be a 1-in-18,000 event.
    const r = seededRandom(58);
    const hashed = new Set<number>();
    for (let i = 0; i < 1_000_000; i++) {
      let x = 'S0';
      for (let j = 0; j < 30; j++) x += B58[Math.floor(r() * 58)];
      hashed.add(sigKey(x));
    }
    expect(hashed.size).toBe(1_000_000);

    const db = openDatabase({ path: ':memory:' });
    const inSql = db.sqlite.prepare('SELECT solflow_sig_key(?)').pluck();
    for (const x of [s, 's1', twin(s)]) expect(inSql.get(x)).toBe(sigKey(x));
    await db.close();
  });
});

describe('writer with signatures that share a key', () => {
  const real = decodedCorpusTrades();
  // Two transactions' trades, one with a made twin signature: A keeps the key, B collides.
  const first = real.find((t) => t.blockTime !== null)!;
  const a = real.filter((t) => t.signature === first.signature).map((t) => classified(t));
  const other = real.find((t) => t.signature !== first.signature && t.blockTime !== null)!;
  // In A's slot: the key leads with the slot, so only there do the two meet.
  const b = [classified({ ...other, signature: twin(first.signature), ixPath: a[0].ixPath, slot: a[0].slot, blockTime: (a[0].blockTime as number) + 3600 })];

  for (const threaded of [false, true]) {
    it(`stores both, finds both again, updates flags and stays exact after a prune${threaded ? ' (writer thread)' : ''}`, async () => {
      expect(a.length).toBeGreaterThan(0);
      expect(sigKey(b[0].signature)).toBe(sigKey(a[0].signature));
      const path = tmp.file(`collide-${threaded}.db`);
      const db = openDatabase({ path });
      const open = () => (threaded ? createThreadedWriter(db.sqlite, path) : createWriter(db.sqlite));

      let w = open();
      await w.write({ trades: a });
      await w.write({ trades: b });
      await w.write({ trades: [...b, ...a] });
      w.flush();
      expect(w.counters()).toMatchObject({ written: a.length + 1, duplicate: a.length + 1, rejected: 0 });
      expect(readAll(db)).toEqual([...a, ...b]);
      expect(db.sqlite.prepare('SELECT sig_key FROM sig_collisions').pluck().all()).toEqual([sigKey(a[0].signature)]);
      const keyOf = db.sqlite.prepare('SELECT sig_key FROM trade_rows WHERE signature = ? AND ix_path = ?').pluck();
      expect(keyOf.get(a[0].signature, a[0].ixPath)).toBe(sigKey(a[0].signature));
      expect(keyOf.get(b[0].signature, b[0].ixPath)).toBeNull();

      // The flag update for the unkeyed trade finds it, and only it.
      await w.write({ flagUpdates: [{ signature: b[0].signature, ixPath: b[0].ixPath, slot: b[0].slot, isBot: true, botReasons: ['sandwich:back'] }] });
      await w.close();
      expect(w.counters().flagsUpdated).toBe(1);
      const flags = db.sqlite.prepare('SELECT signature, is_bot, bot_reasons FROM trade_rows WHERE is_bot = 1').all();
      expect(flags).toEqual([{ signature: b[0].signature, is_bot: 1, bot_reasons: '["sandwich:back"]' }]);
      // `query trades --signature` finds each, keyed or not, and only it.
      for (const t of [a[0], b[0]]) {
        expect((await findTrades(await db.exactKysely(), { signature: t.signature, limit: 10 })).map((r) => r.signature)).toEqual(
          [...a, ...b].filter((x) => x.signature === t.signature).map((x) => x.signature),
        );
      }

      // Prune A (older by an hour): the key is free, yet B written again is still a duplicate,
      // and A written again is stored once more, under its key.
      const pruned = await pruneRows(db.sqlite, { relativeTo: 'newest', reference: null, trades: (a[0].blockTime as number) + 1, signals: null, metrics: null });
      expect(pruned.deleted.trades).toBe(a.length);
      w = open();
      await w.write({ trades: b });
      await w.write({ trades: a });
      await w.write({ trades: [...a, ...b] });
      await w.close();
      expect(w.counters()).toMatchObject({ written: a.length, duplicate: a.length + 2, rejected: 0 });
      expect(readAll(db).map((t) => `${t.signature}|${t.ixPath}`).sort()).toEqual([...a, ...b].map((t) => `${t.signature}|${t.ixPath}`).sort());
      expect(keyOf.get(a[0].signature, a[0].ixPath)).toBe(sigKey(a[0].signature));
      expect(db.sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
      await db.close();
    });
  }
});

describe('the trade key leads with the slot', () => {
  const real = decodedCorpusTrades().filter((t) => t.slot !== null);
  const a = classified(real[0]);
  const find = async (db: ReturnType<typeof openDatabase>, signature: string) =>
    (await findTrades(await db.exactKysely(), { signature, limit: 10 })).map((r) => `${r.signature}|${r.slot}`);

  it('stores a twin signature in another slot under its own key, with no collision listed', async () => {
    const b = classified({ ...real[1], signature: twin(a.signature), ixPath: a.ixPath, slot: (a.slot as number) + 7 });
    const db = openDatabase({ path: tmp.file('other-slot.db') });
    const w = createWriter(db.sqlite);
    await w.write({ trades: [a, b] });
    await w.write({ trades: [b, a] });
    await w.close();
    expect(w.counters()).toMatchObject({ written: 2, duplicate: 2, rejected: 0 });
    expect(db.sqlite.prepare('SELECT count(*) FROM sig_collisions').pluck().get()).toBe(0);
    expect(db.sqlite.prepare('SELECT sig_key FROM trade_rows ORDER BY id').pluck().all()).toEqual([sigKey(a.signature), sigKey(a.signature)]);
    expect(await find(db, a.signature)).toEqual([`${a.signature}|${a.slot}`]);
    expect(await find(db, b.signature)).toEqual([`${b.signature}|${b.slot}`]);
    await db.close();
  });

  it('stores a trade with no slot once, however often it comes, and updates its flags', async () => {
    const loose = classified({ ...real[2], slot: null });
    const db = openDatabase({ path: tmp.file('no-slot.db') });
    const w = createWriter(db.sqlite);
    await w.write({ trades: [loose, loose] });
    w.flush();
    await w.write({ trades: [loose, a] });
    await w.write({ flagUpdates: [{ signature: loose.signature, ixPath: loose.ixPath, slot: null, isBot: true, botReasons: ['manual'] }] });
    await w.close();
    expect(w.counters()).toMatchObject({ written: 2, duplicate: 2, rejected: 0, flagsUpdated: 1 });
    expect(db.sqlite.prepare('SELECT slot, is_bot FROM trade_rows WHERE signature = ?').all(loose.signature)).toEqual([{ slot: null, is_bot: 1 }]);
    expect(await find(db, loose.signature)).toEqual([`${loose.signature}|null`]);
    await db.close();
  });
});
