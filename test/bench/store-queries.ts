/**
 * `analyze` on a big database: 10,000,000 synthetic trades in the real schema (migrations, the
 * same trade indexes), then the whole analyze path — the wallet's rows through
 * trades_trader_time, the analysis, last-price lookups through trades_mint_time — timed for
 * light, medium and heavy wallets, with --token, --since and FIFO variants, and the built CLI
 * end to end for the heaviest wallet.
 *
 * Shape of the data: 1,000,000 light wallets with power-law activity (most trade a handful of
 * times, the busiest a few hundred), 100 wallets with ~1,000 trades, 10 with ~10,000 and 3 with ~50,000, each heavy wallet
 * buying and selling its own few hundred tokens; 100,000 mints with power-law popularity; 30 days
 * of chain time in slot order; 90% SOL-quoted, 10% USDC; 30% through Jupiter; 2% bot-flagged.
 *
 * Generating takes a few minutes: rows go in with the indexes dropped (one prepared insert,
 * large transactions), then the indexes are rebuilt from their own CREATE statements, so the
 * schema ends exactly as migrations made it. The file is cached in the temp dir, keyed by size
 * and generator version; reruns only time the queries.
 *
 *   npm run bench                                      (with the other benches)
 *   npx tsx test/bench/store-queries.ts                (alone; BENCH_STORE_TRADES=… to change the size)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { analyzeWallet, type WalletAnalysis } from '../../src/core/wallet/index.js';
import { BASE58_ALPHABET as B58, base58Encode } from '../../src/core/decode/base58.js';
import { WSOL_MINT } from '../../src/core/trade.js';
import { openDatabase, sigKey } from '../../src/store/sqlite/index.js';
import { TRADE_COLUMNS, TRADE_INSERT_SQL } from '../../src/store/sqlite/rows.js';
import { lastPriceLookup, lastPriceSql, walletTrades, walletTradesSql, type WalletTradeFilter } from '../../src/store/sqlite/wallet.js';
import { seededRandom } from '../support/rng.js';

const GENERATOR_VERSION = 3; // 2: schema 3 (addresses interned); 3: schema 4 (sig_key)
const USDC = 'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v';
export const DAYS = 30;
export const T0 = 1_748_736_000; // 2025-06-01T00:00Z
const SLOT0 = 343_000_000;
const LIGHT_WALLETS = 1_000_000;
const MINTS = 100_000;
const HEAVY_TIERS = [
  { wallets: 3, trades: 50_000 },
  { wallets: 10, trades: 10_000 },
  { wallets: 100, trades: 1_000 },
];
const HEAVY_MINTS = 300;

export interface Meta {
  trades: number;
  heavy: string[][];
  light: string[];
  generateSeconds: number;
  indexSeconds: number;
}

export async function benchStoreQueries(n = Number(process.env.BENCH_STORE_TRADES ?? 10_000_000)): Promise<void> {
  const { path, meta } = benchDatabase(n);
  timeAnalyses(path, meta);
}

/**
 * The cached n-trade SQLite file (built on first use) and what it holds; the Postgres analyze
 * bench (analyze-pg.ts) copies the same rows, so both backends answer over identical data.
 */
export function benchDatabase(n: number): { path: string; meta: Meta } {
  const dir = join(tmpdir(), 'solflow-bench-store');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `trades-${n}-v${GENERATOR_VERSION}.db`);
  const metaPath = `${path}.meta.json`;
  let meta: Meta;
  if (existsSync(path) && existsSync(metaPath)) {
    meta = JSON.parse(readFileSync(metaPath, 'utf8')) as Meta;
    console.log(`store queries: cached ${path} (${meta.trades.toLocaleString('en')} trades, built in ${meta.generateSeconds.toFixed(0)} s + ${meta.indexSeconds.toFixed(0)} s of indexing)`);
  } else {
    for (const suffix of ['', '-wal', '-shm', '.meta.json']) rmSync(path + suffix, { force: true });
    console.log(`store queries: building ${n.toLocaleString('en')} trades in ${path} (cached for reruns) …`);
    meta = generate(path, n);
    writeFileSync(metaPath, JSON.stringify(meta));
  }
  console.log(`  file ${(statSync(path).size / 1e9).toFixed(2)} GB`);
  return { path, meta };
}

// ---------------------------------------------------------------------------------------------
// Generation

