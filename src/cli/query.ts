/**
 * `solflow query …`: named questions over the store (top-flows, token, trades, bots, dca,
 * signals, jobs, stats) and `query sql` for anything else.
 *
 * This file parses options, opens the database read-only and formats; the SQL is in
 * store/queries.ts. Data goes to stdout (table, JSON Lines or CSV), notes to stderr.
 */
import type { Command } from 'commander';
import type { SignalType, WindowName } from '../core/flow/types.js';
import { tradeToJson } from '../core/trade.js';
import { listJobs, type JobRow } from '../store/jobs.js';
import {
  FLOW_ORDERS,
  WINDOW_NAMES,
  botWallets,
  dcaByToken,
  findSignals,
  flowsOverSpan,
  findTrades,
  prepareReadOnly,
  ReadOnlySqlError,
  storeClock,
  storeStats,
  tokenInfo,
  tokenWindows,
  topFlows,
  topTraders,
  type BotWallet,
  type DcaToken,
  type FlowOrder,
  type SpanFlowRow,
  type StoredSignal,
  type StoredTrade,
  type TopFlowRow,
  type TraderTotal,
  type WindowFlow,
} from '../store/queries.js';
import { redactText } from '../util/redact.js';
import { EXIT, UsageError } from './errors.js';
import { withExample } from './examples.js';
import { withReader } from './with-db.js';
import { formatAmount, isoTime, makeTable, mintLabel, percent, shortKey } from './format.js';
import type { CommandRegistrar } from './main.js';
import { parseAddress, parseFormat, parsePositiveInt, parseSignature, parseTimeOption, type OutputFormat } from './options.js';
import { csvField, renderRows, type Column } from './output.js';

interface DataOpts {
  db?: string;
  format?: string;
  json?: boolean;
  limit?: string;
  includeBlocked?: boolean;
}

interface TimeOpts {
  since?: string;
  until?: string;
}

const TIME_HELP = 'ISO time (2025-06-01T00:00Z), date, unix seconds, or relative to the wall clock (-1h, -7d)';
const TOKEN_SPAN_SECONDS = 4 * 3600;
const SIGNAL_TYPES: Record<SignalType, true> = { BREAKOUT: true, REACCUMULATION: true, FOCUSED_BUYERS: true, PERSISTENCE: true, FLOW_REVERSAL: true };

// ---------------------------------------------------------------------------------------------
// Registration

