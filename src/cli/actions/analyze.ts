/**
 * `solflow analyze <wallet>`: one wallet's trading from the database — summary, positions and
 * PnL (average cost or FIFO), totals per quote asset, behaviour and bot evidence, a daily chart.
 *
 * This file (the action behind commands/analyze.ts) checks options, optionally runs the address
 * backfill first (--fetch), reads through the Store's walletTrades and lastPrices, analyses with
 * core/wallet and formats. No SQL and no arithmetic live here.
 */
import { analyzeWallet, type CostBasis, type Position, type WalletAnalysis } from '../../core/wallet/index.js';
import { WSOL_MINT } from '../../core/trade.js';
import { pricePairKey, type PricePair, type Store } from '../../core/store/index.js';
import { resolveDbPath } from '../../store/index.js';
import { runBackfillCommand } from '../shared/backfill-run.js';
import { defaultIo, type Io } from '../io.js';
import { resample, sparkline } from '../chart.js';
import { EXIT, UsageError } from '../errors.js';
import { formatAmount, isoTime, makeTable, mintLabel, percent, shortKey } from '../format.js';
import { parseAddress, parseFormat, parsePositiveInt, parseTimeOption, type OutputFormat } from '../options.js';
import { renderRows, type Column } from '../output.js';
import { withReader } from '../with-db.js';
import { redactUrl } from '../../util/redact.js';

export interface AnalyzeOptions {
  since?: string;
  until?: string;
  token?: string;
  costBasis?: string;
  fetch?: boolean;
  rpc?: string;
  db?: string;
  format?: string;
  json?: boolean;
  limit?: string;
  quiet?: boolean;
  verbose?: boolean;
}

/** Mainnet-beta's first day: "all of a wallet's history" for --fetch without --since. */
const GENESIS = '2020-03-16T00:00Z';
const CHART_WIDTH = 60;

interface Plan {
  wallet: string;
  since: number | null;
  until: number | null;
  token: string | null;
  costBasis: CostBasis;
  format: OutputFormat;
  limit: number;
}

function checkOptions(walletArg: string, opts: AnalyzeOptions, nowMs: number): Plan {
  const wallet = parseAddress('wallet', walletArg);
  const since = opts.since === undefined ? null : parseTimeOption('--since', opts.since, nowMs);
  const until = opts.until === undefined ? null : parseTimeOption('--until', opts.until, nowMs);
  if (since !== null && until !== null && since > until) throw new UsageError(`--since ${opts.since} is after --until ${opts.until}`);
  const token = opts.token === undefined ? null : parseAddress('--token', opts.token);
  const costBasis = (opts.costBasis ?? 'avg').trim().toLowerCase();
  if (costBasis !== 'avg' && costBasis !== 'fifo') throw new UsageError(`bad --cost-basis '${opts.costBasis}': expected avg or fifo`);
  if (opts.rpc !== undefined && !opts.fetch) throw new UsageError('--rpc is only used with --fetch');
  const format = parseFormat(opts);
  const limit = parsePositiveInt('--limit', opts.limit ?? '25');
  return { wallet, since, until, token, costBasis, format, limit };
}

export async function runAnalyzeCommand(walletArg: string, opts: AnalyzeOptions, io: Io = defaultIo()): Promise<number> {
  const plan = checkOptions(walletArg, opts, io.now());
  let exit: number = EXIT.ok;
  if (opts.fetch) {
    const fetched = await fetchHistory(plan, opts, io);
    if (fetched !== EXIT.ok && fetched !== EXIT.partial) return fetched;
    exit = fetched;
  }

  const path = resolveDbPath(opts.db, io.env);
  const analysis = await withReader(path, (store) => analyze(store, plan));

  if (plan.format === 'json') io.out(toJson(analysis, plan));
  else if (plan.format === 'csv') io.out(renderRows(analysis.positions, POSITION_COLUMNS, 'csv').trimEnd());
  else io.out(renderTables(analysis, plan).trimEnd());
  if (analysis.summary.trades === 0 && !opts.quiet) {
    io.err(`no trades stored for ${plan.wallet}${describeWindow(plan)} in ${redactUrl(path)}${opts.fetch ? '' : '; add --fetch to backfill it over RPC'}`);
  }
  return exit;
}

/**
 * The wallet's trades through analyzeWallet, with held tokens marked at their last price. The
 * store answers prices in one call, so the pairs are asked up front: every (mint, quote) the
 * trades hold. analyzeWallet may ask for a pair no single trade holds (a route netted into one
 * swap); then those are fetched and the analysis, which is pure, runs once more.
 */
