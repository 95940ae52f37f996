/**
 * `solflow blocklist` and what it does to `query`: a blocked mint disappears from every named
 * question unless --include-blocked, its rows stay stored, and unblocking brings it back.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestDbs, cli, expectOneLine, expectUsageError, jsonLines, parseCsv, sqliteAll, sqliteOne, type TestDbs } from './db.js';

let dbs: TestDbs;

beforeAll(async () => {
  dbs = await buildTestDbs('solflow-blocklist-');
}, 120_000);

afterAll(() => dbs?.cleanup());

describe('solflow blocklist', { timeout: 90_000 }, () => {
  it('adds (idempotent, a new reason replaces the old), lists, removes (absent: exit 0)', async () => {
    const db = dbs.copy('corpus', 'manage');
    const mint = 'Fishy64jCaa3ooqXw7BHtKvYD8BTkSyAPh6RNE3xZpcN';
    let r = await cli(['blocklist', 'add', mint, '--reason', 'rug, "team" gone', '--db', db]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^blocked Fishy/);
    r = await cli(['blocklist', 'add', mint, '--db', db]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/was already blocked/);
    expect(sqliteAll(db, 'SELECT mint, reason FROM blocklist')).toEqual([{ mint, reason: 'rug, "team" gone' }]);

    // CSV quoting: the reason's comma and quotes survive the round trip.
    const csv = parseCsv((await cli(['blocklist', 'list', '--db', db, '--format', 'csv'])).stdout);
    expect(csv[0]).toEqual(['mint', 'reason', 'added']);
    expect(csv[1].slice(0, 2)).toEqual([mint, 'rug, "team" gone']);
    const [row] = await jsonLines(['blocklist', 'list', '--db', db]);
    expect(row).toMatchObject({ mint, reason: 'rug, "team" gone' });
    expect(Date.parse(row.added)).toBe(sqliteOne(db, 'SELECT added_at FROM blocklist').added_at);

    r = await cli(['blocklist', 'add', mint, '--reason', 'honeypot', '--db', db]);
    expect(r.stderr).toMatch(/already blocked; reason now: honeypot/);
    expect(sqliteAll(db, 'SELECT reason FROM blocklist')).toEqual([{ reason: 'honeypot' }]);

    r = await cli(['blocklist', 'remove', mint, '--db', db]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^unblocked Fishy/);
    r = await cli(['blocklist', 'remove', mint, '--db', db]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/was not blocked/);
    expect(sqliteAll(db, 'SELECT * FROM blocklist')).toEqual([]);
    expect(await jsonLines(['blocklist', 'list', '--db', db])).toEqual([]);
  });

  it('refuses a bad mint, and will not remove from or list a database that does not exist', async () => {
    expectUsageError(await cli(['blocklist', 'add', 'pump', '--db', dbs.corpus]), /mint 'pump' is not a Solana address/);
    expectUsageError(await cli(['blocklist', 'remove', 'O0O0', '--db', dbs.corpus]), /not a Solana address/);
    expectUsageError(await cli(['blocklist', 'list', '--db', dbs.corpus, '--format', 'yaml']), /bad --format 'yaml'/);
    const missing = join(dbs.dir, 'nothing-here.db');
    for (const args of [['remove', 'So11111111111111111111111111111111111111112'], ['list']]) {
      const r = await cli(['blocklist', ...args, '--db', missing]);
      expect(r.code).toBe(1);
      expectOneLine(r.stderr, /no database at/);
    }
    expect(existsSync(missing)).toBe(false);
    // add is a writer: like backfill, it creates the database it is pointed at.
    const r = await cli(['blocklist', 'add', 'So11111111111111111111111111111111111111112', '--db', missing]);
    expect(r.code, r.stderr).toBe(0);
    expect(sqliteAll(missing, 'SELECT mint FROM blocklist')).toEqual([{ mint: 'So11111111111111111111111111111111111111112' }]);
  });

  it('hides a blocked mint from top-flows, token, trades, bots and signals unless --include-blocked', async () => {
    const db = dbs.copy('chain', 'hide');
    // The token that fired a signal: it is in top-flows, has trades, bots and a signal.
    const mint = sqliteOne(db, 'SELECT mint FROM signals ORDER BY block_time DESC LIMIT 1').mint;
    const trades = sqliteOne(db, 'SELECT count(*) AS n FROM trades WHERE base_mint = ?', mint).n;
    const allTrades = sqliteOne(db, 'SELECT count(*) AS n FROM trades').n;
    expect(trades).toBeGreaterThan(0);
    const top = async (...extra: string[]) => (await jsonLines(['query', 'top-flows', '--db', db, '--window', '4h', '--limit', '1000', ...extra])).map((r) => r.mint);
    const tradeCount = async (...extra: string[]) => (await jsonLines(['query', 'trades', '--db', db, '--limit', '100000', ...extra])).length;
    expect(await top()).toContain(mint);

    expect((await cli(['blocklist', 'add', mint, '--reason', 'test', '--db', db])).code).toBe(0);

    expect(await top()).not.toContain(mint);
    const withBlocked = await jsonLines(['query', 'top-flows', '--db', db, '--window', '4h', '--limit', '1000', '--include-blocked']);
    expect(withBlocked.find((r) => r.mint === mint)).toMatchObject({ blocked: true });
    expect(await tradeCount('--mint', mint)).toBe(0);
    expect(await tradeCount('--mint', mint, '--include-blocked')).toBe(trades);
    expect(await tradeCount()).toBe(allTrades - trades);
    expect(await jsonLines(['query', 'signals', '--db', db, '--mint', mint])).toEqual([]);
    expect((await jsonLines(['query', 'signals', '--db', db, '--mint', mint, '--include-blocked'])).length).toBeGreaterThan(0);
    const bots = async (...extra: string[]) => (await jsonLines(['query', 'bots', '--db', db, '--limit', '1000', ...extra])).map((b) => [b.wallet, b.trades, b.bot_trades]);
    const botsSql = (where: string, ...params: unknown[]) =>
      sqliteAll(
        db,
        `SELECT trader, count(*) AS n, sum(is_bot) AS b FROM trades ${where} GROUP BY trader HAVING b > 0
          ORDER BY b DESC, coalesce(sum(CASE WHEN is_bot = 1 THEN sol_amount END), 0) DESC, trader`,
        ...params,
      ).map((w) => [w.trader, w.n, w.b]);
    expect(await bots()).toEqual(botsSql('WHERE base_mint != ?', mint));
    expect(await bots('--include-blocked')).toEqual(botsSql(''));
    expect(await bots()).not.toEqual(await bots('--include-blocked'));

    const r = await cli(['query', 'token', mint, '--db', db]);
    expect(r.code).toBe(1);
    expectOneLine(r.stderr, /is on the blocklist \(test\); add --include-blocked/);
    const [t] = await jsonLines(['query', 'token', mint, '--db', db, '--include-blocked']);
    expect(t).toMatchObject({ mint, blocked: true, trades_stored: trades });

    // The rows were never touched: unblocking brings everything back.
    expect(sqliteOne(db, 'SELECT count(*) AS n FROM trades').n).toBe(allTrades);
    expect((await cli(['blocklist', 'remove', mint, '--db', db])).code).toBe(0);
    expect(await top()).toContain(mint);
    expect(await tradeCount()).toBe(allTrades);
  });

  it('has --help with an example on every subcommand', async () => {
    for (const sub of ['add', 'remove', 'list']) {
      const r = await cli(['blocklist', sub, '--help']);
      expect(r.code, `${sub}: ${r.stderr}`).toBe(0);
      expect(r.stdout, sub).toMatch(/Example:\n {2}\$ solflow blocklist /);
    }
  });
});