export const registerQuery: CommandRegistrar = (program, setExit) => {
  const query = program
    .command('query')
    .description('answer questions from the database: top flows, one token, trades, bots, DCA, signals, jobs, stats, or SQL');
  withExample(query, 'solflow query top-flows --window 1h --limit 20');
  query.addHelpText(
    'after',
    '\nTables shorten addresses; --json (one object per line) and --format csv print them in full.\n' +
      'Blocklisted mints are left out unless --include-blocked (see solflow blocklist).\n' +
      'Relative times (-1h) count back from the wall clock; for a historical database give ISO times.',
  );
  const act = <A extends unknown[]>(fn: (...args: A) => Promise<number>) => async (...args: A) => setExit(await fn(...args));

  const topFlowsCmd = dataCommand(query, 'top-flows', 'tokens ranked by net SOL flow over a window, with volume, wallets, bot and DCA shares', 25, true)
    .option('--window <w>', `${WINDOW_NAMES.join('|')}`, '5m')
    .option('--order <by>', `${FLOW_ORDERS.join('|')} (outflow = most net selling first)`, 'net')
    .option('--since <time>', `rank over this span instead, summed from the stored trades (any length, e.g. a day of a historical database); ${TIME_HELP}`)
    .option('--until <time>', `… up to this time (default: the newest trade); ${TIME_HELP}`)
    .action(act((opts: TopFlowsOpts) => runTopFlows(opts)));
  withExample(topFlowsCmd, 'solflow query top-flows --window 15m --order volume --json');
  topFlowsCmd.addHelpText('after', '\nWithout --since/--until the ranking is the rolling window as of the newest trade (token_metrics).');

  const tokenCmd = dataCommand(query, 'token', "one token: every window's flows, top buyers and sellers, recent trades and signals", 10, true)
    .argument('<mint>', 'token mint address')
    .option('--since <time>', `top buyers/sellers from this time (default: 4h before --until or the newest stored trade, since databases are often historical); ${TIME_HELP}`)
    .option('--until <time>', `… up to this time; ${TIME_HELP}`)
    .option('--only <section>', `one section: ${TOKEN_SECTIONS.join('|')} (needed for csv)`)
    .action(act((mint: string, opts: DataOpts & TimeOpts & { only?: string }) => runToken(mint, opts)));
  withExample(tokenCmd, 'solflow query token 7eR1yv7pUzhaqQneKJ2fmVTRuzY61ja5KwfbBrLsq1Gu --since 2025-06-01T00:00Z');

  const tradesCmd = dataCommand(query, 'trades', 'stored trades, newest first, filtered', 50, true)
    .option('--mint <mint>', 'only this token')
    .option('--wallet <address>', 'only this trader (the wallet whose funds moved)')
    .option('--venue <name>', 'only this venue (pumpfun, raydium-amm-v4, …)')
    .option('--side <side>', 'buy or sell')
    .option('--bot', 'only bot-flagged trades')
    .option('--no-bot', 'leave bot-flagged trades out')
    .option('--dca', 'only Jupiter DCA fills')
    .option('--no-dca', 'leave DCA fills out')
    .option('--signature <sig>', 'only the trades of this transaction')
    .option('--since <time>', TIME_HELP)
    .option('--until <time>', TIME_HELP)
    .action(act((opts: DataOpts & TimeOpts & TradeOpts) => runTrades(opts)));
  withExample(tradesCmd, 'solflow query trades --wallet <address> --side buy --no-bot --since -1d');

  const botsCmd = dataCommand(query, 'bots', 'wallets flagged as bots: flagged trades, SOL volume, tokens and why', 25, true)
    .option('--mint <mint>', 'only trades of this token')
    .option('--since <time>', TIME_HELP)
    .option('--until <time>', TIME_HELP)
    .action(act((opts: DataOpts & TimeOpts & { mint?: string }) => runBots(opts)));
  withExample(botsCmd, 'solflow query bots --since 2025-06-01 --limit 10');

  const dcaCmd = dataCommand(query, 'dca', 'Jupiter DCA fills per token: fills, wallets, SOL volume and share', 25, true)
    .option('--mint <mint>', 'only this token')
    .option('--since <time>', TIME_HELP)
    .option('--until <time>', TIME_HELP)
    .action(act((opts: DataOpts & TimeOpts & { mint?: string }) => runDca(opts)));
  withExample(dcaCmd, 'solflow query dca --since -7d --format csv');

  const signalsCmd = dataCommand(query, 'signals', 'recent flow signals with their strength and the numbers that fired them', 50, true)
    .option('--mint <mint>', 'only this token')
    .option('--type <type>', Object.keys(SIGNAL_TYPES).join('|'))
    .option('--min-strength <x>', 'only signals at least this strong (0..1)')
    .option('--since <time>', TIME_HELP)
    .option('--until <time>', TIME_HELP)
    .action(act((opts: DataOpts & TimeOpts & { mint?: string; type?: string; minStrength?: string }) => runSignals(opts)));
  withExample(signalsCmd, 'solflow query signals --type BREAKOUT --min-strength 0.5');

  const jobsCmd = dataCommand(query, 'jobs', 'backfill jobs: status, range, progress, gaps, last error', 20, false)
    .option('--kind <kind>', 'only jobs of this kind (backfill)')
    .action(act((opts: DataOpts & { kind?: string }) => runJobs(opts)));
  withExample(jobsCmd, 'solflow query jobs --json');

  const statsCmd = dataCommand(query, 'stats', 'row counts, database size, time and slots covered, schema version', null, false).action(
    act((opts: DataOpts) => runStats(opts)),
  );
  withExample(statsCmd, 'solflow query stats');

  const sqlCmd = dataCommand(query, 'sql', 'run one read-only SQL statement; anything that could write is refused (exit 2)', 1000, false)
    .argument('<statement>', 'SELECT …, WITH … SELECT …, VALUES, EXPLAIN QUERY PLAN, or a reporting PRAGMA')
    .action(act((statement: string, opts: DataOpts) => runSql(statement, opts)));
  withExample(sqlCmd, `solflow query sql "SELECT venue, count(*) AS n FROM trades GROUP BY venue ORDER BY n DESC"`);
  sqlCmd.addHelpText('after', '\nIntegers print exactly (64-bit values too); blocklisted mints are not filtered here.');
};

/** A subcommand with the options every data-printing query shares. */
function dataCommand(parent: Command, name: string, description: string, defaultLimit: number | null, blockable: boolean): Command {
  const cmd = parent
    .command(name)
    .description(description)
    .option('--db <path>', 'SQLite database (env SOLFLOW_DB, default ./solflow.db)')
    .option('--format <format>', 'table, json (one object per line) or csv', 'table')
    .option('--json', 'same as --format json');
  if (defaultLimit !== null) cmd.option('--limit <n>', `at most this many rows (default ${defaultLimit})`, String(defaultLimit));
  if (blockable) cmd.option('--include-blocked', 'include blocklisted mints');
  return cmd;
}

// ---------------------------------------------------------------------------------------------
// Shared plumbing


/**
 * Data to stdout. A reader that stops early (`| head`) closes the pipe; bin/solflow.js then ends
 * the process quietly, and this returns false so long outputs stop.
 */
export function out(text: string): boolean {
  if (process.stdout.destroyed) return false;
  if (text) process.stdout.write(text);
  return true;
}

function note(line: string): void {
  process.stderr.write(redactText(line) + '\n');
}

function limitOf(opts: DataOpts, max?: number): number {
  return parsePositiveInt('--limit', opts.limit ?? '50', max);
}

function span(opts: TimeOpts, now = Date.now()): { since?: number; until?: number } {
  const since = opts.since === undefined ? undefined : parseTimeOption('--since', opts.since, now);
  const until = opts.until === undefined ? undefined : parseTimeOption('--until', opts.until, now);
  if (since !== undefined && until !== undefined && since > until) throw new UsageError(`--since ${opts.since} is after --until ${opts.until}`);
  return { since, until };
}

function optionalAddress(what: string, text: string | undefined): string | undefined {
  return text === undefined ? undefined : parseAddress(what, text);
}

/** JSON Lines through `json` when the row has a richer JSON shape than its columns; else renderRows. */
function printRows<R>(rows: R[], columns: Column<R>[], format: OutputFormat, json?: (row: R) => unknown): void {
  if (format === 'json' && json) out(rows.map((r) => JSON.stringify(json(r)) + '\n').join(''));
  else out(renderRows(rows, columns, format));
}

