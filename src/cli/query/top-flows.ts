/** `query top-flows`: tokens ranked over a rolling window, or over any span summed from trades. */
import type { WindowName } from '../../core/flow/types.js';
import { FLOW_ORDERS, type FlowOrder, type SpanFlowRow, type TopFlowRow } from '../../core/store/reports.js';
import { EXIT, UsageError } from '../errors.js';
import { withReader } from '../with-db.js';
import { isoTime, percent } from '../format.js';
import { parseFormat, type OutputFormat } from '../options.js';
import type { Column } from '../output.js';
import { rankedFlowColumns } from './columns.js';
import { forTable, isoOrNull, limitOf, note, printRows, solCell, solValue, span, type DataOpts, type TimeOpts } from './common.js';
import { WINDOW_NAMES } from './names.js';

export type TopFlowsOpts = DataOpts & TimeOpts & { window: string; order: string; includeQuotes?: boolean };

export async function runTopFlows(opts: TopFlowsOpts): Promise<number> {
  const format = parseFormat(opts);
  const limit = limitOf(opts);
  const window = opts.window.trim() as WindowName;
  if (!WINDOW_NAMES.includes(window)) throw new UsageError(`bad --window '${opts.window}': expected ${WINDOW_NAMES.join(', ')}`);
  const order = opts.order.trim().toLowerCase() as FlowOrder;
  if (!FLOW_ORDERS.includes(order)) throw new UsageError(`bad --order '${opts.order}': expected ${FLOW_ORDERS.join(', ')}`);
  if (opts.since !== undefined || opts.until !== undefined) return runSpanFlows(opts, { format, limit, order });
  return withReader(opts.db, async (store) => {
    const clock = await store.reports.storeClock();
    const rows = await store.reports.topFlows({ window, order, limit, includeBlocked: opts.includeBlocked, includeQuotes: opts.includeQuotes });
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
    // The longer horizons beside the window's own net flow; the one equal to the window is that column already.
    const horizons: Record<string, string> = { net_15m_sol: 'net 15m', net_1h_sol: 'net 1h', net_4h_sol: 'net 4h' };
    delete horizons[`net_${window}_sol`];
    const table = forTable(cols, {
      rank: '#', mint: 'token', net_sol: `net ${window}`, buy_sol: 'bought', sell_sol: 'sold', buys: 'buys', sells: 'sells', wallets: 'wallets',
      bot_share: 'bot', dca_share: 'DCA', ...horizons, signal: 'signal', as_of: 'as of',
    });
    const ranked = rows.map((r, i) => ({ ...r, rank: i + 1 }));
    printRows(ranked, format === 'table' ? table : cols, format);
    if (format === 'table') {
      const asOf = clock.metricsAsOf === null ? 'never written' : isoTime(clock.metricsAsOf);
      note(`${window} window, by ${order}${quotesNote(opts)}; metrics as of ${asOf} (chain clock), newest trade ${isoTime(newest)}${rows.length ? '' : '; no token traded in this window'}`);
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

export function runSpanFlows(opts: TopFlowsOpts, p: { format: OutputFormat; limit: number; order: FlowOrder }): Promise<number> {
  const { since, until } = span(opts);
  return withReader(opts.db, async (store) => {
    const rows = await store.reports.flowsOverSpan({ since, until, order: p.order, limit: p.limit, includeBlocked: opts.includeBlocked, includeQuotes: opts.includeQuotes });
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
      note(`flows from ${from} to ${to}, by ${p.order}${quotesNote(opts)}, summed from stored trades${rows.length ? '' : '; no trades in this span'}`);
    }
    return EXIT.ok;
  });
}


function quotesNote(opts: TopFlowsOpts): string {
  return opts.includeQuotes ? '; SOL and stablecoins included' : '; SOL and stablecoins left out (--include-quotes)';
}
