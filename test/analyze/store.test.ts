/**
 * Wallet analysis over a real database: the 155 recorded mainnet transactions stored through the
 * real pipeline (backfill --from), then every wallet's summary checked against plain SQL, a real
 * partial "sold more than bought" position worked out by hand, the filters, and last prices.
 */
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBackfillCommand } from '../../src/cli/shared/backfill-run.js';
import { analyzeWallet, toSwaps } from '../../src/core/wallet/index.js';
import { defaultLabels } from '../../src/core/labels.js';
import { compareTrades, WSOL_MINT } from '../../src/core/trade.js';
import { createAddressBook, openDatabase, TRADE_INSERT_SQL, tradeParams, type SolflowDb } from '../../src/store/sqlite/index.js';
import { lastPriceLookup, walletTrades } from '../../src/store/sqlite/wallet.js';
import { captureIo } from '../support/cli-io.js';
import { FIXTURE_TX_DIR } from '../support/replay/index.js';
import { tempDir } from '../store/tmp.js';

const tmp = tempDir('solflow-analyze-');
const path = tmp.file('fixtures.db');
let db: SolflowDb;
let raw: Database.Database;

/** Bought 0.167225 USDC for 991250 lamports, later sold 0.99125 USDC for 5903984 lamports. */
const PARTIAL = '3xTPAZxmpwd8GrNEKApaTw6VH4jqJ31WFXUvQzgwhR7c';
const USDC = 'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v';

beforeAll(async () => {
  const io = captureIo();
  const code = await runBackfillCommand(undefined, { from: FIXTURE_TX_DIR, db: path }, io);
  expect(code, io.stderr.join('\n')).toBe(0);
  db = openDatabase({ path, readonly: true });
  raw = new Database(path, { readonly: true });
});

afterAll(async () => {
  await db?.close();
  raw?.close();
  tmp.cleanup();
});

const analyse = (wallet: string, f: { since?: number; until?: number; token?: string } = {}, costBasis: 'avg' | 'fifo' = 'avg') =>
  analyzeWallet(wallet, walletTrades(db.sqlite, { wallet, ...f }), { costBasis, token: f.token ?? null, lastPrice: lastPriceLookup(db.sqlite, f.until ?? null) });