/** The columns a table shows, under shorter headers; json and csv keep every column and key. */
function forTable<R>(columns: Column<R>[], show: Record<string, string>): Column<R>[] {
  return columns.filter((c) => c.key in show).map((c) => ({ ...c, key: show[c.key] }));
}

function objectOf<R>(row: R, columns: Column<R>[]): Record<string, unknown> {
  return Object.fromEntries(columns.map((c) => [c.key, c.value(row)]));
}

/** Lamports as an exact decimal SOL string (no grouping). */
function solText(lamports: bigint): string {
  return formatAmount(lamports, 9, 9).replace(/,/g, '');
}
/** Lamports as a JSON/CSV number of SOL. */
const solValue = (lamports: bigint | null): number | null => (lamports === null ? null : Number(solText(lamports)));
/** Lamports for people: SOL, grouped; small amounts keep more decimals so they do not read as 0. */
const solCell = (lamports: bigint | null): string => {
  if (lamports === null) return '-';
  const abs = lamports < 0n ? -lamports : lamports;
  return formatAmount(lamports, 9, abs >= 1_000_000_000n ? 3 : 6);
};
const isoOrNull = (t: number | null): string | null => (t === null ? null : isoTime(t));
const tokenCell = (mint: string, symbol: string | null): string => (symbol ? `${symbol} ${shortKey(mint)}` : shortKey(mint));

// ---------------------------------------------------------------------------------------------
// top-flows

type FlowTotals = Pick<WindowFlow, 'netFlow' | 'buyVolume' | 'sellVolume' | 'buyCount' | 'sellCount' | 'uniqueWallets' | 'botWallets' | 'botShare' | 'dcaWallets' | 'dcaShare'>;

/** SOL volumes, counts and wallets: the same columns in ranked lists and in a token's windows. */
function volumeColumns<R extends FlowTotals>(): Column<R>[] {
  return [
    { key: 'net_sol', value: (r) => solValue(r.netFlow), cell: (r) => solCell(r.netFlow), numeric: true },
    { key: 'buy_sol', value: (r) => solValue(r.buyVolume), cell: (r) => solCell(r.buyVolume), numeric: true },
    { key: 'sell_sol', value: (r) => solValue(r.sellVolume), cell: (r) => solCell(r.sellVolume), numeric: true },
    { key: 'buys', value: (r) => r.buyCount, numeric: true },
    { key: 'sells', value: (r) => r.sellCount, numeric: true },
    { key: 'wallets', value: (r) => r.uniqueWallets, numeric: true },
  ];
}

/** Bot and DCA wallets and shares, likewise shared. */
function botDcaColumns<R extends FlowTotals>(): Column<R>[] {
  return [
    { key: 'bot_wallets', value: (r) => r.botWallets, numeric: true },
    { key: 'bot_share', value: (r) => r.botShare, cell: (r) => percent(r.botShare), numeric: true },
    { key: 'dca_wallets', value: (r) => r.dcaWallets, numeric: true },
    { key: 'dca_share', value: (r) => r.dcaShare, cell: (r) => percent(r.dcaShare), numeric: true },
  ];
}

/** The columns every ranked flow list shares, whether from the rolling windows or a span. */
function rankedFlowColumns<R extends RankedFlow>(): Column<R>[] {
  return [
    { key: 'rank', value: (r) => r.rank, numeric: true },
    { key: 'mint', value: (r) => r.mint, cell: (r) => tokenCell(r.mint, r.symbol) + (r.blocked ? ' ⛔' : '') },
    { key: 'symbol', value: (r) => r.symbol },
    ...volumeColumns<R>(),
    ...botDcaColumns<R>(),
  ];
}

type RankedFlow = FlowTotals & Pick<SpanFlowRow, 'mint' | 'symbol' | 'blocked'> & { rank: number };

export type TopFlowsOpts = DataOpts & TimeOpts & { window: string; order: string };

