/**
 * One tape row as text segments, each exactly its column's width (the flags column is cut to
 * what is left), so the row is never wider than the terminal. Pure: the row component only
 * colours the segments. A leg between two quote assets (SOL ↔ USDC) reads `swap SOL→USDC`, never
 * "sell" of the stablecoin (format/side.ts).
 */
import type { ClassifiedTrade } from '../core/flow/types.js';
import { conversionText } from '../format/side.js';
import { flagsOf, type FlagKind } from './flags.js';
import { GAP, type Column, type TapeColumnId } from './layout.js';
import { amountText, clock, fit, shortKey, tokenText } from './text.js';
import type { Tint } from './theme.js';

export interface Segment {
  text: string;
  tint?: Tint;
}

const FLAG_TINT: Record<FlagKind, Tint> = { bot: 'bot', sandwich: 'sandwich', dca: 'dca', limit: 'limit', via: 'via' };

function cell(t: ClassifiedTrade, id: Exclude<TapeColumnId, 'flags' | 'side'>, symbolOf?: (mint: string) => string | null): string {
  switch (id) {
    case 'time':
      return clock(t.blockTime);
    case 'venue':
      return t.venue;
    case 'token':
      // A quote ↔ quote leg has no token to buy or sell: the column says what was converted.
      return conversionText(t) ?? tokenText(t.baseMint, symbolOf);
    case 'amount':
      return amountText(t);
    case 'trader':
      return shortKey(t.trader);
  }
}

export function tapeSegments(t: ClassifiedTrade, cols: readonly Column<TapeColumnId>[], selected: boolean, symbolOf?: (mint: string) => string | null): Segment[] {
  const out: Segment[] = [];
  let plain = '';
  const sep = ' '.repeat(GAP);
  cols.forEach((c, i) => {
    const lead = i === 0 ? '' : sep;
    if (c.id === 'side') {
      out.push({ text: plain + lead });
      plain = '';
      const converted = conversionText(t) !== null;
      out.push(converted ? { text: fit('swap', c.width) } : { text: fit(t.side, c.width), tint: t.side });
    } else if (c.id === 'flags') {
      out.push({ text: plain + lead });
      plain = '';
      let room = c.width;
      for (const f of flagsOf(t, selected)) {
        const text = (room === c.width ? '' : ' ') + f.text;
        if (room <= 0) break;
        const shown = text.length <= room ? text : fit(text, room);
        out.push({ text: shown, tint: FLAG_TINT[f.kind] });
        room -= shown.length;
      }
    } else {
      plain += lead + fit(cell(t, c.id, symbolOf), c.width, c.align);
    }
  });
  if (plain) out.push({ text: plain });
  return out.filter((s) => s.text !== '');
}

/** The tape's title line, aligned with the rows. */
export function tapeTitle(cols: readonly Column<TapeColumnId>[]): string {
  return cols.map((c) => fit(c.title, c.width, c.align)).join(' '.repeat(GAP));
}