function generate(path: string, n: number): Meta {
  const r = seededRandom(20250601);
  const key = () => base58Encode(Uint8Array.from({ length: 32 }, () => Math.floor(r() * 256)));
  const mints = Array.from({ length: MINTS }, key);
  const pools = mints.map(key);
  const light = Array.from({ length: LIGHT_WALLETS }, key);
  const heavy = HEAVY_TIERS.map((t) => Array.from({ length: t.wallets }, key));
  // Heavy wallets draw from their own few hundred mints so they build real positions.
  const heavyList = heavy.flatMap((ws, i) => ws.map((w) => ({ w, weight: HEAVY_TIERS[i].trades, base: Math.floor(r() * MINTS) })));
  const heavyTotal = heavyList.reduce((s, h) => s + h.weight, 0);
  // Tier sizes are for 10M trades; a smaller run (BENCH_STORE_TRADES) scales them down.
  const heavyShare = heavyTotal / 10_000_000;
  const cumulative: number[] = [];
  heavyList.reduce((s, h) => (cumulative.push(s + h.weight), s + h.weight), 0);

  const codes = new Array<number>(88);
  const signature = () => {
    for (let i = 0; i < 88; i += 4) {
      let x = Math.floor(r() * 11_316_496); // 58^4
      for (let j = 0; j < 4; j++) {
        codes[i + j] = B58.charCodeAt(x % 58);
        x = Math.floor(x / 58);
      }
    }
    return String.fromCharCode(...codes);
  };
  const venues = [
    ['pumpswap', 'pAMMBay6oceH9fJKBRHGP5D4bD4sWpmSwMn52FMfXEA'],
    ['pumpfun', '6EF8rrecthR5Dkzon8Nwu78hRvfCKubJ14M5uBEwF6P'],
    ['raydium-amm-v4', '675kPX9MHTjS2zt1qfr1NYHuzeLXfQM9H24wFSUt1Mp8'],
    ['meteora-dlmm', 'LBUZKhRxPF3XUpBCjp4YzTKgLccjZhTSDM9YuVaPwxo'],
    ['raydium-cpmm', 'CPMMoo8L3F4NbTegBCKVNunggL7H1ZpdTHKxQB5qKP1C'],
  ];

  const t0 = performance.now();
  const db = openDatabase({ path });
  const sqlite = db.sqlite;
  const indexes = sqlite.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'trade_rows' AND sql IS NOT NULL").all() as Array<{ name: string; sql: string }>;
  for (const ix of indexes) sqlite.exec(`DROP INDEX ${ix.name}`);
  sqlite.pragma('journal_mode = OFF');
  sqlite.pragma('synchronous = OFF');
  sqlite.pragma('temp_store = FILE');
  sqlite.pragma('cache_size = -400000');
  // Rows are built in the trades view's column order; the addresses in them become ids here.
  // No ON CONFLICT: the unique key is among the indexes built after the rows.
  const insert = sqlite.prepare(TRADE_INSERT_SQL.slice(0, TRADE_INSERT_SQL.indexOf(' ON CONFLICT')));
  const insertAddress = sqlite.prepare('INSERT INTO addresses (id, address) VALUES (?, ?)');
  const addressIds = new Map<string, number>();
  const idOf = (a: string): number => {
    let v = addressIds.get(a);
    if (v === undefined) {
      v = addressIds.size + 1;
      addressIds.set(a, v);
      insertAddress.run(v, a);
    }
    return v;
  };
  const ADDRESS_AT = ['program_id', 'pool', 'trader', 'base_mint', 'quote_mint', 'fee_mint', 'signer'].map((c) => TRADE_COLUMNS.indexOf(c as never));
  const perSecond = n / (DAYS * 86_400);
  const BATCH = 250_000;
  // TRADE_INSERT_SQL's parameters: the view's columns, then sig_key.
  const row = new Array<unknown>(TRADE_COLUMNS.length + 1);
  for (let start = 0; start < n; start += BATCH) {
    sqlite.transaction(() => {
      for (let i = start; i < Math.min(n, start + BATCH); i++) {
        const blockTime = T0 + Math.floor(i / perSecond);
        const slot = SLOT0 + Math.floor((i / perSecond) * 2.5);
        let trader: string;
        let mint: string;
        if (r() < heavyShare) {
          const x = r() * heavyTotal;
          let k = 0;
          while (cumulative[k] <= x) k++;
          trader = heavyList[k].w;
          mint = mints[(heavyList[k].base + Math.floor(r() * HEAVY_MINTS)) % MINTS];
        } else {
          trader = light[Math.floor(LIGHT_WALLETS * r() ** 1.3)];
          mint = mints[Math.floor(MINTS * r() ** 3)];
        }
        const usdc = r() < 0.1;
        const side = r() < 0.55 ? 'buy' : 'sell';
        const quote = usdc ? 1_000_000 + Math.floor(r() * 2_000_000_000) : 10_000_000 + Math.floor(r() * 10_000_000_000);
        const [venue, programId] = venues[Math.floor(r() * venues.length)];
        const jup = r() < 0.3;
        const bot = r() < 0.02;
        row[0] = signature();
        row[1] = jup ? '3.2' : '2.0';
        row[2] = slot;
        row[3] = blockTime;
        row[4] = Math.floor(r() * 1200);
        row[5] = venue;
        row[6] = programId;
        row[7] = pools[hashIndex(mint)];
        row[8] = trader;
        row[9] = side;
        row[10] = mint;
        row[11] = String(1_000_000 + Math.floor(r() * 1e12));
        row[12] = 6;
        row[13] = usdc ? USDC : WSOL_MINT;
        row[14] = String(quote);
        row[15] = usdc ? 6 : 9;
        row[16] = usdc ? null : quote;
        row[17] = jup ? 'jupiter-v6' : null;
        row[18] = jup ? 'jupiter' : null;
        row[19] = r() < 0.005 ? 1 : 0;
        row[20] = 0;
        row[21] = null;
        row[22] = null;
        row[23] = 5000 + Math.floor(r() * 100_000);
        row[24] = Math.floor(r() * 2_000_000);
        row[25] = 0;
        row[26] = trader;
        row[27] = bot ? 1 : 0;
        row[28] = bot ? '["rate:12 tx/60s"]' : '[]';
        row[29] = 0;
        row[TRADE_COLUMNS.length] = sigKey(row[0] as string);
        for (const k of ADDRESS_AT) if (row[k] !== null) row[k] = idOf(row[k] as string);
        insert.run(row);
      }
    })();
    if ((start / BATCH) % 8 === 7) console.log(`  … ${(start + BATCH).toLocaleString('en')} rows (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
  }
  const generateSeconds = (performance.now() - t0) / 1000;
  console.log(`  ${n.toLocaleString('en')} rows in ${generateSeconds.toFixed(0)} s`);
  const t1 = performance.now();
  for (const ix of indexes) {
    const s = performance.now();
    sqlite.exec(ix.sql);
    console.log(`  index ${ix.name} rebuilt in ${((performance.now() - s) / 1000).toFixed(0)} s`);
  }
  const indexSeconds = (performance.now() - t1) / 1000;
  sqlite.pragma('journal_mode = WAL');
  void db.close();
  // Light wallets to time, from the power law's head to its tail (their counts are printed).
  return { trades: n, heavy, light: [0, 1000, 30_000, 300_000].map((i) => light[i]), generateSeconds, indexSeconds };
}

/** A mint's pool: a fixed pick from the pool list (cheap and stable). */
function hashIndex(s: string): number {
  let h = 0;
  for (let i = 0; i < 8; i++) h = (h * 31 + s.charCodeAt(i)) >>> 0;
  return h % MINTS;
}

// ---------------------------------------------------------------------------------------------
// Timing

function timeAnalyses(path: string, meta: Meta): void {
  const db = openDatabase({ path, readonly: true });
  const count = db.sqlite.prepare('SELECT count(*) FROM trades WHERE trader = ?').pluck();
  const run = (wallet: string, f: Omit<WalletTradeFilter, 'wallet'> = {}, costBasis: 'avg' | 'fifo' = 'avg'): WalletAnalysis => {
    const trades = walletTrades(db.sqlite, { wallet, ...f });
    return analyzeWallet(wallet, trades, { costBasis, token: f.token ?? null, lastPrice: lastPriceLookup(db.sqlite, f.until ?? null) });
  };
  const time = (fn: () => WalletAnalysis) => {
    const t = performance.now();
    const a = fn();
    return { ms: performance.now() - t, a };
  };
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

  const plan = (sql: string) => (db.sqlite.prepare(`EXPLAIN QUERY PLAN ${sql}`).all({ wallet: 'x', token: 'y', since: 0, until: 0, mint: 'm', quote: 'q' }) as Array<{ detail: string }>).map((p) => p.detail).join('; ');
  console.log(`  plan, wallet trades:           ${plan(walletTradesSql({ wallet: 'x' }))}`);
  console.log(`  plan, wallet trades of a token: ${plan(walletTradesSql({ wallet: 'x', token: 'y', since: 0 }))}`);
  console.log(`  plan, last price:              ${plan(lastPriceSql(null))}`);

  const cases: Array<{ label: string; wallet: string }> = [
    ...meta.light.map((w) => ({ label: 'light', wallet: w })),
    ...meta.heavy[2].slice(0, 2).map((w) => ({ label: 'medium', wallet: w })),
    ...meta.heavy[1].slice(0, 2).map((w) => ({ label: 'heavy', wallet: w })),
    ...meta.heavy[0].map((w) => ({ label: 'heaviest', wallet: w })),
  ];
  // Baseline in the same process: fetching the same rows as bare arrays through the same index,
  // the floor any per-trade analysis pays (the rows are scattered over the file).
  const bare = db.sqlite.prepare('SELECT * FROM trades WHERE trader = ?').raw();
  console.log('  analyze (read + positions + PnL + behaviour + last prices), ms: first call on the connection, median of 5 more;');
  console.log('  baseline: the same rows as bare arrays (median of 5), and analyze / baseline');
  let heaviest = { wallet: '', trades: 0 };
  for (const c of cases) {
    const trades = count.get(c.wallet) as number;
    const first = time(() => run(c.wallet));
    const rest = median(Array.from({ length: 5 }, () => time(() => run(c.wallet)).ms));
    const base = median(
      Array.from({ length: 5 }, () => {
        const t = performance.now();
        bare.all(c.wallet);
        return performance.now() - t;
      }),
    );
    if (trades > heaviest.trades) heaviest = { wallet: c.wallet, trades };
    console.log(
      `    ${c.label.padEnd(9)} ${String(trades).padStart(6)} trades ${String(first.a.positions.length).padStart(4)} positions   first ${first.ms.toFixed(1).padStart(7)}   median ${rest.toFixed(1).padStart(7)}   baseline ${base.toFixed(1).padStart(7)}   ×${(rest / Math.max(base, 0.01)).toFixed(1)}`,
    );
  }
  const w = heaviest.wallet;
  const sample = run(w);
  const token = sample.positions[0].mint;
  const mid = T0 + (DAYS * 86_400) / 2;
  const variants: Array<[string, () => WalletAnalysis]> = [
    ['--cost-basis fifo', () => run(w, {}, 'fifo')],
    ['--token (its biggest position)', () => run(w, { token })],
    ['--since (last 15 days)', () => run(w, { since: mid })],
    ['--until (first 15 days, as-of prices)', () => run(w, { until: mid })],
  ];
  console.log(`  variants on the heaviest wallet (${heaviest.trades} trades), median of 5, ms`);
  for (const [label, fn] of variants) {
    const ms = median(Array.from({ length: 5 }, () => time(fn).ms));
    console.log(`    ${label.padEnd(40)} ${ms.toFixed(1).padStart(7)}`);
  }
  void db.close();

  const cli = join(import.meta.dirname, '..', '..', 'bin', 'solflow.js');
  if (existsSync(join(import.meta.dirname, '..', '..', 'dist', 'cli', 'analyze.js'))) {
    const walls: number[] = [];
    const version: number[] = [];
    for (let i = 0; i < 3; i++) {
      let t = performance.now();
      const r = spawnSync(process.execPath, [cli, 'analyze', w, '--db', path, '--json'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
      walls.push(performance.now() - t);
      if (r.status !== 0) throw new Error(`solflow analyze failed: ${r.stderr}`);
      t = performance.now();
      spawnSync(process.execPath, [cli, '--help'], { encoding: 'utf8' });
      version.push(performance.now() - t);
    }
    console.log(`  built CLI, solflow analyze <heaviest> --json, wall clock: ${median(walls).toFixed(0)} ms (process start alone, solflow --help: ${median(version).toFixed(0)} ms)`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await benchStoreQueries();
}