export async function runTopFlows(opts: TopFlowsOpts): Promise<number> {
  const format = parseFormat(opts);
  const limit = limitOf(opts);
  const window = opts.window.trim() as WindowName;
  if (!WINDOW_NAMES.includes(window)) throw new UsageError(`bad --window '${opts.window}': expected ${WINDOW_NAMES.join(', ')}`);
  const order = opts.order.trim().toLowerCase() as FlowOrder;
  if (!FLOW_ORDERS.includes(order)) throw new UsageError(`bad --order '${opts.order}': expected ${FLOW_ORDERS.join(', ')}`);
  if (opts.since !== undefined || opts.until !== undefined) return runSpanFlows(opts, { format, limit, order });
  return withReader(opts.db, (db) => {
    const clock = storeClock(db.sqlite);
    const rows = topFlows(db.sqlite, { window, order, limit, includeBlocked: opts.includeBlocked });
    const newest = clock.newestTradeTime;
    const stale = (r: TopFlowRow) => newest !== null && r.asOf < newest;
    const cols: Column<TopFlowRow & { rank: number }>[] = [
      ...rankedFlowColumns<TopFlowRow & { rank: number }>(),
      { key: 'net_15m_sol', value: (r) => solValue(r.net15m), cell: (r) => solCell(r.net15m), numeric: true },
      { key: 'net_1h_sol', value: (r) => solValue(r.net1h), cell: (r) => solCell(r.net1h), numeric: true },
      { key: 'net_4h_sol', value: (r) => solValue(r.net4h), cell: (r) => solCell(r.net4h), numeric: true },
      { key: 'signal', value: (r) => r.lastSignal?.type ?? null, cell: (r) => (r.lastSignal ? `${r.lastSignal.type} ${percent(r.lastSignal.strength)}` : '-') },
      { key: 'signal_strength', value: (r) => r.lastSignal?.strength ?? null },
      { key: 'signal_time', value: (r) => isoOrNull(r.lastSignal?.blockTime ?? null) },
      { key: 'as_of', value: (r) => isoTime(r.asOf), cell: (r) => isoTime(r.asOf) + (stale(r) ? ' *' : '') },
      { key: 'stale', value: (r) => stale(r) },
      { key: 'blocked', value: (r) => r.blocked },
    ];
    const table = forTable(cols, {
      rank: '#', mint: 'token', net_sol: `net ${window}`, buy_sol: 'bought', sell_sol: 'sold', buys: 'buys', sells: 'sells', wallets: 'wallets',
      bot_share: 'bot', dca_share: 'DCA', net_15m_sol: 'net 15m', net_1h_sol: 'net 1h', net_4h_sol: 'net 4h', signal: 'signal', as_of: 'as of',
    });
    const ranked = rows.map((r, i) => ({ ...r, rank: i + 1 }));
    printRows(ranked, format === 'table' ? table : cols, format);
    if (format === 'table') {
      const asOf = clock.metricsAsOf === null ? 'never written' : isoTime(clock.metricsAsOf);
      note(`${window} window, by ${order}; metrics as of ${asOf} (chain clock), newest trade ${isoTime(newest)}${rows.length ? '' : '; no token traded in this window'}`);
    }
    const staleRows = rows.filter(stale).length;
    if (clock.metricsAsOf !== null && newest !== null && clock.metricsAsOf < newest) {
      note(`warning: metrics are ${newest - clock.metricsAsOf}s behind the newest trade (an ingest still running, or one that stopped before writing them)`);
    } else if (staleRows > 0) {
      note(`warning: ${staleRows} row(s) marked * are as of an older chain time than the newest trade`);
    }
    return EXIT.ok;
  });
}

function runSpanFlows(opts: TopFlowsOpts, p: { format: OutputFormat; limit: number; order: FlowOrder }): Promise<number> {
  const { since, until } = span(opts);
  return withReader(opts.db, (db) => {
    const rows = flowsOverSpan(db.sqlite, { since, until, order: p.order, limit: p.limit, includeBlocked: opts.includeBlocked });
    const cols: Column<SpanFlowRow & { rank: number }>[] = [
      ...rankedFlowColumns<SpanFlowRow & { rank: number }>(),
      { key: 'first_trade', value: (r) => isoOrNull(r.firstTrade) },
      { key: 'last_trade', value: (r) => isoOrNull(r.lastTrade), cell: (r) => isoTime(r.lastTrade) },
      { key: 'blocked', value: (r) => r.blocked },
    ];
    const table = forTable(cols, {
      rank: '#', mint: 'token', net_sol: 'net SOL', buy_sol: 'bought', sell_sol: 'sold', buys: 'buys', sells: 'sells', wallets: 'wallets',
      bot_share: 'bot', dca_share: 'DCA', last_trade: 'last trade',
    });
    printRows(rows.map((r, i) => ({ ...r, rank: i + 1 })), p.format === 'table' ? table : cols, p.format);
    if (p.format === 'table') {
      const from = since === undefined ? 'the first stored trade' : isoTime(since);
      const to = until === undefined ? 'the newest' : isoTime(until);
      note(`flows from ${from} to ${to}, by ${p.order}, summed from stored trades${rows.length ? '' : '; no trades in this span'}`);
    }
    return EXIT.ok;
  });
}

// ---------------------------------------------------------------------------------------------
// token <mint>

const TOKEN_SECTIONS = ['windows', 'buyers', 'sellers', 'trades', 'signals'] as const;
type TokenSection = (typeof TOKEN_SECTIONS)[number];

const WINDOW_COLUMNS: Column<WindowFlow>[] = [
  { key: 'window', value: (r) => r.window },
  ...volumeColumns<WindowFlow>(),
  { key: 'buyers', value: (r) => r.uniqueBuyers, numeric: true },
  { key: 'sellers', value: (r) => r.uniqueSellers, numeric: true },
  ...botDcaColumns<WindowFlow>(),
  { key: 'as_of', value: (r) => isoTime(r.asOf) },
];

const TRADER_COLUMNS: Column<TraderTotal>[] = [
  { key: 'wallet', value: (r) => r.trader, cell: (r) => shortKey(r.trader) },
  { key: 'sol', value: (r) => solValue(r.solVolume), cell: (r) => solCell(r.solVolume), numeric: true },
  { key: 'trades', value: (r) => r.trades, numeric: true },
  { key: 'bot_trades', value: (r) => r.botTrades, numeric: true },
  { key: 'dca_trades', value: (r) => r.dcaTrades, numeric: true },
  { key: 'first', value: (r) => isoOrNull(r.firstTime) },
  { key: 'last', value: (r) => isoOrNull(r.lastTime) },
];

