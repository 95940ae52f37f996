/** Shared output formatting: short keys, raw amounts at their decimals, tables that behave off a TTY. */
import Table from 'cli-table3';
import { stdoutIsTTY } from './stdout.js';
import { tableWidth } from './table-width.js';
// The shared text helpers live in src/format (the watch screen prints with them too).
export { formatAmount, isoTime, mintLabel, shortKey } from '../format/text.js';

/**
 * A whole number with thousands commas: 1,234,567. What toLocaleString('en-US') prints for one,
 * without its first call's cost (loading ICU's number formats takes longer than `query stats`).
 */
export function groupDigits(n: number | bigint): string {
  const s = String(n);
  const neg = s.startsWith('-');
  const digits = neg ? s.slice(1) : s;
  if (!/^\d+$/.test(digits)) return s; // not a whole number written out in digits (1e21, NaN): as String() gives it
  return (neg ? '-' : '') + digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

export function useColor(stream?: NodeJS.WriteStream): boolean {
  return (stream ? stream.isTTY === true : stdoutIsTTY()) && !process.env.NO_COLOR;
}

/** How a column behaves when the table is wider than the terminal. */
export interface ColumnFit {
  /** Higher is kept longer; the lowest (rightmost among equals) is dropped first. Default 1. */
  priority?: number;
  /** A column that may be cut short (with …) down to this width before any column is dropped. */
  minWidth?: number;
}

export { setWideTables, tableWidth } from './table-width.js';

/** One header style in every table: words, not keys (net_sol and netSol both read "net SOL"). */
export function headerText(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/_/g, ' ')
    .toLowerCase()
    .replace(/\b(sol|dca|usd|usdc|roi|id)\b/g, (w) => w.toUpperCase());
}

const GAP = 2;
// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g;
const ANSI_SPLIT = /(\x1b\[[0-9;]*m)/;
const ANSI_ONLY = /^\x1b\[[0-9;]*m$/;
/** Display width: code points, emoji counted as two cells. */
export function textWidth(s: string): number {
  let w = 0;
  for (const ch of s.replace(ANSI, '')) w += /\p{Extended_Pictographic}/u.test(ch) ? 2 : 1;
  return w;
}

/**
 * Which columns a table keeps, and how wide, to fit `width`: shorten the columns that may be
 * shortened (lowest priority first), then drop whole columns (lowest priority, rightmost first).
 * The first column left is cut as a last resort; a table never wraps.
 */
export function fitColumns(natural: number[], fit: ColumnFit[], width: number): { keep: number[]; widths: number[] } {
  const keep = natural.map((_, i) => i);
  const widths = [...natural];
  const total = () => keep.reduce((sum, i) => sum + widths[i], 0) + GAP * Math.max(0, keep.length - 1);
  const byPriority = (a: number, b: number) => (fit[a]?.priority ?? 1) - (fit[b]?.priority ?? 1) || b - a;
  if (total() <= width) return { keep, widths };
  for (const i of [...keep].sort(byPriority)) {
    const min = fit[i]?.minWidth;
    if (min === undefined || widths[i] <= min) continue;
    widths[i] = Math.max(min, widths[i] - (total() - width));
    if (total() <= width) return { keep, widths };
  }
  while (keep.length > 1 && total() > width) {
    const drop = [...keep].sort(byPriority)[0];
    keep.splice(keep.indexOf(drop), 1);
  }
  if (total() > width) widths[keep[0]] = Math.max(1, width);
  return { keep, widths };
}

/** A table being filled: push rows, then toString() fits it to the terminal. */
export interface TextTable {
  push(...rows: string[][]): void;
  toString(): string;
}

/**
 * The one table style: a header, a rule under it, no borders and no lines between rows; numbers
 * right-aligned; fitted to the terminal's width (see fitColumns). An empty `head` is a
 * key/value table without a header.
 */
export function makeTable(head: string[], numericColumns: number[] = [], fit: ColumnFit[] = []): TextTable {
  const rows: string[][] = [];
  return {
    push: (...more) => void rows.push(...more),
    toString: () => renderTable(head, rows, numericColumns, fit, tableWidth()),
  };
}

const NO_BORDER = {
  top: '', 'top-mid': '', 'top-left': '', 'top-right': '', bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '',
  left: '', 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '', middle: ' '.repeat(GAP),
};

/**
 * cli-table3 draws. Cells wider than their column are cut here first (cutCell), by whole
 * characters, because cli-table3's own cut can split an emoji's code point. cli-table3 measures
 * every cell several times with string-width, whose emoji pattern cost ~10 ms of a cold `query
 * stats`: in the bundle it gets an ASCII-first measure instead (src/cli/string-width-ascii.cjs).
 */
export function renderTable(head: string[], rows: string[][], numericColumns: number[], fit: ColumnFit[], width: number): string {
  const n = Math.max(head.length, ...rows.map((r) => r.length));
  if (n === 0) return '';
  const natural = Array.from({ length: n }, (_, i) => Math.max(textWidth(head[i] ?? ''), ...rows.map((r) => textWidth(r[i] ?? '')), 1));
  const { keep, widths } = fitColumns(natural, fit, width);
  const color = useColor();
  const table = new Table({
    ...(head.length ? { head: keep.map((i) => cutCell(head[i] ?? '', widths[i])) } : {}),
    chars: NO_BORDER,
    style: { head: color ? ['cyan'] : [], border: [], 'padding-left': 0, 'padding-right': 0 },
    colWidths: keep.map((i) => widths[i]),
    colAligns: keep.map((i) => (numericColumns.includes(i) ? 'right' : 'left')),
    wordWrap: false,
  });
  for (const r of rows) table.push(keep.map((i) => cutCell(r[i] ?? '', widths[i])));
  const lines = table.toString().split('\n').map((l) => l.trimEnd());
  if (head.length) {
    // Under the header's last line: a header cell may hold several.
    const headLines = Math.max(1, ...keep.map((i) => (head[i] ?? '').split('\n').length));
    const rule = keep.map((i) => '─'.repeat(widths[i])).join(' '.repeat(GAP));
    lines.splice(headLines, 0, color ? `\x1b[90m${rule}\x1b[39m` : rule);
  }
  return lines.join('\n');
}

/** Each line of a cell cut to `width` with … when wider: whole characters, escape codes kept (counted as nothing). */
function cutCell(text: string, width: number): string {
  return text
    .split('\n')
    .map((line) => {
      if (textWidth(line) <= width) return line;
      let cell = '';
      let w = 0;
      for (const part of line.split(ANSI_SPLIT)) {
        if (ANSI_ONLY.test(part)) {
          cell += part;
          continue;
        }
        for (const ch of part) {
          const cw = textWidth(ch);
          if (w + cw > width - 1) break;
          cell += ch;
          w += cw;
        }
      }
      return `${cell}…`;
    })
    .join('\n');
}

/** "1 trade", "2 trades": a count with its noun, singular or plural. */
export function plural(n: number | bigint, one: string, many = `${one}s`): string {
  return `${n} ${BigInt(n) === 1n ? one : many}`;
}


/** A 0..1 share as a whole percent for tables ('-' when there is none). */
export function percent(share: number | null): string {
  return share === null ? '-' : `${(share * 100).toFixed(0)}%`;
}
