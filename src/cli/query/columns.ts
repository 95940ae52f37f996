/** Flow columns shared by the ranked lists (top-flows) and a token's windows (token). */
import type { SpanFlowRow, WindowFlow } from '../../core/store/reports.js';
import { percent } from '../format.js';
import type { Column } from '../output.js';
import { solCell, solValue, tokenCell } from './common.js';

export type FlowTotals = Pick<WindowFlow, 'netFlow' | 'buyVolume' | 'sellVolume' | 'buyCount' | 'sellCount' | 'uniqueWallets' | 'botWallets' | 'botShare' | 'dcaWallets' | 'dcaShare'>;

/** SOL volumes, counts and wallets: the same columns in ranked lists and in a token's windows. */
export function volumeColumns<R extends FlowTotals>(): Column<R>[] {
  return [
    { key: 'net_sol', value: (r) => solValue(r.netFlow), cell: (r) => solCell(r.netFlow), numeric: true, priority: 9 },
    { key: 'buy_sol', value: (r) => solValue(r.buyVolume), cell: (r) => solCell(r.buyVolume), numeric: true, priority: 6 },
    { key: 'sell_sol', value: (r) => solValue(r.sellVolume), cell: (r) => solCell(r.sellVolume), numeric: true, priority: 6 },
    { key: 'buys', value: (r) => r.buyCount, numeric: true, priority: 4 },
    { key: 'sells', value: (r) => r.sellCount, numeric: true, priority: 4 },
    { key: 'wallets', value: (r) => r.uniqueWallets, numeric: true, priority: 5 },
  ];
}

/** Bot and DCA wallets and shares, likewise shared. */
export function botDcaColumns<R extends FlowTotals>(): Column<R>[] {
  return [
    { key: 'bot_wallets', value: (r) => r.botWallets, numeric: true, priority: 2 },
    { key: 'bot_share', value: (r) => r.botShare, cell: (r) => percent(r.botShare), numeric: true, priority: 3 },
    { key: 'dca_wallets', value: (r) => r.dcaWallets, numeric: true, priority: 2 },
    { key: 'dca_share', value: (r) => r.dcaShare, cell: (r) => percent(r.dcaShare), numeric: true, priority: 3 },
  ];
}

/** The columns every ranked flow list shares, whether from the rolling windows or a span. */
export function rankedFlowColumns<R extends RankedFlow>(): Column<R>[] {
  return [
    { key: 'rank', value: (r) => r.rank, numeric: true, priority: 8 },
    { key: 'mint', value: (r) => r.mint, cell: (r) => tokenCell(r.mint, r.symbol) + (r.blocked ? ' ⛔' : ''), priority: 10, minWidth: 11 },
    { key: 'symbol', value: (r) => r.symbol },
    ...volumeColumns<R>(),
    ...botDcaColumns<R>(),
  ];
}

export type RankedFlow = FlowTotals & Pick<SpanFlowRow, 'mint' | 'symbol' | 'blocked'> & { rank: number };
