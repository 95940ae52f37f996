/** One row of the flows panel as fixed-width text (pure; the panel colours the net column). */
import type { FlowRow } from './feed.js';
import { GAP, type Column, type FlowColumnId } from './layout.js';
import { sparkline } from './sparkline.js';
import { age, digits, fit, pct, signedSol, solText, tokenText } from './text.js';

function cell(r: FlowRow, c: Column<FlowColumnId>, now: number | null, symbolOf?: (mint: string) => string | null): string {
  switch (c.id) {
    case 'token':
      return r.symbol ?? tokenText(r.mint, symbolOf);
    case 'net':
      return signedSol(r.netFlow);
    case 'bought':
      return solText(BigInt(Math.round(r.buyVolume)));
    case 'sold':
      return solText(BigInt(Math.round(r.sellVolume)));
    case 'counts':
      return `${digits(r.buyCount)}/${digits(r.sellCount)}`;
    case 'wallets':
      return digits(r.uniqueWallets);
    case 'bot':
      return pct(r.botShare);
    case 'dca':
      return pct(r.dcaShare);
    case 'signal':
      if (!r.lastSignal) return '-';
      return now === null ? r.lastSignal.type : `${r.lastSignal.type} ${age(now - r.lastSignal.blockTime)}`;
    case 'spark':
      return r.spark ? sparkline(r.spark, c.width) : '';
  }
}

export function flowCells(r: FlowRow, cols: readonly Column<FlowColumnId>[], now: number | null, symbolOf?: (mint: string) => string | null): string[] {
  return cols.map((c) => fit(cell(r, c, now, symbolOf), c.width, c.align));
}

export function flowTitle(cols: readonly Column<FlowColumnId>[]): string {
  return cols.map((c) => fit(c.title, c.width, c.align)).join(' '.repeat(GAP));
}
