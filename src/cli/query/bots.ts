/** `query bots`: wallets flagged as bots, with why. */
import type { BotWallet } from '../../core/store/reports.js';
import { EXIT } from '../errors.js';
import { withReader } from '../with-db.js';
import { shortKey } from '../format.js';
import { parseFormat } from '../options.js';
import type { Column } from '../output.js';
import { isoOrNull, limitOf, note, objectOf, optionalAddress, printRows, solCell, solValue, span, type DataOpts, type TimeOpts } from './common.js';

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

export async function runBots(opts: DataOpts & TimeOpts & { mint?: string }): Promise<number> {
  const format = parseFormat(opts);
  const q = { mint: optionalAddress('--mint', opts.mint), ...span(opts), limit: limitOf(opts), includeBlocked: opts.includeBlocked };
  return withReader(opts.db, async (store) => {
    const rows = await store.reports.botWallets(q);
    printRows(rows, BOT_COLUMNS, format, (b) => ({ ...objectOf(b, BOT_COLUMNS), reasons: Object.fromEntries(b.reasons.map((r) => [r.kind, r.trades])) }));
    if (format === 'table') note('reasons: kind×flagged trades (rate = many trades a minute, fixed-size = repeated sizes, round-trip = buy and sell back, sandwich = around a victim)');
    return EXIT.ok;
  });
}