async function analyze(store: Store, plan: Plan): Promise<WalletAnalysis> {
  const trades = await store.reports.walletTrades({ wallet: plan.wallet, since: plan.since, until: plan.until, token: plan.token });
  const pairs = new Map<string, PricePair>();
  for (const t of trades) pairs.set(pricePairKey(t.baseMint, t.quoteMint), { mint: t.baseMint, quoteMint: t.quoteMint });
  const prices = await store.reports.lastPrices([...pairs.values()], plan.until);
  const missed: PricePair[] = [];
  const lastPrice = (mint: string, quoteMint: string) => {
    const key = pricePairKey(mint, quoteMint);
    if (!prices.has(key)) missed.push({ mint, quoteMint });
    return prices.get(key) ?? null;
  };
  const run = () => analyzeWallet(plan.wallet, trades, { costBasis: plan.costBasis, token: plan.token, lastPrice });
  const first = run();
  if (missed.length === 0) return first;
  for (const [key, price] of await store.reports.lastPrices(missed, plan.until)) prices.set(key, price);
  return run();
}

/** The address backfill, as `solflow backfill --address <wallet> <range>` would run it. */
async function fetchHistory(plan: Plan, opts: AnalyzeOptions, io: Io): Promise<number> {
  const iso = (s: number) => new Date(s * 1000).toISOString();
  const range = `${plan.since === null ? GENESIS : iso(plan.since)}..${plan.until === null ? 'now' : iso(plan.until)}`;
  if (!opts.quiet) io.err(`fetching ${plan.wallet}'s transactions ${plan.since === null ? '(its whole history; --since limits it)' : range} over RPC`);
  return runBackfillCommand(range, { address: plan.wallet, rpc: opts.rpc, db: opts.db, quiet: opts.quiet, verbose: opts.verbose }, io);
}

function describeWindow(plan: Plan): string {
  const parts: string[] = [];
  if (plan.token) parts.push(`token ${plan.token}`);
  if (plan.since !== null) parts.push(`since ${isoTime(plan.since)}`);
  if (plan.until !== null) parts.push(`until ${isoTime(plan.until)}`);
  return parts.length ? ` (${parts.join(', ')})` : '';
}

// ---------------------------------------------------------------------------------------------
// JSON and CSV: bigints as decimal strings, everything else as computed.

const exact = <V>(v: V): Exclude<V, bigint> | string => (typeof v === 'bigint' ? v.toString() : (v as Exclude<V, bigint>));

function toJson(a: WalletAnalysis, plan: Plan): string {
  const doc = { wallet: a.wallet, costBasis: a.costBasis, token: a.token, since: plan.since, until: plan.until, summary: a.summary, totals: a.totals, positions: a.positions, behaviour: a.behaviour, daily: a.daily };
  return JSON.stringify(doc, (_k, v) => exact(v));
}

/** A CSV row per position: these fields in this order (lots, flags and the last price stay in --json). */
const POSITION_KEYS = [
  'mint', 'quoteMint', 'baseDecimals', 'quoteDecimals', 'buys', 'sells', 'bought', 'sold', 'held', 'cost', 'proceeds', 'costOfSold', 'realized',
  'soldWithoutBuy', 'proceedsWithoutBuy', 'openCost', 'value', 'unrealized', 'realizedRoi', 'roi', 'status', 'holdSeconds', 'firstTime', 'lastTime',
] as const satisfies ReadonlyArray<keyof Position>;

const POSITION_COLUMNS: Column<Position>[] = POSITION_KEYS.map((key) => ({
  key,
  value: (p: Position) => (key === 'holdSeconds' && p.holdSeconds !== null ? Math.round(p.holdSeconds) : exact(p[key])),
}));

// ---------------------------------------------------------------------------------------------
// Tables for people.

const FRACTION = 4;

/** Four decimals, or three significant digits for amounts below one whole token (dust PnL). */
function fmt(raw: bigint, decimals: number): string {
  const abs = raw < 0n ? -raw : raw;
  let fraction = FRACTION;
  if (abs > 0n && abs < 10n ** BigInt(decimals)) fraction = Math.min(decimals, Math.max(FRACTION, decimals - abs.toString().length + 3));
  return formatAmount(raw, decimals, fraction);
}

function amount(raw: bigint | null, decimals: number, quoteMint?: string): string {
  if (raw === null) return '-';
  const s = fmt(raw, decimals);
  return quoteMint ? `${s} ${mintLabel(quoteMint)}` : s;
}

