/** `query trades`: stored trades, newest first, filtered. */
import { sideText } from '../../format/side.js';
import { tradeToJson } from '../../core/trade.js';
import type { StoredTrade } from '../../core/store/reports.js';
import { EXIT, UsageError } from '../errors.js';
import { withReader } from '../with-db.js';
import { isoTime, formatAmount, mintLabel, plural, shortKey } from '../format.js';
import { parseFormat, parseSignature } from '../options.js';
import { renderRows, type Column } from '../output.js';
import { forTable, isoOrNull, limitOf, note, optionalAddress, out, printRows, span, tokenCell, type DataOpts, type TimeOpts } from './common.js';

export interface TradeOpts {
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

export const TRADE_COLUMNS_OUT: Column<StoredTrade>[] = [
  { key: 'time', value: (t) => isoOrNull(t.blockTime), cell: (t) => isoTime(t.blockTime), priority: 6 },
  { key: 'signature', value: (t) => t.signature, cell: (t) => shortKey(t.signature, 6), priority: 2 },
  { key: 'ixPath', value: (t) => t.ixPath },
  { key: 'slot', value: (t) => t.slot },
  { key: 'venue', value: (t) => t.venue, priority: 4 },
  { key: 'side', value: (t) => t.side, cell: sideText, priority: 9 },
  { key: 'baseMint', value: (t) => t.baseMint, cell: (t) => tokenCell(t.baseMint, t.symbol), priority: 10, minWidth: 11 },
  { key: 'baseAmount', value: (t) => t.baseAmount.toString(), cell: (t) => formatAmount(t.baseAmount, t.baseDecimals, 4), numeric: true, priority: 8 },
  { key: 'baseDecimals', value: (t) => t.baseDecimals },
  { key: 'quoteMint', value: (t) => t.quoteMint },
  { key: 'quoteAmount', value: (t) => t.quoteAmount.toString(), cell: (t) => `${formatAmount(t.quoteAmount, t.quoteDecimals, 6)} ${mintLabel(t.quoteMint)}`, numeric: true, priority: 7 },
  { key: 'quoteDecimals', value: (t) => t.quoteDecimals },
  { key: 'solAmount', value: (t) => (t.solAmount === null ? null : t.solAmount.toString()) },
  { key: 'trader', value: (t) => t.trader, cell: (t) => shortKey(t.trader), priority: 5 },
  { key: 'isBot', value: (t) => t.isBot, cell: tradeFlags, priority: 3 },
  { key: 'isDca', value: (t) => t.isDca },
  { key: 'botReasons', value: (t) => t.botReasons.join(' ') },
];
export const TRADE_TABLE_COLUMNS = forTable(TRADE_COLUMNS_OUT, {
  time: 'time', venue: 'venue', side: 'side', baseMint: 'token', baseAmount: 'amount', quoteAmount: 'paid/received', trader: 'trader', isBot: 'flags', signature: 'sig',
});

/** The trade record contract (as `decode --json` prints it) plus what the store added. */
export function tradeJson(t: StoredTrade): Record<string, unknown> {
  const { id: _id, symbol, isBot, botReasons, ...trade } = t;
  return { ...tradeToJson(trade), isBot, botReasons, symbol, time: isoOrNull(t.blockTime) };
}

export async function runTrades(opts: DataOpts & TimeOpts & TradeOpts): Promise<number> {
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
  return withReader(opts.db, async (store) => {
    const trades = await store.reports.findTrades(filter);
    if (format === 'table') out(renderRows(trades, TRADE_TABLE_COLUMNS, format));
    else printRows(trades, TRADE_COLUMNS_OUT, format, tradeJson);
    if (format === 'table') note(`${plural(trades.length, 'trade')}, newest first${trades.length === limit ? ` (first ${limit}; --limit for more)` : ''}`);
    return EXIT.ok;
  });
}

