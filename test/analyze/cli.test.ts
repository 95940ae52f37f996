/**
 * `solflow analyze` as users run it (the built CLI): the hand-computed history stored through the
 * real pipeline, output formats, filters, bad input as one line with the right exit code, and
 * --fetch through the address backfill against the replay RPC server.
 */
import { writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBackfillCommand } from '../../src/cli/shared/backfill-run.js';
import { createPipeline } from '../../src/core/pipeline.js';
import { WSOL_MINT } from '../../src/core/trade.js';
import { openDatabase, sqliteStore } from '../../src/store/sqlite/index.js';
import { solflow, solflowAsync } from '../cli/run.js';
import { captureIo } from '../support/cli-io.js';
import { FIXTURE_TX_DIR, startReplay, type ReplayServer } from '../support/replay/index.js';
import { tempDir } from '../store/tmp.js';
import { A, B, C, D, F, T0, W, lamports, scenario } from './scenario.js';

const tmp = tempDir('solflow-analyze-cli-');
const dbPath = tmp.file('scenario.db');

beforeAll(async () => {
  const db = openDatabase({ path: dbPath });
  const p = await createPipeline({ store: sqliteStore(db), metricsIntervalMs: 0 });
  await p.ingestTrades(scenario());
  await p.close();
  await db.close();
});
afterAll(() => tmp.cleanup());

const analyze = (...args: string[]) => solflow(['analyze', ...args, '--db', dbPath]);
const json = (...args: string[]) => {
  const r = analyze(...args, '--json');
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
};
const sol = (doc: any) => doc.totals.find((t: any) => t.quoteMint === WSOL_MINT);
const pos = (doc: any, mint: string) => doc.positions.find((p: any) => p.mint === mint);