/** With a quote mint, the amount carries its unit, as every money cell does. */
function signed(raw: bigint | null, decimals: number, quoteMint?: string): string {
  if (raw === null) return '-';
  const s = (raw > 0n ? '+' : '') + fmt(raw, decimals);
  return quoteMint ? `${s} ${mintLabel(quoteMint)}` : s;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

const pct = (x: number | null) => (x === null || !Number.isFinite(x) ? '-' : `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%`);

function formatSeconds(s: number | null): string {
  if (s === null) return '-';
  if (s < 90) return `${Math.round(s)}s`;
  if (s < 90 * 60) return `${Math.round(s / 60)}m`;
  if (s < 36 * 3600) return `${(s / 3600).toFixed(1)}h`;
  return `${(s / 86400).toFixed(1)}d`;
}

const SOL_DECIMALS = 9;
const sol = (lamports: bigint | null) => amount(lamports, SOL_DECIMALS, WSOL_MINT);

function keyValues(rows: Array<[string, string]>): string {
  const t = makeTable([]);
  for (const r of rows) t.push(r);
  return t.toString();
}

function activeDays(s: WalletAnalysis['summary']): string {
  if (s.activeDays === null) return 'unknown (no trade has a block time)';
  return s.untimedTransactions ? `${s.activeDays} (+${plural(s.untimedTransactions, 'transaction')} without a block time)` : String(s.activeDays);
}

function renderTables(a: WalletAnalysis, plan: Plan): string {
  const s = a.summary;
  const out: string[] = [];
  const method = a.costBasis === 'avg' ? 'average cost' : 'FIFO';
  out.push(`${a.wallet} · ${method}${describeWindow(plan)}`);
  if (s.trades === 0) return out.join('\n') + '\n';
  out.push('');
  const list = (cs: Array<{ name: string; trades: number }>) => (cs.length ? cs.slice(0, 6).map((c) => `${c.name} ×${c.trades}`).join(', ') + (cs.length > 6 ? `, +${cs.length - 6} more` : '') : '-');
  out.push(
    keyValues([
      ['trades stored', `${plural(s.trades, 'leg')} in ${plural(s.transactions, 'transaction')}`],
      ['swaps', `${plural(s.buys, 'buy')}, ${plural(s.sells, 'sell')} (what the wallet gave and got per transaction; route hops left out)`],
      ['SOL in / out', `${sol(s.solIn)} from sells / ${sol(s.solOut)} on buys`],
      ['tokens traded', String(s.tokens)],
      ['venues', list(s.venues)],
      ['routers', list(s.routers)],
      ['first trade', s.first ? `${isoTime(s.first.blockTime)}  ${shortKey(s.first.signature, 6)}` : '-'],
      ['last trade', s.last ? `${isoTime(s.last.blockTime)}  ${shortKey(s.last.signature, 6)}` : '-'],
      ['active days', activeDays(s)],
      ['priced', `${s.swaps} priced${s.unpriced ? `, ${s.unpriced} not priced (${s.unpricedExamples[0].reason}${s.unpriced > 1 ? ', …' : ''})` : ''}`],
    ]),
  );

  if (a.positions.length) {
    out.push('', `Positions (${a.positions.length}; realized at ${method}, unrealized at the last traded price in the database)`);
    const t = makeTable(['token', 'buys', 'sells', 'held', 'cost', 'proceeds', 'realized', 'unrealized', 'ROI', 'hold', 'status'], [1, 2, 3, 4, 5, 6, 7, 8, 9]);
    for (const p of a.positions.slice(0, plan.limit)) {
      t.push([
        mintLabel(p.mint),
        String(p.buys),
        String(p.sells),
        formatAmount(p.held, p.baseDecimals, 2),
        amount(p.cost, p.quoteDecimals, p.quoteMint),
        amount(p.proceeds, p.quoteDecimals, p.quoteMint),
        signed(p.realized, p.quoteDecimals, p.quoteMint),
        signed(p.unrealized, p.quoteDecimals, p.quoteMint),
        pct(p.roi),
        formatSeconds(p.holdSeconds),
        p.status,
      ]);
    }
    out.push(t.toString());
    if (a.positions.some((p) => p.status === 'no-buy')) out.push("no-buy: sold more than the recorded buys held (transferred in, airdropped, or bought before --since)");
    if (a.positions.length > plan.limit) out.push(`… and ${a.positions.length - plan.limit} more (--limit, --json, --format csv)`);
  }

  if (a.totals.length) {
    out.push('', 'Totals per quote asset (win rate over fully closed positions; no-buy positions left out)');
    const t = makeTable(['quote', 'positions', 'cost', 'realized', 'unrealized', 'closed', 'win rate', '<-50%', '-50–0%', '0–2x', '2–5x', '>5x'], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    for (const q of a.totals) {
      t.push([
        mintLabel(q.quoteMint),
        `${q.positions} (${q.openPositions} open${q.noBuyPositions ? `, ${q.noBuyPositions} no-buy` : ''})`,
        amount(q.cost, q.quoteDecimals, q.quoteMint),
        signed(q.realized, q.quoteDecimals, q.quoteMint),
        signed(q.unrealized, q.quoteDecimals, q.quoteMint) + (q.unpricedPositions ? ` (${q.unpricedPositions} unpriced)` : ''),
        String(q.closedPositions),
        percent(q.winRate),
        ...q.distribution.map((b) => String(b.count)),
      ]);
    }
    out.push(t.toString());
  }

  const b = a.behaviour;
  out.push('', 'Behaviour');
  out.push(
    keyValues([
      ['bot score', `${b.bot.score.toFixed(2)} (${b.bot.verdict})`],
      ['platforms', b.platforms.length ? b.platforms.slice(0, 6).map((p) => `${p.name} ×${p.trades}`).join(', ') : '-'],
      ['DCA', `${b.dca.fills} fills, ${sol(b.dca.sol)}${b.dca.limitFills ? `; limit orders ${b.dca.limitFills} fills, ${sol(b.dca.limitSol)}` : ''}`],
      ['typical trade', b.tradeSize.median === null ? '-' : `${sol(b.tradeSize.median)} median, ${sol(b.tradeSize.mean)} mean`],
      ['trades per hour', b.tradesPerHour === null ? 'unknown (no trade has a block time)' : `${b.tradesPerHour} (peak ${b.peakHourTrades} in an hour, ${b.peakDayTrades} in a day)`],
      ['closed within 1 min', b.closedRounds ? `${b.fastCloses} of ${b.closedRounds} closed positions (${percent(b.fastCloseShare)})` : '-'],
      ['same-slot round trips', `${b.sameSlotRoundTrips}${b.sameSlotExamples.length ? `  e.g. ${shortKey(b.sameSlotExamples[0], 6)}` : ''}`],
    ]),
  );
  if (b.bot.evidence.length) {
    const t = makeTable(['evidence', 'strength', 'why', 'e.g.'], [1]);
    for (const e of b.bot.evidence) t.push([e.rule, e.strength.toFixed(2), e.detail, e.examples.slice(0, 2).map((x) => shortKey(x, 6)).join(' ') || '-']);
    out.push(t.toString());
  }

  const charts = dailyCharts(a);
  if (charts.length) out.push('', ...charts);
  return out.join('\n') + '\n';
}

/** Daily SOL volume and cumulative realized SOL PnL as sparklines, gaps filled with zero days. */
function dailyCharts(a: WalletAnalysis): string[] {
  if (a.daily.length < 2) return [];
  const start = Date.parse(a.daily[0].day);
  const end = Date.parse(a.daily[a.daily.length - 1].day);
  const days = Math.round((end - start) / 86400_000) + 1;
  const volume = new Array<number>(days).fill(0);
  const realized = new Array<number>(days).fill(0);
  for (const d of a.daily) {
    const i = Math.round((Date.parse(d.day) - start) / 86400_000);
    volume[i] = Number(d.solVolume) / 1e9;
    realized[i] = Number(d.realized) / 1e9;
  }
  let run = 0;
  const cumulative = realized.map((x) => (run += x));
  const span = `${a.daily[0].day} → ${a.daily[a.daily.length - 1].day}`;
  const per = days > CHART_WIDTH ? ` (${(days / CHART_WIDTH).toFixed(1)} days per column)` : '';
  const lines = [`daily SOL volume      ${sparkline(resample(volume, CHART_WIDTH, 'sum'))}  max ${Math.max(...volume).toFixed(2)} SOL/day, ${span}${per}`];
  if (a.daily.some((d) => d.realized !== 0n)) {
    const total = a.daily.reduce((sum, d) => sum + d.realized, 0n);
    lines.push(`realized PnL, SOL     ${sparkline(resample(cumulative, CHART_WIDTH, 'last'))}  ${signed(total, SOL_DECIMALS)} SOL cumulative`);
  }
  return lines;
}
