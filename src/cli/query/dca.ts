/** `query dca`: Jupiter DCA fills per token. */
import type { DcaToken } from '../../core/store/reports.js';
import { EXIT } from '../errors.js';
import { withReader } from '../with-db.js';
import { percent } from '../format.js';
import { parseFormat } from '../options.js';
import type { Column } from '../output.js';
import { isoOrNull, limitOf, note, optionalAddress, printRows, solCell, solValue, span, tokenCell, type DataOpts, type TimeOpts } from './common.js';

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

export async function runDca(opts: DataOpts & TimeOpts & { mint?: string }): Promise<number> {
  const format = parseFormat(opts);
  const q = { mint: optionalAddress('--mint', opts.mint), ...span(opts), limit: limitOf(opts), includeBlocked: opts.includeBlocked };
  return withReader(opts.db, async (store) => {
    const rows = await store.reports.dcaByToken(q);
    printRows(rows, format === 'table' ? DCA_COLUMNS.filter((c) => c.key !== 'symbol') : DCA_COLUMNS, format);
    if (format === 'table') note("share: DCA fills' part of the token's SOL volume over the same span");
    return EXIT.ok;
  });
}

