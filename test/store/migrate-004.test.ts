/**
 * Schema 4 keys trade_rows on (sig_key, ix_path). A schema-3 file must come out with the same
 * trades, every row keyed, signatures that share a key resolved (the older row keeps it, the
 * other is stored unkeyed and the key listed), and a writer must then find every old trade as
 * a duplicate, the unkeyed one included.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { migrationsUpTo } from './sql-dir.js';
import { afterAll, describe, expect, it } from 'vitest';
import { createWriter, DEFAULT_SQL_DIR, openDatabase, sigKey, TRADE_COLUMNS, tradeParams } from '../../src/store/sqlite/index.js';
import { decodedCorpusTrades, twinSignature as twin } from '../decode/support.js';
import { tempDir } from './tmp.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());


/** trade_rows' columns in schema 3: TRADE_INSERT_SQL's without the trailing sig_key. */
const V3_COLUMNS = ['signature', 'ix_path', 'slot', 'block_time', 'tx_index', 'venue', 'program_id', 'pool_id', 'trader_id', 'side',
  'base_mint_id', 'base_amount', 'base_decimals', 'quote_mint_id', 'quote_amount', 'quote_decimals', 'sol_amount',
  'router', 'platform', 'is_dca', 'is_limit_order', 'fee', 'fee_mint_id', 'tx_fee', 'priority_fee', 'jito_tip',
  'signer_id', 'is_bot', 'bot_reasons', 'inserted_at'];

describe('migration 004 (signature key)', () => {
  it('keys every stored trade, resolves shared keys, and the writer still finds each one', async () => {
    const real = decodedCorpusTrades();
    // Two made twins of real signatures, stored after the originals: their keys collide.
    const twins = [real[0], real[5]].map((t) => ({ ...t, signature: twin(t.signature) }));
    const trades = [...real, ...twins];

    const v3 = tmp.file('sql-v3');
    mkdirSync(v3);
    for (const f of ['001_init.sql', '002_jobs_failures.sql', '003_interned_addresses.sql']) copyFileSync(`${DEFAULT_SQL_DIR}/${f}`, `${v3}/${f}`);
    const path = tmp.file('v3.db');
    const old = openDatabase({ path, sqlDir: v3 });
    expect(old.schemaVersion).toBe(3);
    const addAddress = old.sqlite.prepare('INSERT INTO addresses (address) VALUES (?) ON CONFLICT DO NOTHING');
    const addressId = old.sqlite.prepare('SELECT id FROM addresses WHERE address = ?').pluck();
    const id = (a: string) => {
      addAddress.run(a);
      return addressId.get(a) as number;
    };
    const insert = old.sqlite.prepare(`INSERT INTO trade_rows (${V3_COLUMNS.join(', ')}) VALUES (${V3_COLUMNS.map(() => '?').join(', ')}) ON CONFLICT DO NOTHING`);
    old.sqlite.transaction(() => trades.forEach((t, i) => insert.run(tradeParams(t, 1_700_000_000_000 + i, id).slice(0, V3_COLUMNS.length))))();
    const cols = `id, ${TRADE_COLUMNS.join(', ')}`;
    const before = old.sqlite.prepare(`SELECT ${cols} FROM trades ORDER BY id`).safeIntegers(true).all();
    expect(before.length).toBe(trades.length);
    await old.close();

    // Up to 004 (later migrations add tables this test does not look at).
    const db = openDatabase({ path, sqlDir: migrationsUpTo(tmp.file('sql-v4'), 4) });
    expect(db.schemaVersion).toBe(4);
    expect(db.sqlite.prepare(`SELECT ${cols} FROM trades ORDER BY id`).safeIntegers(true).all()).toEqual(before);
    const rows = db.sqlite.prepare('SELECT signature, sig_key FROM trade_rows ORDER BY id').all() as { signature: string; sig_key: number | null }[];
    const twinSigs = new Set(twins.map((t) => t.signature));
    for (const r of rows) expect(r.sig_key).toBe(twinSigs.has(r.signature) ? null : sigKey(r.signature));
    expect(db.sqlite.prepare('SELECT sig_key FROM sig_collisions ORDER BY sig_key').pluck().all()).toEqual(twins.map((t) => sigKey(t.signature)).sort((x, y) => x - y));
    const indexes = db.sqlite.prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'trade_rows' AND sql IS NOT NULL ORDER BY name").pluck().all();
    expect(indexes).toEqual(['trades_key', 'trades_mint_time', 'trades_slot', 'trades_time', 'trades_trader_time']);

    // Then on to the latest schema (006 leads the key with the slot), where today's writer runs.
    await db.close();
    const latest = openDatabase({ path });
    expect(latest.sqlite.prepare("SELECT sql FROM sqlite_schema WHERE name = 'trades_key'").pluck().get()).toContain('(slot, sig_key, ix_path)');
    expect(latest.sqlite.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'trades_slot'").pluck().get()).toBe(0);
    const w = createWriter(latest.sqlite);
    await w.write({ trades });
    await w.close();
    expect(w.counters()).toMatchObject({ written: 0, duplicate: trades.length, rejected: 0 });
    expect(latest.sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
    await latest.close();
  });
});
