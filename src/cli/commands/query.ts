/**
 * `solflow query …`: the subcommands' options and help. Each subcommand's code is one file in
 * src/cli/query/ (its report one file in src/store/reports/), loaded only when it runs: adding
 * a report is one new file there and one entry below.
 */
import type { Command } from 'commander';
import { FLOW_ORDERS } from '../../core/store/reports.js';
import { withExample } from '../examples.js';
import type { DataOpts, TimeOpts } from '../query/common.js';
import { SIGNAL_TYPES, TOKEN_SECTIONS, WINDOW_NAMES } from '../query/names.js';
import type { TopFlowsOpts } from '../query/top-flows.js';
import type { TradeOpts } from '../query/trades.js';
import type { CommandRegistrar } from './types.js';

const TIME_HELP = 'ISO time (2025-06-01T00:00Z), date, unix seconds, or relative to the wall clock (-1h, -7d)';

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
    .option('--include-quotes', 'rank SOL and the stablecoins too (left out by default: SOL ↔ USDC is no flow into a token)')
    .action(act(async (opts: TopFlowsOpts) => (await import('../query/top-flows.js')).runTopFlows(opts)));
  withExample(topFlowsCmd, 'solflow query top-flows --window 15m --order volume --json');
  topFlowsCmd.addHelpText('after', '\nWithout --since/--until the ranking is the rolling window as of the newest trade (token_metrics).');

  const tokenCmd = dataCommand(query, 'token', "one token: every window's flows, top buyers and sellers, recent trades and signals", 10, true)
    .argument('<mint>', 'token mint address')
    .option('--since <time>', `top buyers/sellers from this time (default: 4h before --until or the newest stored trade, since databases are often historical); ${TIME_HELP}`)
    .option('--until <time>', `… up to this time; ${TIME_HELP}`)
    .option('--only <section>', `one section: ${TOKEN_SECTIONS.join('|')} (needed for csv)`)
    .action(act(async (mint: string, opts: DataOpts & TimeOpts & { only?: string }) => (await import('../query/token.js')).runToken(mint, opts)));
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
    .action(act(async (opts: DataOpts & TimeOpts & TradeOpts) => (await import('../query/trades.js')).runTrades(opts)));
  withExample(tradesCmd, 'solflow query trades --wallet <address> --side buy --no-bot --since -1d');

  const botsCmd = dataCommand(query, 'bots', 'wallets flagged as bots: flagged trades, SOL volume, tokens and why', 25, true)
    .option('--mint <mint>', 'only trades of this token')
    .option('--since <time>', TIME_HELP)
    .option('--until <time>', TIME_HELP)
    .action(act(async (opts: DataOpts & TimeOpts & { mint?: string }) => (await import('../query/bots.js')).runBots(opts)));
  withExample(botsCmd, 'solflow query bots --since 2025-06-01 --limit 10');

  const dcaCmd = dataCommand(query, 'dca', 'Jupiter DCA fills per token: fills, wallets, SOL volume and share', 25, true)
    .option('--mint <mint>', 'only this token')
    .option('--since <time>', TIME_HELP)
    .option('--until <time>', TIME_HELP)
    .action(act(async (opts: DataOpts & TimeOpts & { mint?: string }) => (await import('../query/dca.js')).runDca(opts)));
  withExample(dcaCmd, 'solflow query dca --since -7d --format csv');

  const signalsCmd = dataCommand(query, 'signals', 'recent flow signals with their strength and the numbers that fired them', 50, true)
    .option('--mint <mint>', 'only this token')
    .option('--type <type>', Object.keys(SIGNAL_TYPES).join('|'))
    .option('--min-strength <x>', 'only signals at least this strong (0..1)')
    .option('--since <time>', TIME_HELP)
    .option('--until <time>', TIME_HELP)
    .action(act(async (opts: DataOpts & TimeOpts & { mint?: string; type?: string; minStrength?: string }) => (await import('../query/signals.js')).runSignals(opts)));
  withExample(signalsCmd, 'solflow query signals --type BREAKOUT --min-strength 0.5');

  const jobsCmd = dataCommand(query, 'jobs', 'backfill jobs: status, range, progress, gaps, last error', 20, false)
    .option('--kind <kind>', 'only jobs of this kind (backfill)')
    .action(act(async (opts: DataOpts & { kind?: string }) => (await import('../query/jobs.js')).runJobs(opts)));
  withExample(jobsCmd, 'solflow query jobs --json');

  const statsCmd = dataCommand(query, 'stats', 'row counts, database size, time and slots covered, schema version', null, false).action(
    act(async (opts: DataOpts) => (await import('../query/stats.js')).runStats(opts)),
  );
  withExample(statsCmd, 'solflow query stats');

  const sqlCmd = dataCommand(query, 'sql', 'run one read-only SQL statement; anything that could write is refused (exit 2)', 1000, false)
    .argument('<statement>', 'SELECT …, WITH … SELECT …, VALUES, EXPLAIN QUERY PLAN, or a reporting PRAGMA')
    .action(act(async (statement: string, opts: DataOpts) => (await import('../query/sql.js')).runSql(statement, opts)));
  withExample(sqlCmd, `solflow query sql "SELECT venue, count(*) AS n FROM trades GROUP BY venue ORDER BY n DESC"`);
  sqlCmd.addHelpText('after', '\nIntegers print exactly (64-bit values too); blocklisted mints are not filtered here.');
};

/** A subcommand with the options every data-printing query shares. */
function dataCommand(parent: Command, name: string, description: string, defaultLimit: number | null, blockable: boolean): Command {
  const cmd = parent
    .command(name)
    .description(description)
    .option('--db <path>', 'SQLite database (env SOLFLOW_DB, default ./solflow.db)')
    .option('--format <format>', 'table, json or ndjson (the same: one object per line) or csv', 'table')
    .option('--json', 'same as --format json');
  if (defaultLimit !== null) cmd.option('--limit <n>', 'at most this many rows', String(defaultLimit));
  if (blockable) cmd.option('--include-blocked', 'include blocklisted mints');
  return cmd;
}