describe('analyze over the recorded mainnet corpus', () => {
  it("every wallet's stored figures equal plain SQL over its rows; what it did, its swaps", () => {
    const wallets = raw.prepare('SELECT DISTINCT trader FROM trades').pluck().all() as string[];
    expect(wallets.length).toBeGreaterThan(50);
    for (const w of wallets) {
      const q = raw
        .prepare(
          `SELECT count(*) AS trades, count(DISTINCT signature) AS transactions, count(DISTINCT date(block_time, 'unixepoch')) AS activeDays,
                  count(DISTINCT CASE WHEN block_time IS NULL THEN signature END) AS untimedTransactions
           FROM trades WHERE trader = ?`,
        )
        .get(w) as Record<string, number>;
      const venues = raw.prepare('SELECT venue AS name, count(*) AS trades FROM trades WHERE trader = ? GROUP BY venue ORDER BY trades DESC, venue').all(w);
      const routers = raw.prepare('SELECT router AS name, count(*) AS trades FROM trades WHERE trader = ? AND router IS NOT NULL GROUP BY router ORDER BY trades DESC, router').all(w);
      const a = analyse(w);
      const s = a.summary;
      // Unknown, not 0, when no trade has a block time.
      const activeDays = q.activeDays === 0 && q.untimedTransactions > 0 ? null : q.activeDays;
      expect(s).toMatchObject({ ...q, activeDays, venues, routers });
      // Buys, sells, SOL in/out and tokens are the swaps' (swaps.ts), route hops left out.
      const swaps = toSwaps(walletTrades(db.sqlite, { wallet: w }).filter((t) => t.trader === w).sort(compareTrades), defaultLabels.quoteRank).swaps;
      const solSwaps = (side: string) => swaps.filter((x) => x.side === side && x.quoteMint === WSOL_MINT).reduce((sum, x) => sum + x.quoteAmount, 0n);
      expect([s.buys, s.sells, s.swaps]).toEqual([swaps.filter((x) => x.side === 'buy').length, swaps.filter((x) => x.side === 'sell').length, swaps.length]);
      expect([s.solIn, s.solOut, s.tokens]).toEqual([solSwaps('sell'), solSwaps('buy'), new Set(swaps.map((x) => x.mint)).size]);
    }
  });

  it('first and last trade follow chain order', () => {
    const w = 'GKj54MVFppoYsxPU9jMn7CMniVRAuveFadyTtFhn1vXy';
    const sigs = raw.prepare('SELECT signature FROM trades WHERE trader = ? ORDER BY slot, tx_index, signature, ix_path').pluck().all(w) as string[];
    const s = analyse(w).summary;
    expect([s.first?.signature, s.last?.signature]).toEqual([sigs[0], sigs[sigs.length - 1]]);
  });

  it('a real wallet that sold more USDC than it bought: the bought part realizes, the rest is flagged', () => {
    const rows = raw.prepare(`SELECT side, base_amount, quote_amount FROM trades WHERE trader = ? ORDER BY slot`).all(PARTIAL) as Array<{ side: string; base_amount: string; quote_amount: string }>;
    expect(rows.map((r) => r.side)).toEqual(['buy', 'sell']);
    const [b, s] = rows.map((r) => ({ base: BigInt(r.base_amount), quote: BigInt(r.quote_amount) }));
    const matchedProceeds = (s.quote * b.base) / s.base; // 5903984 × 167225 / 991250 → 996008
    for (const basis of ['avg', 'fifo'] as const) {
      const a = analyzeWallet(PARTIAL, walletTrades(db.sqlite, { wallet: PARTIAL }), { costBasis: basis });
      const [p] = a.positions;
      expect([p.mint, p.quoteMint]).toEqual([USDC, WSOL_MINT]);
      expect(p.realized).toBe(matchedProceeds - b.quote);
      expect(p.realized).toBe(4758n);
      expect(p.soldWithoutBuy).toBe(s.base - b.base);
      expect(p.proceedsWithoutBuy).toBe(s.quote - matchedProceeds);
      expect(p.status).toBe('no-buy');
      expect(a.totals[0].closedPositions).toBe(0);
      expect(a.totals[0].winRate).toBeNull();
    }
  });

  it('--since / --until cut the history; held tokens are marked at the last price up to --until', () => {
    const [t1, t2] = raw.prepare('SELECT block_time FROM trades WHERE trader = ? ORDER BY slot').pluck().all(PARTIAL) as number[];
    const late = analyse(PARTIAL, { since: t2 });
    expect([late.summary.trades, late.summary.sells, late.positions[0].status]).toEqual([1, 1, 'no-buy']);
    const early = analyse(PARTIAL, { until: t1 });
    expect([early.summary.trades, early.summary.buys]).toEqual([1, 1]);
    const p = early.positions[0];
    expect(p.status).toBe('open');
    // The price: the last USDC/SOL trade at or before t1, found here without the store's query.
    const all = (raw.prepare('SELECT * FROM trades WHERE base_mint = ? AND quote_mint = ? AND block_time <= ?').all(USDC, WSOL_MINT, t1) as any[]).sort(
      (x, y) => x.block_time - y.block_time || x.slot - y.slot || x.tx_index - y.tx_index || (x.ix_path < y.ix_path ? -1 : 1),
    );
    const last = all[all.length - 1];
    expect(p.lastPrice?.signature).toBe(last.signature);
    expect(p.value).toBe((p.held * BigInt(last.quote_amount)) / BigInt(last.base_amount));
    expect(p.unrealized).toBe(p.value! - p.cost);
    expect(analyse(PARTIAL, { since: t1 + 1, until: t2 - 1 }).summary.trades).toBe(0);
  });

  it('--token keeps that token and the legs of its transactions', () => {
    const w = 'GKj54MVFppoYsxPU9jMn7CMniVRAuveFadyTtFhn1vXy';
    const bonk = 'DezXAZ8z7PnrnRJjz3wXBoRgixCa6xjnB7YaB1pPB263';
    const legs = walletTrades(db.sqlite, { wallet: w, token: bonk });
    const sigs = raw.prepare('SELECT DISTINCT signature FROM trades WHERE trader = ? AND base_mint = ?').pluck().all(w, bonk) as string[];
    const expected = raw.prepare(`SELECT count(*) FROM trades WHERE trader = ? AND signature IN (${sigs.map(() => '?').join(',')})`).pluck().get(w, ...sigs);
    expect(legs.length).toBe(expected);
    const a = analyse(w, { token: bonk });
    expect(a.summary.trades).toBe(raw.prepare('SELECT count(*) FROM trades WHERE trader = ? AND base_mint = ?').pluck().get(w, bonk));
    // DezX was only ever a hop of this wallet's routes (CMjf → SOL → DezX → USDC), never bought
    // or sold by it: no token traded, no position.
    expect(a.summary.tokens).toBe(0);
    expect(a.positions).toEqual([]);
  });

  it('last traded price per (mint, quote) equals a brute-force pick over the whole table', () => {
    const all = (raw.prepare("SELECT * FROM trades WHERE base_amount <> '0'").all() as any[]).map((r) => ({ ...r, slot: r.slot ?? -1, tx_index: r.tx_index ?? -1 }));
    const lookup = lastPriceLookup(db.sqlite);
    const pairs = new Set(all.map((r) => `${r.base_mint} ${r.quote_mint}`));
    for (const pair of pairs) {
      const [mint, quote] = pair.split(' ');
      const mine = all
        .filter((r) => r.base_mint === mint && r.quote_mint === quote)
        .sort((x, y) => (x.block_time ?? -1) - (y.block_time ?? -1) || x.slot - y.slot || x.tx_index - y.tx_index || (x.ix_path < y.ix_path ? -1 : 1));
      const want = mine[mine.length - 1];
      const got = lookup(mint, quote)!;
      expect([got.signature, got.baseAmount, got.quoteAmount]).toEqual([want.signature, BigInt(want.base_amount), BigInt(want.quote_amount)]);
    }
    expect(lookup(USDC, 'NoSuchQuote1111111111111111111111111111111')).toBeNull();
  });

  it('lamports above 2^53 come back exact', async () => {
    const big = openDatabase({ path: tmp.file('big.db') });
    try {
      const [t] = walletTrades(db.sqlite, { wallet: PARTIAL });
      const huge = (1n << 62n) + 1n;
      big.sqlite.prepare(TRADE_INSERT_SQL).run(tradeParams({ ...t, solAmount: huge, quoteAmount: huge }, 0, createAddressBook(big.sqlite).id));
      const [back] = walletTrades(big.sqlite, { wallet: PARTIAL });
      expect([back.solAmount, back.quoteAmount, back.slot, back.blockTime]).toEqual([huge, huge, t.slot, t.blockTime]);
    } finally {
      await big.close();
    }
  });

  it('trades come back in canonical order after analysis sorts them', () => {
    const w = '46ECY5pTrN9Fbu5HdobxWBKxeAQXMo6uXTDwozrKadWZ';
    const legs = walletTrades(db.sqlite, { wallet: w });
    const sorted = [...legs].sort(compareTrades);
    expect(analyse(w).summary.first?.signature).toBe(sorted[0].signature);
  });
});