async function runToken(mintArg: string, opts: DataOpts & TimeOpts & { only?: string }): Promise<number> {
  const format = parseFormat(opts);
  const limit = limitOf(opts);
  const mint = parseAddress('mint', mintArg);
  const only = opts.only === undefined ? undefined : (opts.only.trim().toLowerCase() as TokenSection);
  if (only !== undefined && !TOKEN_SECTIONS.includes(only)) throw new UsageError(`bad --only '${opts.only}': expected ${TOKEN_SECTIONS.join(', ')}`);
  if (format === 'csv' && only === undefined) throw new UsageError(`csv holds one table: add --only ${TOKEN_SECTIONS.join('|')}`);
  const given = span(opts);
  return withReader(opts.db, (db) => {
    const info = tokenInfo(db.sqlite, mint);
    if (info.blocked && !opts.includeBlocked) {
      throw new Error(`mint ${mint} is on the blocklist${info.blocked.reason ? ` (${info.blocked.reason})` : ''}; add --include-blocked to see it`);
    }
    if (info.trades === 0 && info.metricRows === 0 && info.signals === 0) throw new Error(`no trades, metrics or signals for mint ${mint} in ${db.path}`);
    const includeBlocked = true; // the blocklist was checked above: this mint was asked for
    const clock = storeClock(db.sqlite);
    // Databases are often historical: the default span ends at the store's chain clock, not now.
    const end = given.until ?? clock.newestTradeTime;
    const since = given.since ?? (end === null ? undefined : end - TOKEN_SPAN_SECONDS);
    const window = { since, until: given.until };
    const want = (s: TokenSection) => only === undefined || only === s;
    const windows = want('windows') ? tokenWindows(db.sqlite, mint, { includeBlocked }) : [];
    const buyers = want('buyers') ? topTraders(db.sqlite, { mint, side: 'buy', limit, ...window, includeBlocked }) : [];
    const sellers = want('sellers') ? topTraders(db.sqlite, { mint, side: 'sell', limit, ...window, includeBlocked }) : [];
    const trades = want('trades') ? findTrades(db.sqlite, { mint, limit, includeBlocked }) : [];
    const signals = want('signals') ? findSignals(db.sqlite, { mint, limit, includeBlocked }) : [];
    const spanText = `${since === undefined ? 'the beginning' : isoTime(since)} .. ${window.until === undefined ? 'the newest trade' : isoTime(window.until)}`;

    if (only !== undefined) {
      const sections: Record<TokenSection, () => void> = {
        windows: () => printRows(windows, WINDOW_COLUMNS, format),
        buyers: () => printRows(buyers, TRADER_COLUMNS, format),
        sellers: () => printRows(sellers, TRADER_COLUMNS, format),
        trades: () => printRows(trades, format === 'table' ? TRADE_TABLE_COLUMNS : TRADE_COLUMNS_OUT, format, tradeJson),
        signals: () => printRows(signals, SIGNAL_COLUMNS, format, signalJson),
      };
      sections[only]();
      return EXIT.ok;
    }
    if (format === 'json') {
      out(
        JSON.stringify({
          mint,
          symbol: info.symbol,
          name: info.name,
          blocked: info.blocked !== null,
          trades_stored: info.trades,
          newest_trade: isoOrNull(info.newestTradeTime),
          traders_since: isoOrNull(since ?? null),
          traders_until: isoOrNull(window.until ?? null),
          windows: windows.map((r) => objectOf(r, WINDOW_COLUMNS)),
          top_buyers: buyers.map((r) => objectOf(r, TRADER_COLUMNS)),
          top_sellers: sellers.map((r) => objectOf(r, TRADER_COLUMNS)),
          trades: trades.map(tradeJson),
          signals: signals.map(signalJson),
        }) + '\n',
      );
      return EXIT.ok;
    }
    const title = [info.symbol, info.name].filter(Boolean).join(' · ');
    out(`${title ? title + '  ' : ''}${mint}${info.blocked ? '  (blocklisted)' : ''}\n`);
    out(`${info.trades} trades stored, newest ${isoTime(info.newestTradeTime)}\n`);
    const section = <R>(title: string, rows: R[], columns: Column<R>[]) => out(`\n${title}\n${rows.length ? renderRows(rows, columns, format) : '(none)\n'}`);
    section('Flows by window', windows, WINDOW_COLUMNS.filter((c) => !['buyers', 'sellers'].includes(c.key)));
    section(`Top buyers by SOL, ${spanText}`, buyers, TRADER_COLUMNS);
    section(`Top sellers by SOL, ${spanText}`, sellers, TRADER_COLUMNS);
    section('Recent trades', trades, TRADE_TABLE_COLUMNS);
    section('Recent signals', signals, SIGNAL_COLUMNS);
    return EXIT.ok;
  });
}

// ---------------------------------------------------------------------------------------------
// trades

interface TradeOpts {
  mint?: string;
  wallet?: string;
  venue?: string;
  side?: string;
  bot?: boolean;
  dca?: boolean;
  signature?: string;
}

function tradeFlags(t: StoredTrade): string {
  return [t.isBot ? 'bot' : null, t.isDca ? 'DCA' : null, t.isLimitOrder ? 'limit' : null, t.platform].filter(Boolean).join(' ') || '-';
}

