/**
 * `solflow demo`, the README's first command: offline, it fills a database from the bundled real
 * transactions through the pipeline and shows the top flows and one wallet's analysis.
 */
import { quoteMints } from '../../src/core/quote-mints.js';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { solflowAsync } from './run.js';

const dir = mkdtempSync(join(tmpdir(), 'solflow-demo-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function value<T = number>(path: string, sql: string): T {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare(sql).pluck().get() as T;
  } finally {
    db.close();
  }
}

describe('solflow demo', { timeout: 120_000 }, () => {
  it('fills a fresh database in the temp dir, prints top flows and the most active wallet, and says what to type next', async () => {
    const r = await solflowAsync(['demo'], { env: { TMPDIR: dir } });
    expect(r.code, r.stderr).toBe(0);
    const db = join(dir, 'solflow-demo', 'demo.db');
    expect(existsSync(db)).toBe(true);
    const fixtures = readdirSync(join(import.meta.dirname, '..', '..', 'fixtures', 'tx')).length;
    expect(r.stderr).toContain(`read ${fixtures} transactions`);
    const trades = value(db, 'SELECT count(*) FROM trades');
    expect(trades).toBeGreaterThan(100);
    expect(r.stderr).toContain(`${trades} trades, ${trades} new in the database`);

    // The top flows table ranks the token with the largest net SOL inflow first; SOL and the
    // stablecoins are no tokens (USDT used to head this table); the span starts at the first
    // block time, so trades stored without one are outside it.
    const quotes = quoteMints().map((m) => `'${m}'`).join(',');
    const top = value<string>(db, `SELECT base_mint FROM trades WHERE base_mint NOT IN (${quotes}) AND block_time IS NOT NULL GROUP BY base_mint ORDER BY total(CASE side WHEN 'buy' THEN sol_amount ELSE -sol_amount END) DESC LIMIT 1`);
    expect(quoteMints()).not.toContain(top);
    const firstRow = r.stdout.split('\n').find((l) => /^\s*1\s/.test(l));
    expect(firstRow).toContain(`${top.slice(0, 4)}…${top.slice(-4)}`);

    // The analysed wallet is the one with the most transactions, and its summary matches the store.
    const wallet = /One wallet: (\w+)/.exec(r.stdout)?.[1];
    expect(wallet).toBeDefined();
    const most = value(db, 'SELECT max(n) FROM (SELECT count(DISTINCT signature) AS n FROM trades GROUP BY trader)');
    expect(value(db, `SELECT count(DISTINCT signature) FROM trades WHERE trader = '${wallet}'`)).toBe(most);
    const n = value(db, `SELECT count(*) FROM trades WHERE trader = '${wallet}'`);
    expect(r.stdout).toMatch(new RegExp(`trades stored\\s+${n} legs? in `));
    expect(r.stdout).toContain('Behaviour');
    expect(r.stdout).toMatch(/Next:\n\s+solflow query top-flows --db \S+demo\.db/);
    // The story reads in order on stdout alone (demo > file keeps it): each heading, then its table.
    const story = ['1. Filling', '2. Top flows', '3. One wallet', 'Behaviour', 'Next:'].map((h) => r.stdout.indexOf(h));
    expect(story.every((at) => at >= 0)).toBe(true);
    expect([...story].sort((a, b) => a - b)).toEqual(story);
  });

  it('--db fills a named file; running it again stores nothing twice', async () => {
    const db = join(dir, 'named.db');
    const first = await solflowAsync(['demo', '--db', db]);
    expect(first.code, first.stderr).toBe(0);
    const trades = value(db, 'SELECT count(*) FROM trades');
    const again = await solflowAsync(['demo', '--db', db]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain(`${trades} trades, 0 new in the database`);
    expect(value(db, 'SELECT count(*) FROM trades')).toBe(trades);
    expect(again.stdout).toBe(first.stdout);
  });
});
