/**
 * Wallet analysis over a real database: the 155 recorded mainnet transactions stored through the
 * real pipeline (backfill --from), then every wallet's summary checked against plain SQL, a real
 * partial "sold more than bought" position worked out by hand, the filters, and last prices.
 * The same transactions go into PostgreSQL too, and every assertion runs on both backends
 * through the Store (walletTrades, lastPrices) as `solflow analyze` reads them; the yardstick is
 * plain SQL over the SQLite file.
 */
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBackfillCommand } from '../../src/cli/shared/backfill-run.js';
import { analyzeWallet, toSwaps } from '../../src/core/wallet/index.js';
import { defaultLabels } from '../../src/core/labels.js';
import { compareTrades, WSOL_MINT } from '../../src/core/trade.js';
import { pricePairKey, type PricePair, type WalletTradeFilter } from '../../src/core/store/reports.js';
import type { Backend, Store } from '../../src/core/store/types.js';
import type { ClassifiedTrade } from '../../src/core/flow/types.js';
import { openStore } from '../../src/store/index.js';
import { captureIo } from '../support/cli-io.js';
import { forEachBackend, freshDb } from '../support/backends.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres/database.js';
import { FIXTURE_TX_DIR } from '../support/replay/index.js';
import { tempDir } from '../store/tmp.js';

const tmp = tempDir('solflow-analyze-');
const path = tmp.file('fixtures.db');
let raw: Database.Database;
let pgDb: TestDatabase;
const stores = {} as Record<Backend, Store>;

/** Bought 0.167225 USDC for 991250 lamports, later sold 0.99125 USDC for 5903984 lamports. */
const PARTIAL = '3xTPAZxmpwd8GrNEKApaTw6VH4jqJ31WFXUvQzgwhR7c';
const USDC = 'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v';

beforeAll(async () => {
  pgDb = await createTestDatabase('analyze');
  for (const [backend, db] of [['sqlite', path], ['postgres', pgDb.url]] as const) {
    const io = captureIo();
    const code = await runBackfillCommand(undefined, { from: FIXTURE_TX_DIR, db }, io);
    expect(code, io.stderr.join('\n')).toBe(0);
    stores[backend] = await openStore({ db, readonly: true });
  }
  raw = new Database(path, { readonly: true });
}, 120_000);

afterAll(async () => {
  for (const s of Object.values(stores)) await s.close();
  raw?.close();
  await pgDb?.drop();
  tmp.cleanup();
});

/** The wallet's trades and their pairs' last prices through the Store, as the analyze action reads them. */
async function analyseOn(store: Store, wallet: string, f: { since?: number; until?: number; token?: string } = {}, costBasis: 'avg' | 'fifo' = 'avg') {
  const trades = await store.reports.walletTrades({ wallet, ...f });
  const until = f.until ?? null;
  const pairs = new Map<string, PricePair>(trades.map((t) => [pricePairKey(t.baseMint, t.quoteMint), { mint: t.baseMint, quoteMint: t.quoteMint }]));
  const prices = await store.reports.lastPrices([...pairs.values()], until);
  const missed: PricePair[] = [];
  const lastPrice = (mint: string, quoteMint: string) => {
    if (!prices.has(pricePairKey(mint, quoteMint))) missed.push({ mint, quoteMint });
    return prices.get(pricePairKey(mint, quoteMint)) ?? null;
  };
  const run = () => analyzeWallet(wallet, trades, { costBasis, token: f.token ?? null, lastPrice });
  const first = run();
  if (missed.length === 0) return first;
  for (const [k, v] of await store.reports.lastPrices(missed, until)) prices.set(k, v);
  return run();
}