// Every test spawns the built CLI (about a second each on a loaded machine), several times.
describe('solflow analyze <wallet>', { timeout: 30_000 }, () => {
  it('--json: realized and unrealized by average cost (the default) and FIFO', () => {
    const avg = json(W);
    expect(avg.costBasis).toBe('avg');
    expect(pos(avg, A)).toMatchObject({ realized: String(lamports('3.5')), unrealized: String(lamports('1.5')), openCost: String(lamports('1')), status: 'open' });
    expect(sol(avg)).toMatchObject({ realized: String(lamports('7.9')), unrealized: String(lamports('1.5')), closedPositions: 4, wins: 2, winRate: 0.5, noBuyPositions: 1 });
    const fifo = json(W, '--cost-basis', 'fifo');
    expect(pos(fifo, A)).toMatchObject({ realized: String(lamports('4')), unrealized: String(lamports('1')) });
    expect(sol(fifo)).toMatchObject({ realized: String(lamports('8.4')), unrealized: String(lamports('1')) });
    expect(pos(fifo, A).lots).toHaveLength(2);
  });

  it('--json keeps a stable shape', () => {
    const doc = json(W);
    expect(Object.keys(doc)).toEqual(['wallet', 'costBasis', 'token', 'since', 'until', 'summary', 'totals', 'positions', 'behaviour', 'daily']);
    expect(Object.keys(doc.summary)).toEqual(['trades', 'transactions', 'buys', 'sells', 'solIn', 'solOut', 'tokens', 'venues', 'routers', 'first', 'last', 'activeDays', 'untimedTransactions', 'swaps', 'unpriced', 'unpricedExamples']);
    expect(Object.keys(doc.behaviour)).toEqual([
      'bot', 'platforms', 'dca', 'tradeSize', 'tradesPerHour', 'peakHourTrades', 'peakDayTrades', 'closedRounds', 'fastCloses', 'fastCloseShare', 'sameSlotRoundTrips', 'sameSlotExamples',
    ]);
    expect(Object.keys(pos(doc, A))).toEqual([
      'mint', 'quoteMint', 'baseDecimals', 'quoteDecimals', 'buys', 'sells', 'bought', 'sold', 'held', 'cost', 'proceeds', 'costOfSold', 'realized', 'soldWithoutBuy', 'proceedsWithoutBuy',
      'openCost', 'lastPrice', 'value', 'unrealized', 'realizedRoi', 'roi', 'status', 'flags', 'firstTime', 'lastTime', 'holdSeconds', 'closedRounds', 'fastCloses',
    ]);
    // 17 stored legs; the route SOL → USDC → G is one buy (of G), its USDC hop no trade.
    expect(doc.summary).toMatchObject({ trades: 17, swaps: 16, buys: 8, sells: 8 });
    expect(typeof doc.summary.solIn).toBe('string');
    expect(doc.daily.map((d: any) => d.day)).toEqual(['2023-11-14', '2023-11-16']);
  });

  it('--since / --until: a window starts empty and marks held tokens at the last price up to --until', () => {
    // Up to T0+250: A bought 100 + 100 for 4 SOL, sold 50 for 2.5 (realized 1.5 at average
    // cost); the last A price by then is that sell, 0.05 SOL per A → 150 held worth 7.5 SOL
    // against 3.0 SOL of cost: unrealized 4.5.
    const early = json(W, '--until', String(T0 + 250));
    expect(early.until).toBe(T0 + 250);
    expect(early.summary.trades).toBe(3);
    expect(pos(early, A)).toMatchObject({ realized: String(lamports('1.5')), value: String(lamports('7.5')), unrealized: String(lamports('4.5')) });
    // From T0+610, C's sell (T0+630) is in but its buy (T0+600) is not: flagged. D is whole.
    const late = json(W, '--since', new Date((T0 + 610) * 1000).toISOString());
    expect(pos(late, C)).toMatchObject({ status: 'no-buy', realized: '0' });
    expect(pos(late, D)).toMatchObject({ status: 'closed', realized: String(lamports('6')) });
  });

  it('--token A analyses that token only', () => {
    const doc = json(W, '--token', A);
    expect(doc.token).toBe(A);
    expect(doc.positions.map((p: any) => p.mint)).toEqual([A]);
    expect(doc.summary.trades).toBe(4);
  });

  it('prints tables, the bot evidence and a daily chart; csv has one row per position', () => {
    const r = analyze(W);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Positions (8;');
    expect(r.stdout).toContain('+3.5');
    expect(r.stdout).toMatch(/win rate/);
    expect(r.stdout).toMatch(/same-slot-round-trip/);
    expect(r.stdout).toMatch(/daily SOL volume +[▁▂▃▄▅▆▇█]{3}/);
    expect(r.stdout).not.toMatch(/\x1b\[/); // no colour off a TTY
    const csv = analyze(W, '--format', 'csv');
    // One word for one status in table and CSV: B was sold without a recorded buy.
    const csvB = csv.stdout.split('\n').find((l) => l.startsWith(`${B},`))!;
    expect(csvB.split(',')).toContain('no-buy');
    // The compact table: cells are set apart by two or more spaces (a cell holds single ones).
    const rowOf = (mint: string) => r.stdout.split('\n').find((l) => l.trimStart().startsWith(mint.slice(0, 4)) && l.includes('…'))!;
    const cellsOf = (line: string) => line.trim().split(/\s{2,}/).map((c) => c.trim()).filter(Boolean);
    expect(cellsOf(rowOf(B))).toContain('no-buy');
    expect(r.stdout).not.toMatch(/w\/o buy/);
    // Every money cell names its unit: cost, proceeds, realized (and unrealized when priced).
    const [, , , , cost, proceeds, realized, unrealized] = cellsOf(rowOf(A));
    for (const cell of [cost, proceeds, realized, unrealized]) expect(cell, cell).toMatch(/^[+-]?[\d.,]+ SOL$/);
    const fRow = cellsOf(rowOf(F));
    for (const cell of fRow.slice(4, 7)) expect(cell, cell).toMatch(/ USDC$/);
    expect(csv.code).toBe(0);
    const lines = csv.stdout.trim().split('\n');
    expect(lines[0].split(',').slice(0, 3)).toEqual(['mint', 'quoteMint', 'baseDecimals']);
    expect(lines).toHaveLength(1 + 8);
  });

  it('a wallet with no trades prints empty figures and says so on stderr', () => {
    const r = analyze('11111111111111111111111111111111', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).summary.trades).toBe(0);
    expect(r.stderr).toMatch(/no trades stored for 11111111111111111111111111111111.*--fetch/);
  });
});

describe('bad input: one line, no stack, the right exit code', { timeout: 30_000 }, () => {
  const oneLine = (r: { code: number | null; stderr: string }, code: number, pattern: RegExp) => {
    expect(r.code).toBe(code);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^solflow: /);
    expect(lines[0]).toMatch(pattern);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  };

  it('an invalid wallet address exits 2', () => {
    oneLine(analyze('not-a-wallet'), 2, /wallet 'not-a-wallet' is not a Solana address/);
    oneLine(analyze('0OIl0OIl0OIl0OIl0OIl0OIl0OIl0OIl'), 2, /not a Solana address/);
  });

  it('bad options exit 2', () => {
    oneLine(analyze(W, '--cost-basis', 'lifo'), 2, /--cost-basis 'lifo'/);
    oneLine(analyze(W, '--since', 'yesterday'), 2, /bad --since 'yesterday'/);
    oneLine(analyze(W, '--since', '2025-02-01', '--until', '2025-01-01'), 2, /--since .* is after --until/);
    oneLine(analyze(W, '--token', 'xyz'), 2, /--token 'xyz'/);
    oneLine(analyze(W, '--format', 'xml'), 2, /bad --format 'xml'/);
    oneLine(analyze(W, '--rpc', 'http://127.0.0.1:1'), 2, /--rpc is only used with --fetch/);
  });

  it('a missing or corrupted database file is one line and a failure', () => {
    oneLine(solflow(['analyze', W, '--db', tmp.file('missing.db')]), 1, /no database at .*missing\.db/);
    const bad = tmp.file('corrupt.db');
    writeFileSync(bad, 'this is not a database, just text '.repeat(200));
    oneLine(solflow(['analyze', W, '--db', bad]), 1, /corrupt\.db.*not a database/);
  });

  it('--help shows an example', () => {
    const r = solflow(['analyze', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Example:\n\s+\$ solflow analyze \S+/);
    expect(r.stdout).toContain('--cost-basis');
  });
});

describe('analyze --fetch', { timeout: 60_000 }, () => {
  let server: ReplayServer;
  let baseline: string;
  beforeAll(async () => {
    server = await startReplay();
    baseline = tmp.file('baseline.db');
    const io = captureIo();
    expect(await runBackfillCommand(undefined, { from: FIXTURE_TX_DIR, db: baseline }, io)).toBe(0);
  });
  afterAll(async () => {
    await server?.close();
  });

  it("backfills the wallet's history over RPC into the database, then analyses it, key never printed", async () => {
    const d = new Database(baseline, { readonly: true });
    // The busiest fee-paying trader of the corpus (its signatures are listed by address).
    const [wallet, trades] = d.prepare('SELECT trader, count(*) FROM trades WHERE trader = signer GROUP BY trader ORDER BY 2 DESC, 1 LIMIT 1').raw().get() as [string, number];
    const want = d.prepare('SELECT signature, ix_path FROM trades WHERE trader = ? ORDER BY 1, 2').raw().all(wallet);
    d.close();
    expect(trades).toBeGreaterThan(1);
    const db = tmp.file('fetched.db');
    const url = `${server.url}/?api-key=supersecretkey123456`;
    const r = await solflowAsync(['analyze', wallet, '--fetch', '--rpc', url, '--db', db, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).summary.trades).toBe(trades);
    expect(server.stats.byMethod.getSignaturesForAddress).toBeGreaterThanOrEqual(1);
    expect(r.stdout + r.stderr).not.toContain('supersecretkey123456');
    const f = new Database(db, { readonly: true });
    expect(f.prepare('SELECT signature, ix_path FROM trades WHERE trader = ? ORDER BY 1, 2').raw().all(wallet)).toEqual(want);
    f.close();
    // A second run resumes nothing and duplicates nothing.
    const again = await solflowAsync(['analyze', wallet, '--fetch', '--rpc', url, '--db', db, '--json', '--quiet']);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout).summary.trades).toBe(trades);
  });
});

