/** `query token <mint>`: every window's flows, top buyers and sellers, recent trades and signals. */
import type { TraderTotal, WindowFlow } from '../../core/store/reports.js';
import { EXIT, UsageError } from '../errors.js';
import { withReader } from '../with-db.js';
import { isoTime, plural, shortKey } from '../format.js';
import { parseAddress, parseFormat } from '../options.js';
import { renderRows, type Column } from '../output.js';
import { botDcaColumns, volumeColumns } from './columns.js';
import { isoOrNull, limitOf, objectOf, out, printRows, solCell, solValue, span, type DataOpts, type TimeOpts } from './common.js';
import { TOKEN_SECTIONS, type TokenSection } from './names.js';

const TOKEN_SPAN_SECONDS = 4 * 3600;
import { SIGNAL_COLUMNS, signalJson } from './signals.js';
import { TRADE_COLUMNS_OUT, TRADE_TABLE_COLUMNS, tradeJson } from './trades.js';

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

export async function runToken(mintArg: string, opts: DataOpts & TimeOpts & { only?: string }): Promise<number> {
  const format = parseFormat(opts);
  const limit = limitOf(opts);
  const mint = parseAddress('mint', mintArg);
  const only = opts.only === undefined ? undefined : (opts.only.trim().toLowerCase() as TokenSection);
  if (only !== undefined && !TOKEN_SECTIONS.includes(only)) throw new UsageError(`bad --only '${opts.only}': expected ${TOKEN_SECTIONS.join(', ')}`);
  if (format === 'csv' && only === undefined) throw new UsageError(`csv holds one table: add --only ${TOKEN_SECTIONS.join('|')}`);
  const given = span(opts);
  return withReader(opts.db, async (store) => {
    const info = await store.reports.tokenInfo(mint);
    if (info.blocked && !opts.includeBlocked) {
      throw new Error(`mint ${mint} is on the blocklist${info.blocked.reason ? ` (${info.blocked.reason})` : ''}; add --include-blocked to see it`);
    }
    if (info.trades === 0 && info.metricRows === 0 && info.signals === 0) throw new Error(`no trades, metrics or signals for mint ${mint} in ${store.location}`);
    const includeBlocked = true; // the blocklist was checked above: this mint was asked for
    const clock = await store.reports.storeClock();
    // Databases are often historical: the default span ends at the store's chain clock, not now.
    const end = given.until ?? clock.newestTradeTime;
    const since = given.since ?? (end === null ? undefined : end - TOKEN_SPAN_SECONDS);
    const window = { since, until: given.until };
    const want = (s: TokenSection) => only === undefined || only === s;
    const windows = want('windows') ? await store.reports.tokenWindows(mint, { includeBlocked }) : [];
    const buyers = want('buyers') ? await store.reports.topTraders({ mint, side: 'buy', limit, ...window, includeBlocked }) : [];
    const sellers = want('sellers') ? await store.reports.topTraders({ mint, side: 'sell', limit, ...window, includeBlocked }) : [];
    const trades = want('trades') ? await store.reports.findTrades({ mint, limit, includeBlocked }) : [];
    const signals = want('signals') ? await store.reports.findSignals({ mint, limit, includeBlocked }) : [];
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
    out(`${plural(info.trades, 'trade')} stored, newest ${isoTime(info.newestTradeTime)}\n`);
    const section = <R>(title: string, rows: R[], columns: Column<R>[]) => out(`\n${title}\n${rows.length ? renderRows(rows, columns, format) : '(none)\n'}`);
    section('Flows by window', windows, WINDOW_COLUMNS.filter((c) => !['buyers', 'sellers'].includes(c.key)));
    section(`Top buyers by SOL, ${spanText}`, buyers, TRADER_COLUMNS);
    section(`Top sellers by SOL, ${spanText}`, sellers, TRADER_COLUMNS);
    section('Recent trades', trades, TRADE_TABLE_COLUMNS);
    section('Recent signals', signals, SIGNAL_COLUMNS);
    return EXIT.ok;
  });
}