const TRADE_COLUMNS_OUT: Column<StoredTrade>[] = [
  { key: 'time', value: (t) => isoOrNull(t.blockTime), cell: (t) => isoTime(t.blockTime) },
  { key: 'signature', value: (t) => t.signature, cell: (t) => shortKey(t.signature, 6) },
  { key: 'ixPath', value: (t) => t.ixPath },
  { key: 'slot', value: (t) => t.slot },
  { key: 'venue', value: (t) => t.venue },
  { key: 'side', value: (t) => t.side },
  { key: 'baseMint', value: (t) => t.baseMint, cell: (t) => tokenCell(t.baseMint, t.symbol) },
  { key: 'baseAmount', value: (t) => t.baseAmount.toString(), cell: (t) => formatAmount(t.baseAmount, t.baseDecimals, 4), numeric: true },
  { key: 'baseDecimals', value: (t) => t.baseDecimals },
  { key: 'quoteMint', value: (t) => t.quoteMint },
  { key: 'quoteAmount', value: (t) => t.quoteAmount.toString(), cell: (t) => `${formatAmount(t.quoteAmount, t.quoteDecimals, 6)} ${mintLabel(t.quoteMint)}`, numeric: true },
  { key: 'quoteDecimals', value: (t) => t.quoteDecimals },
  { key: 'solAmount', value: (t) => (t.solAmount === null ? null : t.solAmount.toString()) },
  { key: 'trader', value: (t) => t.trader, cell: (t) => shortKey(t.trader) },
  { key: 'isBot', value: (t) => t.isBot, cell: tradeFlags },
  { key: 'isDca', value: (t) => t.isDca },
  { key: 'botReasons', value: (t) => t.botReasons.join(' ') },
];
const TRADE_TABLE_COLUMNS = forTable(TRADE_COLUMNS_OUT, {
  time: 'time', venue: 'venue', side: 'side', baseMint: 'token', baseAmount: 'amount', quoteAmount: 'paid/received', trader: 'trader', isBot: 'flags', signature: 'sig',
});

/** The trade record contract (as `decode --json` prints it) plus what the store added. */
function tradeJson(t: StoredTrade): Record<string, unknown> {
  const { id: _id, symbol, isBot, botReasons, ...trade } = t;
  return { ...tradeToJson(trade), isBot, botReasons, symbol, time: isoOrNull(t.blockTime) };
}

async function runTrades(opts: DataOpts & TimeOpts & TradeOpts): Promise<number> {
  const format = parseFormat(opts);
  const limit = limitOf(opts);
  const side = opts.side?.trim().toLowerCase();
  if (side !== undefined && side !== 'buy' && side !== 'sell') throw new UsageError(`bad --side '${opts.side}': expected buy or sell`);
  const venue = opts.venue?.trim().toLowerCase();
  if (venue !== undefined && !/^[a-z0-9][a-z0-9._-]*$/.test(venue)) throw new UsageError(`bad --venue '${opts.venue}': expected a venue name such as pumpfun or raydium-amm-v4`);
  const filter = {
    signature: opts.signature === undefined ? undefined : parseSignature('--signature', opts.signature),
    mint: optionalAddress('--mint', opts.mint),
    wallet: optionalAddress('--wallet', opts.wallet),
    venue,
    side: side as 'buy' | 'sell' | undefined,
    bot: opts.bot,
    dca: opts.dca,
    ...span(opts),
    limit,
    includeBlocked: opts.includeBlocked,
  };
  return withReader(opts.db, (db) => {
    const trades = findTrades(db.sqlite, filter);
    if (format === 'table') out(renderRows(trades, TRADE_TABLE_COLUMNS, format));
    else printRows(trades, TRADE_COLUMNS_OUT, format, tradeJson);
    if (format === 'table') note(`${trades.length} trade(s), newest first${trades.length === limit ? ` (first ${limit}; --limit for more)` : ''}`);
    return EXIT.ok;
  });
}

// ---------------------------------------------------------------------------------------------
// bots

const reasonsText = (b: BotWallet) => b.reasons.map((r) => `${r.kind}×${r.trades}`).join(' ') || '-';

const BOT_COLUMNS: Column<BotWallet>[] = [
  { key: 'wallet', value: (b) => b.wallet, cell: (b) => shortKey(b.wallet) },
  { key: 'bot_trades', value: (b) => b.botTrades, numeric: true },
  { key: 'trades', value: (b) => b.trades, numeric: true },
  { key: 'bot_sol', value: (b) => solValue(b.botSolVolume), cell: (b) => solCell(b.botSolVolume), numeric: true },
  { key: 'tokens', value: (b) => b.tokens, numeric: true },
  { key: 'last', value: (b) => isoOrNull(b.lastTime) },
  { key: 'reasons', value: reasonsText },
];

async function runBots(opts: DataOpts & TimeOpts & { mint?: string }): Promise<number> {
  const format = parseFormat(opts);
  const q = { mint: optionalAddress('--mint', opts.mint), ...span(opts), limit: limitOf(opts), includeBlocked: opts.includeBlocked };
  return withReader(opts.db, (db) => {
    const rows = botWallets(db.sqlite, q);
    printRows(rows, BOT_COLUMNS, format, (b) => ({ ...objectOf(b, BOT_COLUMNS), reasons: Object.fromEntries(b.reasons.map((r) => [r.kind, r.trades])) }));
    if (format === 'table') note('reasons: kind×flagged trades (rate = many trades a minute, fixed-size = repeated sizes, round-trip = buy and sell back, sandwich = around a victim)');
    return EXIT.ok;
  });
}

// ---------------------------------------------------------------------------------------------
// dca

