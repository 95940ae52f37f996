/**
 * `solflow query` end to end: the built CLI over databases filled by the real pipeline from the
 * recorded mainnet transactions (see db.ts), every figure checked against hand-written SQL over
 * the SQLite file. Each answer is asked of both backends (forEachBackend): the SQLite file and
 * its PostgreSQL twin, filled by the same commands, must give what the same SQL says.
 */
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quoteMints } from '../../src/core/quote-mints.js';
import type { Backend } from '../../src/core/store/types.js';
import { forEachBackend } from '../support/backends.js';
import { buildTestDbs, cli, expectOneLine, expectUsageError, jsonLines, lamports, parseCsv, sqliteAll, sqliteOne, type TestDbs } from './db.js';

let dbs: TestDbs;

beforeAll(async () => {
  dbs = await buildTestDbs('solflow-query-', { postgres: true });
}, 240_000);

afterAll(() => dbs?.cleanup());

/** The --db value of the corpus or chain database on a backend. */
const dbOn = (backend: Backend, which: 'corpus' | 'chain') => (backend === 'sqlite' ? dbs[which] : dbs.pg![which]);

/** Quote assets (SOL, stablecoins) are no tokens: rankings leave them out unless --include-quotes. */
const QUOTES = quoteMints();
const NOT_QUOTE = (col: string) => `${col} NOT IN (${QUOTES.map((m) => `'${m}'`).join(',')})`;

const iso = (t: number) => new Date(t * 1000).toISOString().replace('.000Z', 'Z');