forEachBackend((backend) => {
  const analyse = (wallet: string, f: { since?: number; until?: number; token?: string } = {}, costBasis: 'avg' | 'fifo' = 'avg') => analyseOn(stores[backend], wallet, f, costBasis);
  const walletTrades = (f: WalletTradeFilter): Promise<ClassifiedTrade[]> => stores[backend].reports.walletTrades(f);

  describe('analyze over the recorded mainnet corpus', { timeout: 60_000 }, () => {
    it("every wallet's stored figures equal plain SQL over its rows; what it did, its swaps", async () => {
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
        const a = await analyse(w);
        const s = a.summary;
        // Unknown, not 0, when no trade has a block time.
        const activeDays = q.activeDays === 0 && q.untimedTransactions > 0 ? null : q.activeDays;
        expect(s).toMatchObject({ ...q, activeDays, venues, routers });
        // Buys, sells, SOL in/out and tokens are the swaps' (swaps.ts), route hops left out.
        const swaps = toSwaps((await walletTrades({ wallet: w })).filter((t) => t.trader === w).sort(compareTrades), defaultLabels.quoteRank).swaps;
        const solSwaps = (side: string) => swaps.filter((x) => x.side === side && x.quoteMint === WSOL_MINT).reduce((sum, x) => sum + x.quoteAmount, 0n);
        expect([s.buys, s.sells, s.swaps]).toEqual([swaps.filter((x) => x.side === 'buy').length, swaps.filter((x) => x.side === 'sell').length, swaps.length]);
        expect([s.solIn, s.solOut, s.tokens]).toEqual([solSwaps('sell'), solSwaps('buy'), new Set(swaps.map((x) => x.mint)).size]);
      }
    });

    it('first and last trade follow chain order', async () => {
      const w = 'GKj54MVFppoYsxPU9jMn7CMniVRAuveFadyTtFhn1vXy';
      const sigs = raw.prepare('SELECT signature FROM trades WHERE trader = ? ORDER BY slot, tx_index, signature, ix_path').pluck().all(w) as string[];
      const s = (await analyse(w)).summary;
      expect([s.first?.signature, s.last?.signature]).toEqual([sigs[0], sigs[sigs.length - 1]]);
    });

    it('a real wallet that sold more USDC than it bought: the bought part realizes, the rest is flagged', async () => {
      const rows = raw.prepare(`SELECT side, base_amount, quote_amount FROM trades WHERE trader = ? ORDER BY slot`).all(PARTIAL) as Array<{ side: string; base_amount: string; quote_amount: string }>;
      expect(rows.map((r) => r.side)).toEqual(['buy', 'sell']);
      const [b, s] = rows.map((r) => ({ base: BigInt(r.base_amount), quote: BigInt(r.quote_amount) }));
      const matchedProceeds = (s.quote * b.base) / s.base; // 5903984 × 167225 / 991250 → 996008
      for (const basis of ['avg', 'fifo'] as const) {
        const a = analyzeWallet(PARTIAL, await walletTrades({ wallet: PARTIAL }), { costBasis: basis });
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

    it('--since / --until cut the history; held tokens are marked at the last price up to --until', async () => {
      const [t1, t2] = raw.prepare('SELECT block_time FROM trades WHERE trader = ? ORDER BY slot').pluck().all(PARTIAL) as number[];
      const late = await analyse(PARTIAL, { since: t2 });
      expect([late.summary.trades, late.summary.sells, late.positions[0].status]).toEqual([1, 1, 'no-buy']);
      const early = await analyse(PARTIAL, { until: t1 });
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
      expect((await analyse(PARTIAL, { since: t1 + 1, until: t2 - 1 })).summary.trades).toBe(0);
    });

    it('--token keeps that token and the legs of its transactions', async () => {
      const w = 'GKj54MVFppoYsxPU9jMn7CMniVRAuveFadyTtFhn1vXy';
      const bonk = 'DezXAZ8z7PnrnRJjz3wXBoRgixCa6xjnB7YaB1pPB263';
      const legs = await walletTrades({ wallet: w, token: bonk });
      const sigs = raw.prepare('SELECT DISTINCT signature FROM trades WHERE trader = ? AND base_mint = ?').pluck().all(w, bonk) as string[];
      const expected = raw.prepare(`SELECT count(*) FROM trades WHERE trader = ? AND signature IN (${sigs.map(() => '?').join(',')})`).pluck().get(w, ...sigs);
      expect(legs.length).toBe(expected);
      const a = await analyse(w, { token: bonk });
      expect(a.summary.trades).toBe(raw.prepare('SELECT count(*) FROM trades WHERE trader = ? AND base_mint = ?').pluck().get(w, bonk));
      // DezX was only ever a hop of this wallet's routes (CMjf → SOL → DezX → USDC), never bought
      // or sold by it: no token traded, no position.
      expect(a.summary.tokens).toBe(0);
      expect(a.positions).toEqual([]);
    });

    it('last traded price per (mint, quote) equals a brute-force pick over the whole table', async () => {
      const all = (raw.prepare("SELECT * FROM trades WHERE base_amount <> '0'").all() as any[]).map((r) => ({ ...r, slot: r.slot ?? -1, tx_index: r.tx_index ?? -1 }));
      const pairs = new Set(all.map((r) => `${r.base_mint} ${r.quote_mint}`));
      const none = { mint: USDC, quoteMint: 'NoSuchQuote1111111111111111111111111111111' };
      const prices = await stores[backend].reports.lastPrices([...[...pairs].map((p) => ({ mint: p.split(' ')[0], quoteMint: p.split(' ')[1] })), none], null);
      const lookup = (mint: string, quote: string) => prices.get(pricePairKey(mint, quote));
      for (const pair of pairs) {
        const [mint, quote] = pair.split(' ');
        const mine = all
          .filter((r) => r.base_mint === mint && r.quote_mint === quote)
          .sort((x, y) => (x.block_time ?? -1) - (y.block_time ?? -1) || x.slot - y.slot || x.tx_index - y.tx_index || (x.ix_path < y.ix_path ? -1 : 1));
        const want = mine[mine.length - 1];
        const got = lookup(mint, quote)!;
        expect([got.signature, got.baseAmount, got.quoteAmount]).toEqual([want.signature, BigInt(want.base_amount), BigInt(want.quote_amount)]);
      }
      expect(lookup(none.mint, none.quoteMint)).toBeNull();
    });

    it('lamports above 2^53 come back exact', async () => {
      const fresh = await freshDb(backend, 'analyze_big');
      const big = await openStore({ db: fresh.db });
      try {
        const [t] = await walletTrades({ wallet: PARTIAL });
        const huge = (1n << 62n) + 1n;
        const w = big.createWriter();
        await w.write({ trades: [{ ...t, solAmount: huge, quoteAmount: huge }] });
        await w.close();
        const [back] = await big.reports.walletTrades({ wallet: PARTIAL });
        expect([back.solAmount, back.quoteAmount, back.slot, back.blockTime]).toEqual([huge, huge, t.slot, t.blockTime]);
      } finally {
        await big.close();
        await fresh.cleanup();
      }
    });

    it('trades come back in canonical order after analysis sorts them', async () => {
      const w = '46ECY5pTrN9Fbu5HdobxWBKxeAQXMo6uXTDwozrKadWZ';
      const legs = await walletTrades({ wallet: w });
      const sorted = [...legs].sort(compareTrades);
      expect((await analyse(w)).summary.first?.signature).toBe(sorted[0].signature);
    });
  });
});
