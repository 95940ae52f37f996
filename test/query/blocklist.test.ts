/**
 * `solflow blocklist` and what it does to `query`: a blocked mint disappears from every named
 * question unless --include-blocked, its rows stay stored, and unblocking brings it back.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { solflow } from '../cli/run.js';
import { buildTestDbs, expectOneLine, expectUsageError, jsonLines, parseCsv, sqliteAll, sqliteOne, type TestDbs } from './db.js';

let dbs: TestDbs;

beforeAll(async () => {
  dbs = await buildTestDbs('solflow-blocklist-');
}, 120_000);

afterAll(() => dbs?.cleanup());

describe('solflow blocklist', { timeout: 90_000 }, () => {
  it('adds (idempotent, a new reason replaces the old), lists, removes (absent: exit 0)', () => {
    const db = dbs.copy('corpus', 'manage');
    const mint = 'Fishy64jCaa3ooqXw7BHtKvYD8BTkSyAPh6RNE3xZpcN';
    let r = solflow(['blocklist', 'add', mint, '--reason', 'rug, "team" gone', '--db', db]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^blocked Fishy/);
    r = solflow(['blocklist', 'add', mint, '--db', db]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/was already blocked/);
    expect(sqliteAll(db, 'SELECT mint, reason FROM blocklist')).toEqual([{ mint, reason: 'rug, "team" gone' }]);

    // CSV quoting: the reason's comma and quotes survive the round trip.
    const csv = parseCsv(solflow(['blocklist', 'list', '--db', db, '--format', 'csv']).stdout);
    expect(csv[0]).toEqual(['mint', 'reason', 'added']);
    expect(csv[1].slice(0, 2)).toEqual([mint, 'rug, "team" gone']);
    const [row] = jsonLines(['blocklist', 'list', '--db', db]);
    expect(row).toMatchObject({ mint, reason: 'rug, "team" gone' });
    expect(Date.parse(row.added)).toBe(sqliteOne(db, 'SELECT added_at FROM blocklist').added_at);

    r = solflow(['blocklist', 'add', mint, '--reason', 'honeypot', '--db', db]);
    expect(r.stderr).toMatch(/already blocked; reason now: honeypot/);
    expect(sqliteAll(db, 'SELECT reason FROM blocklist')).toEqual([{ reason: 'honeypot' }]);

    r = solflow(['blocklist', 'remove', mint, '--db', db]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^unblocked Fishy/);
    r = solflow(['blocklist', 'remove', mint, '--db', db]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/was not blocked/);
    expect(sqliteAll(db, 'SELECT * FROM blocklist')).toEqual([]);
    expect(jsonLines(['blocklist', 'list', '--db', db])).toEqual([]);
  });

  it('refuses a bad mint, and will not remove from or list a database that does not exist', () => {
    expectUsageError(solflow(['blocklist', 'add', 'pump', '--db', dbs.corpus]), /mint 'pump' is not a Solana address/);
    expectUsageError(solflow(['blocklist', 'remove', 'O0O0', '--db', dbs.corpus]), /not a Solana address/);
    expectUsageError(solflow(['blocklist', 'list', '--db', dbs.corpus, '--format', 'yaml']), /bad --format 'yaml'/);
    const missing = join(dbs.dir, 'nothing-here.db');
    for (const args of [['remove', 'So11111111111111111111111111111111111111112'], ['list']]) {
      const r = solflow(['blocklist', ...args, '--db', missing]);
      expect(r.code).toBe(1);
      expectOneLine(r.stderr, /no database at/);
    }
    expect(existsSync(missing)).toBe(false);
    // add is a writer: like backfill, it creates the database it is pointed at.
    const r = solflow(['blocklist', 'add', 'So11111111111111111111111111111111111111112', '--db', missing]);
    expect(r.code, r.stderr).toBe(0);
    expect(sqliteAll(missing, 'SELECT mint FROM blocklist')).toEqual([{ mint: 'So11111111111111111111111111111111111111112' }]);
  });

  it('hides a blocked mint from top-flows, token, trades, bots and signals unless --include-blocked', () => {
    const db = dbs.copy('chain', 'hide');
    // The token that fired a signal: it is in top-flows, has trades, bots and a signal.
    const mint = sqliteOne(db, 'SELECT mint FROM signals ORDER BY block_time DESC LIMIT 1').mint;
    const trades = sqliteOne(db, 'SELECT count(*) AS n FROM trades WHERE base_mint = ?', mint).n;
    const allTrades = sqliteOne(db, 'SELECT count(*) AS n FROM trades').n;
    expect(trades).toBeGreaterThan(0);
    const top = (...extra: string[]) => jsonLines(['query', 'top-flows', '--db', db, '--window', '4h', '--limit', '1000', ...extra]).map((r) => r.mint);
    const tradeCount = (...extra: string[]) => jsonLines(['query', 'trades', '--db', db, '--limit', '100000', ...extra]).length;
    expect(top()).toContain(mint);

    expect(solflow(['blocklist', 'add', mint, '--reason', 'test', '--db', db]).code).toBe(0);

    expect(top()).not.toContain(mint);
    const withBlocked = jsonLines(['query', 'top-flows', '--db', db, '--window', '4h', '--limit', '1000', '--include-blocked']);
    expect(withBlocked.find((r) => r.mint === mint)).toMatchObject({ blocked: true });
    expect(tradeCount('--mint', mint)).toBe(0);
    expect(tradeCount('--mint', mint, '--include-blocked')).toBe(trades);
    expect(tradeCount()).toBe(allTrades - trades);
    expect(jsonLines(['query', 'signals', '--db', db, '--mint', mint])).toEqual([]);
    expect(jsonLines(['query', 'signals', '--db', db, '--mint', mint, '--include-blocked']).length).toBeGreaterThan(0);
    const bots = (...extra: string[]) => jsonLines(['query', 'bots', '--db', db, '--limit', '1000', ...extra]).map((b) => [b.wallet, b.trades, b.bot_trades]);
    const botsSql = (where: string) =>
      sqliteAll(db, `SELECT trader, count(*) AS n, sum(is_bot) AS b FROM trades WHERE ${where} GROUP BY trader HAVING b > 0 ORDER BY b DESC, coalesce(sum(CASE WHEN is_bot = 1 THEN sol_amount END), 0) DESC, trader`, mint).map((w) => [w.trader, w.n, w.b]);
    expect(bots()).toEqual(botsSql('base_mint != ?'));
    expect(bots('--include-blocked')).toEqual(botsSql('? IS NOT NULL'));
    expect(bots()).not.toEqual(bots('--include-blocked'));

    const r = solflow(['query', 'token', mint, '--db', db]);
    expect(r.code).toBe(1);
    expectOneLine(r.stderr, /is on the blocklist \(test\); add --include-blocked/);
    const [t] = jsonLines(['query', 'token', mint, '--db', db, '--include-blocked']);
    expect(t).toMatchObject({ mint, blocked: true, trades_stored: trades });

    // The rows were never touched: unblocking brings everything back.
    expect(sqliteOne(db, 'SELECT count(*) AS n FROM trades').n).toBe(allTrades);
    expect(solflow(['blocklist', 'remove', mint, '--db', db]).code).toBe(0);
    expect(top()).toContain(mint);
    expect(tradeCount()).toBe(allTrades);
  });

  it('has --help with an example on every subcommand', () => {
    for (const sub of ['add', 'remove', 'list']) {
      const r = solflow(['blocklist', sub, '--help']);
      expect(r.code, sub).toBe(0);
      expect(r.stdout, sub).toMatch(/Example:\n {2}\$ solflow blocklist /);
    }
  });
});