forEachBackend((backend) => {
  const on = (which: 'corpus' | 'chain') => dbOn(backend, which);

  describe('query top-flows', { timeout: 60_000 }, () => {
    it('ranks tokens that traded in the window by net flow, figures equal to token_metrics', async () => {
      for (const window of ['1m', '5m', '1h', '4h']) {
        const rows = await jsonLines(['query', 'top-flows', '--db', on('chain'), '--window', window, '--limit', '1000']);
        const want = sqliteAll(
          dbs.chain,
          `SELECT * FROM token_metrics WHERE window = ? AND buy_count + sell_count > 0 AND ${NOT_QUOTE('mint')} ORDER BY net_flow DESC, mint`,
          window,
        );
        expect(want.length).toBeGreaterThan(5);
        expect(rows.map((r) => r.mint)).toEqual(want.map((w) => w.mint));
        rows.forEach((r, i) => {
          const w = want[i];
          expect(r.rank).toBe(i + 1);
          expect(lamports(r.net_sol)).toBe(w.net_flow);
          expect(lamports(r.buy_sol)).toBe(w.buy_volume);
          expect(lamports(r.sell_sol)).toBe(w.sell_volume);
          expect([r.buys, r.sells, r.wallets, r.bot_wallets, r.dca_wallets]).toEqual([w.buy_count, w.sell_count, w.unique_wallets, w.bot_wallets, w.dca_wallets]);
          expect([r.bot_share, r.dca_share]).toEqual([w.bot_share, w.dca_share]);
          expect(r.as_of).toBe(iso(w.as_of));
        });
      }
    });

    it('shows the longer horizons and the latest signal beside each token', async () => {
      const rows = await jsonLines(['query', 'top-flows', '--db', on('chain'), '--window', '1m', '--limit', '1000']);
      for (const r of rows) {
        for (const [key, window] of [['net_15m_sol', '15m'], ['net_1h_sol', '1h'], ['net_4h_sol', '4h']]) {
          const w = sqliteOne(dbs.chain, 'SELECT net_flow FROM token_metrics WHERE mint = ? AND window = ?', r.mint, window);
          expect(lamports(r[key])).toBe(w?.net_flow ?? null);
        }
      }
      const sig = sqliteOne(dbs.chain, 'SELECT mint, type, strength FROM signals ORDER BY block_time DESC LIMIT 1');
      expect(sig, 'the chain database holds a signal').toBeDefined();
      const all = await jsonLines(['query', 'top-flows', '--db', on('chain'), '--window', '4h', '--limit', '1000']);
      const row = all.find((r) => r.mint === sig.mint);
      expect(row).toMatchObject({ signal: sig.type, signal_strength: sig.strength });
    });

    it('orders by outflow, volume, trades and wallets, and honours --limit', async () => {
      const check = async (order: string, sql: string) => {
        const rows = await jsonLines(['query', 'top-flows', '--db', on('chain'), '--order', order, '--limit', '7']);
        const want = sqliteAll(dbs.chain, `SELECT mint FROM token_metrics WHERE window = '5m' AND buy_count + sell_count > 0 AND ${NOT_QUOTE('mint')} ORDER BY ${sql}, mint LIMIT 7`);
        expect(rows.map((r) => r.mint), order).toEqual(want.map((w) => w.mint));
      };
      await check('outflow', 'net_flow ASC');
      await check('volume', 'buy_volume + sell_volume DESC');
      await check('trades', 'buy_count + sell_count DESC');
      await check('wallets', 'unique_wallets DESC');
    });

    it('says when metrics lag behind the newest trade, and marks those rows stale', async () => {
      const fresh = await cli(['query', 'top-flows', '--db', on('chain')]);
      expect(fresh.code).toBe(0);
      expect(fresh.stderr).not.toMatch(/warning/);
      expect(fresh.stderr).toMatch(/metrics as of 2025-06-01T\d\d:\d\d:\d\dZ \(chain clock\)/);

      // A pipeline that stopped before its last metrics write: the table lags the trades by 10 min.
      // Made by editing a copy of the file, so this half runs on SQLite only.
      if (backend !== 'sqlite') return;
      const lagging = dbs.copy('chain', 'lagging');
      const w = new Database(lagging);
      w.prepare('UPDATE token_metrics SET as_of = as_of - 600').run();
      w.close();
      const r = await cli(['query', 'top-flows', '--db', lagging, '--json']);
      expect(r.code).toBe(0);
      expect(r.stderr).toMatch(/warning: metrics are 600s behind the newest trade/);
      const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.every((x) => x.stale === true)).toBe(true);
    });

    it('--since/--until ranks any span from the stored trades, figures equal to sums over the trades table', async () => {
      const { lo, hi } = sqliteOne(dbs.chain, 'SELECT min(block_time) AS lo, max(block_time) AS hi FROM trades');
      const mid = Math.floor((lo + hi) / 2);
      for (const [since, until] of [[lo, hi], [lo, mid], [mid, hi]]) {
        const rows = await jsonLines(['query', 'top-flows', '--db', on('chain'), '--since', String(since), '--until', String(until), '--limit', '1000']);
        const want = sqliteAll(
          dbs.chain,
          `SELECT base_mint AS mint,
                  total(CASE WHEN side = 'buy' THEN sol_amount END) AS buy, total(CASE WHEN side = 'sell' THEN sol_amount END) AS sell,
                  sum(side = 'buy') AS buys, sum(side = 'sell') AS sells, count(DISTINCT trader) AS wallets,
                  count(DISTINCT CASE WHEN is_bot = 1 THEN trader END) AS bots, total(CASE WHEN is_bot = 1 THEN sol_amount END) AS bot_sol
             FROM trades WHERE block_time BETWEEN ? AND ? AND base_mint NOT IN (SELECT mint FROM blocklist) AND ${NOT_QUOTE('base_mint')}
            GROUP BY base_mint`,
          since,
          until,
        );
        expect(want.length).toBeGreaterThan(3);
        expect(rows.map((r) => r.mint).sort()).toEqual(want.map((w) => w.mint).sort());
        const nets = rows.map((r) => lamports(r.net_sol)!);
        expect(nets).toEqual([...nets].sort((a, b) => b - a));
        for (const r of rows) {
          const w = want.find((x) => x.mint === r.mint);
          expect(lamports(r.buy_sol)).toBe(w.buy);
          expect(lamports(r.sell_sol)).toBe(w.sell);
          expect(lamports(r.net_sol)).toBe(w.buy - w.sell);
          expect([r.buys, r.sells, r.wallets, r.bot_wallets]).toEqual([w.buys, w.sells, w.wallets, w.bots]);
          expect(r.bot_share).toBeCloseTo(w.buy + w.sell > 0 ? w.bot_sol / (w.buy + w.sell) : 0, 12);
        }
      }
      const table = await cli(['query', 'top-flows', '--db', on('chain'), '--since', String(lo)]);
      expect(table.code).toBe(0);
      expect(table.stderr).toMatch(/summed from stored trades/);
      expectUsageError(await cli(['query', 'top-flows', '--db', on('chain'), '--since', String(hi), '--until', String(lo)]), /is after --until/);
    });

    it('leaves SOL and the stablecoins out of the token ranking unless --include-quotes', async () => {
      const quoted = sqliteAll(dbs.chain, `SELECT DISTINCT mint FROM token_metrics WHERE window = '4h' AND buy_count + sell_count > 0 AND NOT ${NOT_QUOTE('mint')}`);
      expect(quoted.length, 'the chain database has flows of quote assets (SOL ↔ USDC swaps)').toBeGreaterThan(0);
      const byDefault = await jsonLines(['query', 'top-flows', '--db', on('chain'), '--window', '4h', '--limit', '1000']);
      expect(byDefault.filter((r) => QUOTES.includes(r.mint))).toEqual([]);
      const all = await jsonLines(['query', 'top-flows', '--db', on('chain'), '--window', '4h', '--limit', '1000', '--include-quotes']);
      const want = sqliteAll(dbs.chain, `SELECT mint FROM token_metrics WHERE window = '4h' AND buy_count + sell_count > 0 ORDER BY net_flow DESC, mint`);
      expect(all.map((r) => r.mint)).toEqual(want.map((w) => w.mint));
      const { lo, hi } = sqliteOne(dbs.chain, 'SELECT min(block_time) AS lo, max(block_time) AS hi FROM trades');
      const span = (extra: string[]) => jsonLines(['query', 'top-flows', '--db', on('chain'), '--since', String(lo), '--until', String(hi), '--limit', '1000', ...extra]);
      expect((await span([])).filter((r) => QUOTES.includes(r.mint))).toEqual([]);
      expect((await span(['--include-quotes'])).filter((r) => QUOTES.includes(r.mint)).length).toBeGreaterThan(0);
      const table = await cli(['query', 'top-flows', '--db', on('chain'), '--window', '4h']);
      expect(table.stderr).toMatch(/SOL and stablecoins left out \(--include-quotes\)/);
    });

    it('one "net 4h" column for --window 4h (the window is its own horizon)', async () => {
      for (const window of ['15m', '1h', '4h']) {
        const table = await cli(['query', 'top-flows', '--db', on('chain'), '--window', window, '--limit', '3']);
        expect(table.code).toBe(0);
        const header = table.stdout.split('\n').find((l) => l.includes('token'))!;
        expect(header.split(`net ${window}`).length - 1, header).toBe(1);
        for (const other of ['15m', '1h', '4h'].filter((w) => w !== window)) expect(header).toContain(`net ${other}`);
      }
      // JSON keeps its shape: every horizon, whatever the window.
      const [row] = await jsonLines(['query', 'top-flows', '--db', on('chain'), '--window', '4h', '--limit', '1']);
      expect(Object.keys(row)).toEqual(expect.arrayContaining(['net_sol', 'net_15m_sol', 'net_1h_sol', 'net_4h_sol']));
    });

    it('prints a table for people and the same rows as CSV for programs', async () => {
      const table = await cli(['query', 'top-flows', '--db', on('chain'), '--limit', '3']);
      expect(table.code).toBe(0);
      expect(table.stdout).toMatch(/^#\s+token/m);
      expect(table.stdout).toContain('net 5m');
      const csv = parseCsv((await cli(['query', 'top-flows', '--db', on('chain'), '--limit', '3', '--format', 'csv'])).stdout);
      const json = await jsonLines(['query', 'top-flows', '--db', on('chain'), '--limit', '3']);
      expect(csv[0]).toEqual(Object.keys(json[0]));
      expect(csv.slice(1).map((r) => r[1])).toEqual(json.map((j) => j.mint));
      expect(csv.slice(1).map((r) => Number(r[3]))).toEqual(json.map((j) => j.net_sol));
    });
  });

  describe('query token', { timeout: 60_000 }, () => {
    it("shows every window's metrics, top buyers and sellers over the last 4h of chain time, recent trades", async () => {
      const mint = sqliteOne(dbs.chain, "SELECT mint FROM token_metrics WHERE window = '4h' ORDER BY buy_count + sell_count DESC, mint LIMIT 1").mint;
      const [t] = await jsonLines(['query', 'token', mint, '--db', on('chain'), '--limit', '5']);
      expect(t.mint).toBe(mint);
      const windows = sqliteAll(dbs.chain, 'SELECT * FROM token_metrics WHERE mint = ?', mint);
      expect(t.windows.map((w: any) => w.window)).toEqual(['1m', '5m', '15m', '1h', '2h', '4h']);
      for (const w of t.windows) {
        const want = windows.find((x) => x.window === w.window)!;
        expect([lamports(w.net_sol), lamports(w.buy_sol), lamports(w.sell_sol), w.buys, w.sells, w.wallets]).toEqual([
          want.net_flow, want.buy_volume, want.sell_volume, want.buy_count, want.sell_count, want.unique_wallets,
        ]);
      }
      const newest = sqliteOne(dbs.chain, 'SELECT max(block_time) AS t FROM trades').t;
      expect(t.traders_since).toBe(iso(newest - 4 * 3600));
      for (const [key, side] of [['top_buyers', 'buy'], ['top_sellers', 'sell']]) {
        const want = sqliteAll(
          dbs.chain,
          `SELECT trader, count(*) AS n, coalesce(sum(sol_amount), 0) AS sol FROM trades
            WHERE base_mint = ? AND side = ? AND block_time >= ? GROUP BY trader ORDER BY sol DESC, n DESC, trader LIMIT 5`,
          mint, side, newest - 4 * 3600,
        );
        expect(t[key].map((x: any) => [x.wallet, x.trades, lamports(x.sol)]), key).toEqual(want.map((w) => [w.trader, w.n, w.sol]));
      }
      const trades = sqliteAll(dbs.chain, 'SELECT signature, ix_path FROM trades WHERE base_mint = ? ORDER BY block_time DESC, slot DESC, tx_index DESC, id DESC LIMIT 5', mint);
      expect(t.trades.map((x: any) => `${x.signature}/${x.ixPath}`)).toEqual(trades.map((x) => `${x.signature}/${x.ix_path}`));
    });

    it('counts top buyers over --since/--until when given', async () => {
      const mint = sqliteOne(dbs.chain, "SELECT base_mint AS m FROM trades WHERE side = 'buy' GROUP BY base_mint ORDER BY count(DISTINCT trader) DESC, base_mint LIMIT 1").m;
      const [since, until] = ['2025-06-01T00:00:30Z', '2025-06-01T00:01:30Z'];
      const rows = await jsonLines(['query', 'token', mint, '--db', on('chain'), '--only', 'buyers', '--since', since, '--until', until]);
      const want = sqliteAll(
        dbs.chain,
        `SELECT trader, coalesce(sum(sol_amount), 0) AS sol FROM trades WHERE base_mint = ? AND side = 'buy' AND block_time BETWEEN ? AND ?
          GROUP BY trader ORDER BY sol DESC, count(*) DESC, trader LIMIT 10`,
        mint, Date.parse(since) / 1000, Date.parse(until) / 1000,
      );
      expect(rows.map((r) => [r.wallet, lamports(r.sol)])).toEqual(want.map((w) => [w.trader, w.sol]));
      // --until alone: the default span is the 4 hours before it.
      const [u] = await jsonLines(['query', 'token', mint, '--db', on('chain'), '--until', until]);
      expect([u.traders_since, u.traders_until]).toEqual([iso(Date.parse(until) / 1000 - 4 * 3600), until]);
    });

    it('prints sections as a table, one section as CSV, and refuses CSV of all sections', async () => {
      const mint = sqliteOne(dbs.chain, 'SELECT mint FROM signals LIMIT 1').mint;
      const table = await cli(['query', 'token', mint, '--db', on('chain')]);
      expect(table.code, table.stderr).toBe(0);
      for (const title of ['Flows by window', 'Top buyers by SOL', 'Top sellers by SOL', 'Recent trades', 'Recent signals']) expect(table.stdout).toContain(title);
      expect(table.stdout).toMatch(/BREAKOUT|REACCUMULATION|FOCUSED_BUYERS|PERSISTENCE|FLOW_REVERSAL/);
      const csv = parseCsv((await cli(['query', 'token', mint, '--db', on('chain'), '--only', 'signals', '--format', 'csv'])).stdout);
      expect(csv[0]).toEqual(['time', 'mint', 'type', 'strength', 'window', 'inputs', 'signature']);
      const stored = sqliteOne(dbs.chain, 'SELECT inputs_json, signature FROM signals WHERE mint = ? ORDER BY block_time DESC LIMIT 1', mint);
      // The inputs JSON holds commas and quotes: it must come back intact through CSV quoting.
      expect(JSON.parse(csv[1][5])).toEqual(JSON.parse(stored.inputs_json));
      expect(csv[1][6]).toBe(stored.signature);
      expectUsageError(await cli(['query', 'token', mint, '--db', on('chain'), '--format', 'csv']), /csv holds one table: add --only/);
    });

    it('validates the mint and says when the database knows nothing about it', async () => {
      expectUsageError(await cli(['query', 'token', 'not-a-mint', '--db', on('chain')]), /mint 'not-a-mint' is not a Solana address/);
      const r = await cli(['query', 'token', 'So11111111111111111111111111111111111111112', '--db', on('chain')]);
      expect(r.code).toBe(1);
      expectOneLine(r.stderr, /no trades, metrics or signals for mint So111/);
    });
  });

  describe('query trades', { timeout: 60_000 }, () => {
    it('a leg between two quote assets reads as the conversion it is, never "sell EPjF…" for SOL sold for USDC', async () => {
      const c = dbs.corpus;
      const conv = sqliteOne(c, `SELECT signature, side, base_mint, quote_mint FROM trades WHERE NOT ${NOT_QUOTE('base_mint')} AND NOT ${NOT_QUOTE('quote_mint')} ORDER BY slot LIMIT 1`);
      expect(conv, 'the corpus holds a SOL ↔ stablecoin leg').toBeDefined();
      const r = await cli(['query', 'trades', '--db', on('corpus'), '--mint', conv.base_mint, '--limit', '100000']);
      expect(r.code).toBe(0);
      const label = (m: string) => (m === 'So11111111111111111111111111111111111111112' ? 'SOL' : m === 'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v' ? 'USDC' : m === 'Es9vMFrzaCERmJfrF4H2FYD4KCoNkY11McCe8BenwNYB' ? 'USDT' : null);
      const [gave, got] = conv.side === 'buy' ? [conv.quote_mint, conv.base_mint] : [conv.base_mint, conv.quote_mint];
      if (label(gave) && label(got)) expect(r.stdout).toContain(`${label(gave)}→${label(got)}`);
      // The compact table: a header, its rule, then one line per trade (the summary line after).
      const lines = r.stdout.split('\n');
      const rows = lines.slice(lines.findIndex((l) => l.startsWith('─')) + 1).filter((l) => l.trim() !== '' && !/^\d+ trades?\b/.test(l));
      const quoteRows = sqliteAll(c, `SELECT count(*) AS n FROM trades WHERE base_mint = ? AND NOT ${NOT_QUOTE('quote_mint')}`, conv.base_mint)[0].n;
      expect(rows.length).toBeGreaterThanOrEqual(quoteRows);
      expect(quoteRows).toBeGreaterThan(0);
      expect(rows.filter((l) => /\s(buy|sell)\s/.test(l)).length).toBe(rows.length - quoteRows);
      // JSON keeps the stored side.
      const json = await jsonLines(['query', 'trades', '--db', on('corpus'), '--mint', conv.base_mint, '--limit', '100000']);
      expect(json.every((t) => t.side === 'buy' || t.side === 'sell')).toBe(true);
    });

    const signatures = (rows: any[]) => rows.map((r) => `${r.signature}/${r.ixPath}`).sort();
    const want = (db: string, where: string, ...params: unknown[]) =>
      sqliteAll(db, `SELECT signature || '/' || ix_path AS k FROM trades WHERE ${where}`, ...params).map((r) => r.k).sort();
    // Called with the SQLite file the hand-written WHERE reads; asks the backend's twin.
    const q = (db: string, ...args: string[]) => jsonLines(['query', 'trades', '--db', on(db === dbs.corpus ? 'corpus' : 'chain'), '--limit', '100000', ...args]);

    it('every filter equals the hand-written WHERE', async () => {
      const c = dbs.chain;
      const wallet = sqliteOne(c, 'SELECT trader FROM trades GROUP BY trader ORDER BY count(*) DESC, trader LIMIT 1').trader;
      const mint = sqliteOne(c, 'SELECT base_mint FROM trades GROUP BY base_mint ORDER BY count(*) DESC, base_mint LIMIT 1').base_mint;
      expect(signatures(await q(c))).toEqual(want(c, '1'));
      expect(signatures(await q(c, '--wallet', wallet))).toEqual(want(c, 'trader = ?', wallet));
      expect(signatures(await q(c, '--mint', mint, '--side', 'sell'))).toEqual(want(c, "base_mint = ? AND side = 'sell'", mint));
      expect(signatures(await q(c, '--venue', 'pumpfun'))).toEqual(want(c, "venue = 'pumpfun'"));
      expect(signatures(await q(c, '--bot'))).toEqual(want(c, 'is_bot = 1'));
      expect(signatures(await q(c, '--no-bot', '--side', 'buy'))).toEqual(want(c, "is_bot = 0 AND side = 'buy'"));
      const [since, until] = ['2025-06-01T00:01:00Z', '2025-06-01T00:02:00Z'];
      expect(signatures(await q(c, '--since', since, '--until', until))).toEqual(want(c, 'block_time BETWEEN ? AND ?', Date.parse(since) / 1000, Date.parse(until) / 1000));
      expect(signatures(await q(dbs.corpus, '--dca'))).toEqual(want(dbs.corpus, 'is_dca = 1'));
      expect(want(dbs.corpus, 'is_dca = 1')).toHaveLength(1);
      expect(signatures(await q(dbs.corpus, '--no-dca'))).toEqual(want(dbs.corpus, 'is_dca = 0'));
      // A transaction with several trades (a routed swap), found through the key index.
      const multi = sqliteOne(dbs.corpus, 'SELECT signature FROM trades GROUP BY signature ORDER BY count(*) DESC, signature LIMIT 1').signature;
      expect(want(dbs.corpus, 'signature = ?', multi).length).toBeGreaterThan(1);
      expect(signatures(await q(dbs.corpus, '--signature', multi))).toEqual(want(dbs.corpus, 'signature = ?', multi));
      expect(await q(dbs.corpus, '--signature', '1'.repeat(88))).toEqual([]);
      // Relative times count back from the wall clock: this recorded history is long past.
      expect(await q(c, '--since', '-1h')).toEqual([]);
      expect((await q(c, '--since=-3650d')).length).toBe(want(c, 'block_time IS NOT NULL').length);
    });

    it('returns newest first, with the trade record fields and exact amounts', async () => {
      const rows = await q(dbs.corpus, '--limit', '20');
      expect(rows).toHaveLength(20);
      const times = rows.map((r) => r.blockTime ?? -1);
      expect(times).toEqual([...times].sort((a, b) => b - a));
      const top = sqliteOne(dbs.corpus, 'SELECT * FROM trades ORDER BY block_time DESC, slot DESC, tx_index DESC, id DESC LIMIT 1');
      expect(rows[0]).toMatchObject({
        signature: top.signature,
        ixPath: top.ix_path,
        baseMint: top.base_mint,
        baseAmount: top.base_amount,
        quoteAmount: top.quote_amount,
        trader: top.trader,
        isBot: top.is_bot === 1,
        botReasons: JSON.parse(top.bot_reasons),
      });
      // The largest raw amount stored prints digit for digit.
      const big = sqliteOne(dbs.corpus, 'SELECT signature, ix_path, base_amount FROM trades ORDER BY length(base_amount) DESC, base_amount DESC LIMIT 1');
      const all = await q(dbs.corpus);
      expect(all.find((r) => r.signature === big.signature && r.ixPath === big.ix_path).baseAmount).toBe(big.base_amount);
    });

    // Options are checked before any database is opened: once is enough.
    it.runIf(backend === 'sqlite')('refuses bad filters with one line and exit 2', async () => {
      expectUsageError(await cli(['query', 'trades', '--db', on('chain'), '--side', 'long']), /bad --side 'long'/);
      expectUsageError(await cli(['query', 'trades', '--db', on('chain'), '--since', 'yesterday']), /bad --since 'yesterday'/);
      expectUsageError(await cli(['query', 'trades', '--db', on('chain'), '--since', '2025-06-01T10:00']), /no time zone/);
      expectUsageError(await cli(['query', 'trades', '--db', on('chain'), '--since', '2025-06-02', '--until', '2025-06-01']), /is after --until/);
      expectUsageError(await cli(['query', 'trades', '--db', on('chain'), '--format', 'xml']), /bad --format 'xml'/);
      expectUsageError(await cli(['query', 'trades', '--db', on('chain'), '--limit', '0']), /bad --limit '0'/);
      expectUsageError(await cli(['query', 'trades', '--db', on('chain'), '--wallet', 'abc']), /--wallet 'abc' is not a Solana address/);
      expectUsageError(await cli(['query', 'trades', '--db', on('chain'), '--signature', 'abc']), /bad --signature 'abc'/);
      expectUsageError(await cli(['query', 'top-flows', '--db', on('chain'), '--window', '3m']), /bad --window '3m'/);
      expectUsageError(await cli(['query', 'top-flows', '--db', on('chain'), '--order', 'price']), /bad --order 'price'/);
      expectUsageError(await cli(['query', 'signals', '--db', on('chain'), '--type', 'MOON']), /bad --type 'MOON'/);
      expectUsageError(await cli(['query', 'signals', '--db', on('chain'), '--min-strength', '2']), /bad --min-strength '2'/);
    });
  });

  describe('query bots, dca, signals, jobs, stats', { timeout: 60_000 }, () => {
    it('bots: flagged wallets with counts, SOL volume and reason kinds, as the trades table has them', async () => {
      const rows = await jsonLines(['query', 'bots', '--db', on('chain'), '--limit', '1000']);
      const want = sqliteAll(
        dbs.chain,
        `SELECT trader, count(*) AS trades, sum(is_bot) AS bots, coalesce(sum(CASE WHEN is_bot = 1 THEN sol_amount END), 0) AS sol
           FROM trades GROUP BY trader HAVING sum(is_bot) > 0 ORDER BY bots DESC, sol DESC, trader`,
      );
      expect(want.length).toBeGreaterThan(3);
      expect(rows.map((r) => [r.wallet, r.trades, r.bot_trades, lamports(r.bot_sol)])).toEqual(want.map((w) => [w.trader, w.trades, w.bots, w.sol]));
      for (const r of rows.slice(0, 5)) {
        const reasons = sqliteAll(dbs.chain, 'SELECT bot_reasons FROM trades WHERE trader = ? AND is_bot = 1', r.wallet);
        const kinds: Record<string, number> = {};
        for (const { bot_reasons } of reasons) for (const k of new Set((JSON.parse(bot_reasons) as string[]).map((x) => x.split(':')[0]))) kinds[k] = (kinds[k] ?? 0) + 1;
        expect(r.reasons).toEqual(kinds);
      }
    });

    it('dca: fills, wallets and SOL volume per token', async () => {
      const rows = await jsonLines(['query', 'dca', '--db', on('corpus')]);
      const want = sqliteAll(dbs.corpus, `SELECT base_mint, count(*) AS n, count(DISTINCT trader) AS w, sum(sol_amount) AS sol FROM trades WHERE is_dca = 1 GROUP BY base_mint`);
      expect(want).toHaveLength(1);
      expect(rows.map((r) => [r.mint, r.fills, r.wallets, lamports(r.sol)])).toEqual(want.map((w) => [w.base_mint, w.n, w.w, w.sol]));
      const total = sqliteOne(dbs.corpus, 'SELECT sum(sol_amount) AS s FROM trades WHERE base_mint = ?', want[0].base_mint).s;
      expect(rows[0].share).toBeCloseTo(want[0].sol / total, 12);
      expect(await jsonLines(['query', 'dca', '--db', on('chain')])).toEqual([]);
    });

    it('signals: newest first with type, strength and inputs; filters by type and strength', async () => {
      const rows = await jsonLines(['query', 'signals', '--db', on('chain')]);
      const want = sqliteAll(dbs.chain, 'SELECT * FROM signals ORDER BY block_time DESC, id DESC');
      expect(want.length).toBeGreaterThan(0);
      expect(rows.map((r) => [r.mint, r.type, r.strength, r.window, r.signature])).toEqual(want.map((w) => [w.mint, w.type, w.strength, w.window, w.signature]));
      expect(rows[0].inputs).toEqual(JSON.parse(want[0].inputs_json));
      expect(await jsonLines(['query', 'signals', '--db', on('chain'), '--type', want[0].type.toLowerCase()])).toHaveLength(want.filter((w) => w.type === want[0].type).length);
      const other = ['BREAKOUT', 'FLOW_REVERSAL'].find((t) => !want.some((w) => w.type === t))!;
      expect(await jsonLines(['query', 'signals', '--db', on('chain'), '--type', other])).toEqual([]);
      expect((await jsonLines(['query', 'signals', '--db', on('chain'), '--min-strength', String(want[0].strength + 0.001)])).length).toBe(want.filter((w) => w.strength > want[0].strength).length);
    });

    it('jobs: the backfill job rows', async () => {
      const rows = await jsonLines(['query', 'jobs', '--db', on('chain')]);
      const want = sqliteAll(dbs.chain, 'SELECT * FROM jobs ORDER BY id DESC');
      expect(rows.map((r) => [r.id, r.kind, r.status, r.counts.trades])).toEqual(want.map((w) => [w.id, w.kind, w.status, JSON.parse(w.counts_json).trades]));
      expect(rows[0]).toMatchObject({ status: 'done', gaps: [], params: JSON.parse(want[0].params_json) });
      expect(await jsonLines(['query', 'jobs', '--db', on('corpus')])).toEqual([]);
    });

    it('stats: row counts, file sizes, time and slots covered, schema version', async () => {
      const [s] = await jsonLines(['query', 'stats', '--db', on('corpus')]);
      const c = dbs.corpus;
      for (const table of ['trades', 'token_metrics', 'signals', 'tokens', 'blocklist', 'jobs', 'job_failures']) {
        expect(s[`rows_${table}`], table).toBe(sqliteOne(c, `SELECT count(*) AS n FROM ${table}`).n);
      }
      expect(s.rows_trades).toBe(137);
      const ext = sqliteOne(c, 'SELECT min(block_time) AS t0, max(block_time) AS t1, min(slot) AS s0, max(slot) AS s1, count(DISTINCT base_mint) AS m FROM trades');
      expect([s.first_trade, s.last_trade, s.first_slot, s.last_slot, s.mints]).toEqual([iso(ext.t0), iso(ext.t1), ext.s0, ext.s1, ext.m]);
      expect(s.trades_without_time).toBe(sqliteOne(c, 'SELECT count(*) AS n FROM trades WHERE block_time IS NULL').n);
      expect(s.schema_version).toBe(sqliteOne(c, 'PRAGMA user_version').user_version);
      // SQLite: the file's size; PostgreSQL: pg_database_size, which no file here shows.
      if (backend === 'sqlite') expect(s.db_bytes).toBe(statSync(c).size);
      else expect(s.db_bytes).toBeGreaterThan(0);
      expect(s.total_bytes).toBeGreaterThanOrEqual(s.db_bytes);
      const csv = parseCsv((await cli(['query', 'stats', '--db', on('corpus'), '--format', 'csv'])).stdout);
      expect(csv).toHaveLength(2);
      expect(Object.fromEntries(csv[0].map((k, i) => [k, csv[1][i]]))).toMatchObject({ rows_trades: '137', first_slot: String(ext.s0) });
    });
  });
});