const DCA_COLUMNS: Column<DcaToken>[] = [
  { key: 'mint', value: (d) => d.mint, cell: (d) => tokenCell(d.mint, d.symbol) },
  { key: 'symbol', value: (d) => d.symbol },
  { key: 'fills', value: (d) => d.fills, numeric: true },
  { key: 'buy_fills', value: (d) => d.buyFills, numeric: true },
  { key: 'sell_fills', value: (d) => d.sellFills, numeric: true },
  { key: 'wallets', value: (d) => d.wallets, numeric: true },
  { key: 'sol', value: (d) => solValue(d.solVolume), cell: (d) => solCell(d.solVolume), numeric: true },
  { key: 'buy_sol', value: (d) => solValue(d.buySolVolume), cell: (d) => solCell(d.buySolVolume), numeric: true },
  { key: 'share', value: (d) => d.share, cell: (d) => percent(d.share), numeric: true },
  { key: 'last', value: (d) => isoOrNull(d.lastTime) },
];

async function runDca(opts: DataOpts & TimeOpts & { mint?: string }): Promise<number> {
  const format = parseFormat(opts);
  const q = { mint: optionalAddress('--mint', opts.mint), ...span(opts), limit: limitOf(opts), includeBlocked: opts.includeBlocked };
  return withReader(opts.db, (db) => {
    const rows = dcaByToken(db.sqlite, q);
    printRows(rows, format === 'table' ? DCA_COLUMNS.filter((c) => c.key !== 'symbol') : DCA_COLUMNS, format);
    if (format === 'table') note("share: DCA fills' part of the token's SOL volume over the same span");
    return EXIT.ok;
  });
}

// ---------------------------------------------------------------------------------------------
// signals

const inputsText = (s: StoredSignal) =>
  Object.entries(s.inputs)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');

const SIGNAL_COLUMNS: Column<StoredSignal>[] = [
  { key: 'time', value: (s) => isoTime(s.blockTime) },
  { key: 'mint', value: (s) => s.mint, cell: (s) => tokenCell(s.mint, s.symbol) },
  { key: 'type', value: (s) => s.type },
  { key: 'strength', value: (s) => s.strength, cell: (s) => s.strength.toFixed(2), numeric: true },
  { key: 'window', value: (s) => s.window },
  { key: 'inputs', value: (s) => JSON.stringify(s.inputs), cell: inputsText },
  { key: 'signature', value: (s) => s.signature, cell: (s) => shortKey(s.signature, 6) },
];

function signalJson(s: StoredSignal): Record<string, unknown> {
  return { id: s.id, time: isoTime(s.blockTime), blockTime: s.blockTime, slot: s.slot, mint: s.mint, symbol: s.symbol, type: s.type, strength: s.strength, window: s.window, signature: s.signature, inputs: s.inputs };
}

async function runSignals(opts: DataOpts & TimeOpts & { mint?: string; type?: string; minStrength?: string }): Promise<number> {
  const format = parseFormat(opts);
  const type = opts.type?.trim().toUpperCase();
  if (type !== undefined && !(type in SIGNAL_TYPES)) throw new UsageError(`bad --type '${opts.type}': expected ${Object.keys(SIGNAL_TYPES).join(', ')}`);
  let minStrength: number | undefined;
  if (opts.minStrength !== undefined) {
    minStrength = Number(opts.minStrength);
    if (!/^\s*\d*\.?\d+\s*$/.test(opts.minStrength) || minStrength > 1) throw new UsageError(`bad --min-strength '${opts.minStrength}': expected a number from 0 to 1`);
  }
  const q = { mint: optionalAddress('--mint', opts.mint), type, minStrength, ...span(opts), limit: limitOf(opts), includeBlocked: opts.includeBlocked };
  return withReader(opts.db, (db) => {
    printRows(findSignals(db.sqlite, q), SIGNAL_COLUMNS, format, signalJson);
    return EXIT.ok;
  });
}

// ---------------------------------------------------------------------------------------------
// jobs

type Job = JobRow<Record<string, unknown>, Record<string, unknown>>;

const JOB_COLUMNS: Column<Job>[] = [
  { key: 'id', value: (j) => j.id, numeric: true },
  { key: 'kind', value: (j) => j.kind },
  { key: 'status', value: (j) => j.status },
  { key: 'range', value: (j) => (typeof j.params.range === 'string' ? j.params.range : null) },
  { key: 'slots', value: (j) => (typeof j.params.start === 'number' ? `${j.params.start}..${j.params.end}` : null) },
  { key: 'cursor', value: (j) => (typeof j.cursor?.pos === 'number' ? j.cursor.pos : null), numeric: true },
  { key: 'trades', value: (j) => j.counts.trades ?? null, numeric: true },
  { key: 'gaps', value: (j) => j.gaps.length, numeric: true },
  { key: 'updated', value: (j) => new Date(j.updatedAt).toISOString() },
  { key: 'finished', value: (j) => (j.finishedAt === null ? null : new Date(j.finishedAt).toISOString()) },
  { key: 'last_error', value: (j) => (j.lastError === null ? null : redactText(j.lastError)) },
];

async function runJobs(opts: DataOpts & { kind?: string }): Promise<number> {
  const format = parseFormat(opts);
  const limit = limitOf(opts);
  return withReader(opts.db, (db) => {
    const jobs = listJobs(db.sqlite, { kind: opts.kind?.trim(), limit }) as Job[];
    printRows(jobs, JOB_COLUMNS, format, (j) =>
      JSON.parse(redactText(JSON.stringify({ ...objectOf(j, JOB_COLUMNS), params: j.params, counts: j.counts, gaps: j.gaps, created: new Date(j.createdAt).toISOString() }))),
    );
    if (format === 'table' && jobs.length === 0) note('no jobs');
    return EXIT.ok;
  });
}

