/**
 * Schema 3 moves addresses into their own table. A database written by schema 2 must come out
 * of the upgrade with the same trades, read through the `trades` view, and carry on: the same
 * trades written again are duplicates, new ones land, and prune and the readers find the ids.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { migrationsUpTo } from './sql-dir.js';
import { afterAll, describe, expect, it } from 'vitest';
import type { Trade } from '../../src/core/trade.js';
import { createWriter, DEFAULT_SQL_DIR, openDatabase, TRADE_COLUMNS } from '../../src/store/sqlite/index.js';
import { decodedCorpusTrades } from '../decode/support.js';
import { tempDir } from './tmp.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());


/** A row of version 1/2's trades table, in its column order. */
function v2Row(t: Trade, i: number): unknown[] {
  return [
    t.signature, t.ixPath, t.slot, t.blockTime, t.txIndex, t.venue, t.programId, t.pool, t.trader, t.side,
    t.baseMint, t.baseAmount.toString(), t.baseDecimals, t.quoteMint, t.quoteAmount.toString(), t.quoteDecimals,
    t.solAmount, t.router, t.platform, t.isDca ? 1 : 0, t.isLimitOrder ? 1 : 0, t.fee === null ? null : t.fee.toString(),
    t.feeMint, t.txFee, t.priorityFee, t.jitoTip, t.signer, i % 7 === 0 ? 1 : 0, i % 7 === 0 ? '["rate:12 tx/60s"]' : '[]', 1_700_000_000_000 + i,
  ];
}

describe('migration 003 (addresses interned)', () => {
  it('keeps every stored trade exactly, then dedupes and appends like any writer', async () => {
    const trades = decodedCorpusTrades();
    expect(trades.length).toBeGreaterThan(100);
    const v2 = tmp.file('sql-v2');
    mkdirSync(v2);
    for (const f of ['001_init.sql', '002_jobs_failures.sql']) copyFileSync(`${DEFAULT_SQL_DIR}/${f}`, `${v2}/${f}`);
    const path = tmp.file('v2.db');
    const old = openDatabase({ path, sqlDir: v2 });
    expect(old.schemaVersion).toBe(2);
    const half = trades.slice(0, Math.floor(trades.length / 2));
    const insert = old.sqlite.prepare(`INSERT INTO trades (${TRADE_COLUMNS.join(', ')}) VALUES (${TRADE_COLUMNS.map(() => '?').join(', ')}) ON CONFLICT DO NOTHING`);
    old.sqlite.transaction(() => half.forEach((t, i) => insert.run(v2Row(t, i))))();
    const cols = `id, ${TRADE_COLUMNS.join(', ')}`;
    const before = old.sqlite.prepare(`SELECT ${cols} FROM trades ORDER BY id`).safeIntegers(true).all();
    await old.close();

    // Upgraded through 003 and 004 (004 keys the rows; migrate-004.test.ts).
    // Up to 004 (later migrations add tables this test does not look at).
    const db = openDatabase({ path, sqlDir: migrationsUpTo(tmp.file('sql-v4'), 4) });
    expect(db.schemaVersion).toBe(4);
    expect(db.sqlite.prepare(`SELECT ${cols} FROM trades ORDER BY id`).safeIntegers(true).all()).toEqual(before);
    const indexes = db.sqlite.prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'trade_rows' AND sql IS NOT NULL ORDER BY name").pluck().all();
    expect(indexes).toEqual(['trades_key', 'trades_mint_time', 'trades_slot', 'trades_time', 'trades_trader_time']);
    // Every address once.
    const distinct = new Set(half.flatMap((t) => [t.trader, t.signer, t.baseMint, t.quoteMint, t.programId, t.pool, t.feeMint]).filter((a) => a !== null));
    expect(db.sqlite.prepare('SELECT count(*) FROM addresses').pluck().get()).toBe(distinct.size);

    // Then on to the latest schema (006 leads the key with the slot), where today's writer runs.
    await db.close();
    const latest = openDatabase({ path });
    expect(latest.sqlite.prepare("SELECT sql FROM sqlite_schema WHERE name = 'trades_key'").pluck().get()).toContain('(slot, sig_key, ix_path)');
    expect(latest.sqlite.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'trades_slot'").pluck().get()).toBe(0);
    const w = createWriter(latest.sqlite);
    await w.write({ trades });
    await w.close();
    const stored = new Set(half.map((t) => `${t.signature}|${t.ixPath}`));
    const fresh = new Set(trades.map((t) => `${t.signature}|${t.ixPath}`).filter((k) => !stored.has(k)));
    expect(w.counters()).toMatchObject({ written: fresh.size, duplicate: trades.length - fresh.size, rejected: 0 });
    // Old rows untouched, new ones read back through the view with their addresses.
    expect(latest.sqlite.prepare(`SELECT ${cols} FROM trades WHERE id <= ? ORDER BY id`).safeIntegers(true).all(before.length)).toEqual(before);
    const last = trades[trades.length - 1];
    const back = latest.sqlite.prepare('SELECT trader, signer, base_mint, quote_mint, program_id, pool, fee_mint FROM trades WHERE signature = ? AND ix_path = ?').get(last.signature, last.ixPath);
    expect(back).toEqual({ trader: last.trader, signer: last.signer, base_mint: last.baseMint, quote_mint: last.quoteMint, program_id: last.programId, pool: last.pool, fee_mint: last.feeMint });
    expect(latest.sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
    await latest.close();
  });
});