describe('solflow analyze: a wallet whose transactions have no block time', () => {
  const untimedDb = tmp.file('untimed.db');
  let wallet = '';
  beforeAll(async () => {
    // A real Jupiter route stored without its block time (2Vfn…: only the slot is known).
    const { decodeTransaction } = await import('../../src/core/decode/index.js');
    const { loadTx, sig } = await import('../decode/support.js');
    const trades = decodeTransaction(loadTx(sig('2VfncBtq38')));
    wallet = trades[0].trader;
    const db = openDatabase({ path: untimedDb });
    const p = await createPipeline({ store: sqliteStore(db), metricsIntervalMs: 0 });
    await p.ingestTrades(trades);
    await p.close();
    await db.close();
  });

  it('says unknown for active days and trades per hour, not 0; JSON says null', () => {
    const r = solflow(['analyze', wallet, '--db', untimedDb]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/active days\s+unknown \(no trade has a block time\)/);
    expect(r.stdout).toMatch(/trades per hour\s+unknown \(no trade has a block time\)/);
    const doc = JSON.parse(solflow(['analyze', wallet, '--db', untimedDb, '--json']).stdout);
    expect([doc.summary.activeDays, doc.summary.untimedTransactions, doc.behaviour.tradesPerHour]).toEqual([null, 1, null]);
  });
});