describe('query: the database itself', { timeout: 60_000 }, () => {
  it('a missing or unreadable file is one line and exit 1, never created', async () => {
    const missing = join(dbs.dir, 'missing.db');
    for (const cmd of [['top-flows'], ['trades'], ['stats'], ['sql', 'SELECT 1']]) {
      const r = await cli(['query', ...cmd, '--db', missing]);
      expect(r.code, cmd.join(' ')).toBe(1);
      expectOneLine(r.stderr, /no database at .*missing\.db/);
    }
    expect(() => statSync(missing)).toThrow();
    const garbage = join(dbs.dir, 'garbage.db');
    writeFileSync(garbage, 'this is not a database '.repeat(200));
    const r = await cli(['query', 'stats', '--db', garbage]);
    expect(r.code).toBe(1);
    expectOneLine(r.stderr, /cannot read .*garbage\.db: file is not a database/);
  });

  it('reads SOLFLOW_DB when --db is not given', async () => {
    const r = await cli(['query', 'stats', '--json'], { SOLFLOW_DB: dbs.corpus });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).path).toBe(dbs.corpus);
  });

  it('every subcommand has --help with an example', async () => {
    for (const sub of ['top-flows', 'token', 'trades', 'bots', 'dca', 'signals', 'jobs', 'stats', 'sql']) {
      const r = await cli(['query', sub, '--help']);
      expect(r.code, `${sub}: ${r.stderr}`).toBe(0);
      expect(r.stdout, sub).toMatch(/Example:\n {2}\$ solflow query /);
      expect(r.stdout, sub).toContain('--db <path>');
    }
  });
});