// ---------------------------------------------------------------------------------------------
// stats

async function runStats(opts: DataOpts): Promise<number> {
  const format = parseFormat(opts);
  return withReader(opts.db, (db) => {
    const s = storeStats(db.sqlite, db.path, db.schemaVersion);
    const flat: Record<string, string | number | null> = {
      path: s.path,
      schema_version: s.schemaVersion,
      db_bytes: s.fileBytes,
      wal_bytes: s.walBytes,
      shm_bytes: s.shmBytes,
      total_bytes: s.fileBytes + s.walBytes + s.shmBytes,
      ...Object.fromEntries(Object.entries(s.rows).map(([t, n]) => [`rows_${t}`, n])),
      mints: s.mints,
      wallets: s.wallets,
      first_trade: isoOrNull(s.firstTradeTime),
      last_trade: isoOrNull(s.lastTradeTime),
      first_slot: s.firstSlot,
      last_slot: s.lastSlot,
      trades_without_time: s.tradesWithoutTime,
      metrics_as_of: isoOrNull(s.metricsAsOf),
    };
    if (format === 'json') out(JSON.stringify(flat) + '\n');
    else if (format === 'csv') out(`${Object.keys(flat).map(csvField).join(',')}\n${Object.values(flat).map(csvField).join(',')}\n`);
    else {
      const table = makeTable(['stat', 'value']);
      const mb = (b: number) => `${(b / 1024 / 1024).toFixed(2)} MB`;
      table.push(['database', s.path], ['schema version', String(s.schemaVersion)]);
      table.push(['size', `${mb(s.fileBytes + s.walBytes + s.shmBytes)} (file ${mb(s.fileBytes)}, wal ${mb(s.walBytes)}, shm ${mb(s.shmBytes)})`]);
      for (const [t, n] of Object.entries(s.rows)) table.push([`rows: ${t}`, n.toLocaleString('en-US')]);
      table.push(['distinct mints / wallets', `${s.mints.toLocaleString('en-US')} / ${s.wallets.toLocaleString('en-US')}`]);
      table.push(['chain time covered', s.firstTradeTime === null ? '-' : `${isoTime(s.firstTradeTime)} .. ${isoTime(s.lastTradeTime)}`]);
      table.push(['slots covered', s.firstSlot === null ? '-' : `${s.firstSlot} .. ${s.lastSlot}`]);
      if (s.tradesWithoutTime > 0) table.push(['trades without block time', String(s.tradesWithoutTime)]);
      table.push(['metrics as of', isoTime(s.metricsAsOf)]);
      out(table.toString() + '\n');
    }
    return EXIT.ok;
  });
}

// ---------------------------------------------------------------------------------------------
// sql

/**
 * One SQL value as JSON text; 64-bit integers keep every digit, blobs become hex strings. Stored
 * rows are redacted on the way in; text is redacted again here in case a URL got in another way.
 */
function sqlJson(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return Number.isFinite(v) ? JSON.stringify(v) : 'null';
  if (Buffer.isBuffer(v)) return JSON.stringify(v.toString('hex'));
  return JSON.stringify(redactText(String(v)));
}

function sqlText(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (Buffer.isBuffer(v)) return v.toString('hex');
  return typeof v === 'string' ? redactText(v) : String(v);
}

async function runSql(statement: string, opts: DataOpts): Promise<number> {
  const format = parseFormat(opts);
  const limit = limitOf(opts, 1_000_000_000);
  return withReader(opts.db, (db) => {
    let stmt;
    try {
      stmt = prepareReadOnly(db.sqlite, statement);
    } catch (err) {
      if (err instanceof ReadOnlySqlError) throw new UsageError(err.message);
      throw err;
    }
    stmt.safeIntegers(true).raw(true);
    const names = stmt.columns().map((c) => c.name);
    // Duplicate names (a.mint, b.mint) stay apart in JSON as mint, mint_2, …
    const seen = new Map<string, number>();
    const keys = names.map((n) => {
      const k = seen.get(n) ?? 0;
      seen.set(n, k + 1);
      return k === 0 ? n : `${n}_${k + 1}`;
    });
    let count = 0;
    let more = false;
    const rows: unknown[][] = [];
    if (format === 'csv') out(keys.map(csvField).join(',') + '\n');
    for (const row of stmt.iterate() as IterableIterator<unknown[]>) {
      if (count === limit) {
        more = true;
        break;
      }
      count++;
      // json and csv stream row by row; a table has to see every row first.
      let open = true;
      if (format === 'json') open = out(`{${keys.map((k, i) => `${JSON.stringify(k)}:${sqlJson(row[i])}`).join(',')}}\n`);
      else if (format === 'csv') open = out(row.map((v) => csvField(sqlText(v))).join(',') + '\n');
      else rows.push(row);
      if (!open) break;
    }
    if (format === 'table') {
      const cols: Column<unknown[]>[] = keys.map((k, i) => ({ key: k, value: (r) => sqlText(r[i]), numeric: false }));
      out(renderRows(rows, cols, 'table'));
    }
    if (more) note(`stopped after ${limit} rows; --limit N for more`);
    return EXIT.ok;
  });
}
