/**
 * Which columns fit a terminal width, and how wide each is. Columns are dropped in a fixed
 * order as the terminal narrows (the least useful on a live tape first), and the last column
 * takes what is left, so a row never exceeds the width and never wraps.
 */

export type TapeColumnId = 'time' | 'venue' | 'side' | 'token' | 'amount' | 'trader' | 'flags';
export type FlowColumnId = 'token' | 'net' | 'bought' | 'sold' | 'counts' | 'wallets' | 'bot' | 'dca' | 'signal' | 'spark';

export interface Column<Id extends string> {
  id: Id;
  title: string;
  width: number;
  align: 'left' | 'right';
}

/** From this width the tape shows venue names in full, as stored. */
export const WIDE = 120;
/** Longest venue name in the shipped labels (`sanctum-spl-stake-pool`). */
const VENUE_FULL = 22;
const GAP = 1;

interface Spec<Id extends string> extends Column<Id> {
  /** Lower goes first when the width runs out; the filler column is never dropped. */
  keep: number;
  /** A column kept whatever the width may still narrow to this when nothing is left to drop. */
  min?: number;
}

function fitColumns<Id extends string>(specs: Spec<Id>[], filler: Id, fillerMin: number, width: number): Column<Id>[] {
  const cols = specs.map((c) => ({ ...c }));
  const used = () => cols.reduce((n, c) => n + (c.id === filler ? 0 : c.width + GAP), 0);
  const order = [...specs].filter((c) => c.id !== filler).sort((a, b) => a.keep - b.keep);
  for (const victim of order) {
    if (used() + fillerMin <= width) break;
    if (victim.keep === Infinity) break;
    cols.splice(cols.findIndex((c) => c.id === victim.id), 1);
  }
  for (const c of cols) {
    const over = used() + fillerMin - width;
    if (over <= 0) break;
    if (c.min !== undefined && c.width > c.min) c.width = Math.max(c.min, c.width - over);
  }
  return cols.map(({ id, title, width: w, align }) => ({ id, title, align, width: id === filler ? Math.max(0, width - used()) : w }));
}

export function tapeColumns(width: number): Column<TapeColumnId>[] {
  const specs: Spec<TapeColumnId>[] = [
    { id: 'time', title: 'time', width: 8, align: 'left', keep: 2 },
    { id: 'venue', title: 'venue', width: width >= WIDE ? VENUE_FULL : 10, align: 'left', keep: 1 },
    { id: 'side', title: 'side', width: 4, align: 'left', keep: Infinity },
    { id: 'token', title: 'token', width: 11, align: 'left', keep: Infinity, min: 6 },
    { id: 'amount', title: 'amount', width: 16, align: 'right', keep: Infinity, min: 10 },
    { id: 'trader', title: 'trader', width: 9, align: 'left', keep: 3 },
    { id: 'flags', title: 'flags', width: 0, align: 'left', keep: Infinity },
  ];
  return fitColumns(specs, 'flags', 12, width);
}

export function flowColumns(width: number): Column<FlowColumnId>[] {
  const specs: Spec<FlowColumnId>[] = [
    { id: 'token', title: 'token', width: 11, align: 'left', keep: Infinity },
    { id: 'net', title: 'net SOL', width: 11, align: 'right', keep: Infinity },
    { id: 'bought', title: 'bought', width: 10, align: 'right', keep: 3 },
    { id: 'sold', title: 'sold', width: 10, align: 'right', keep: 4 },
    { id: 'counts', title: 'buys/sells', width: 10, align: 'right', keep: 7 },
    { id: 'wallets', title: 'wallets', width: 7, align: 'right', keep: 5 },
    { id: 'bot', title: 'bot', width: 4, align: 'right', keep: 6 },
    { id: 'dca', title: 'dca', width: 4, align: 'right', keep: 2 },
    { id: 'signal', title: 'signal', width: 18, align: 'left', keep: 8 },
    { id: 'spark', title: 'flow', width: 0, align: 'left', keep: Infinity },
  ];
  // The sparkline is the filler: it takes what the numbers leave, and goes when nothing is left.
  return fitColumns(specs, 'spark', 12, width).filter((c) => c.id !== 'spark' || c.width > 0);
}

export { GAP };

export interface HeightBudget {
  tapeRows: number;
  flowRows: number;
  signalRows: number;
}

/**
 * Lines per section for a terminal of `rows` lines, leaving one spare: Ink redraws the whole
 * screen (and flickers) once a frame is as tall as the terminal.
 */
export function heightBudget(rows: number): HeightBudget {
  const flowRows = Math.max(3, Math.min(8, Math.floor(rows / 6)));
  const signalRows = rows >= 30 ? 3 : rows >= 20 ? 2 : 1;
  // header 2, tape title 1, flows title + column titles 2, signals title 1, footer 1, spare 1.
  const fixed = 2 + 1 + 2 + flowRows + 1 + signalRows + 1 + 1;
  return { tapeRows: Math.max(3, rows - fixed), flowRows, signalRows };
}
