/**
 * Rows out in the format the user asked for. Tables are for people (short keys, aligned
 * numbers); JSON Lines and CSV are for programs (full keys, exact values, one header).
 */
import type { OutputFormat } from './options.js';
import { headerText, makeTable, type ColumnFit } from './format.js';

export interface Column<R> extends ColumnFit {
  /** Header in tables and CSV, key in JSON. */
  key: string;
  /** The table header when not the key in words (query sql keeps the statement's own names). */
  head?: string;
  /** The exact value for json/csv (full addresses, raw numbers). */
  value: (row: R) => string | number | boolean | null;
  /** What a table cell shows; defaults to the value. */
  cell?: (row: R) => string;
  numeric?: boolean;
}

export function renderRows<R>(rows: R[], columns: Column<R>[], format: OutputFormat): string {
  if (format === 'json') return rows.map((r) => JSON.stringify(Object.fromEntries(columns.map((c) => [c.key, c.value(r)])))).join('\n') + (rows.length ? '\n' : '');
  if (format === 'csv') {
    const lines = [columns.map((c) => csvField(c.key)).join(',')];
    for (const r of rows) lines.push(columns.map((c) => csvField(c.value(r))).join(','));
    return lines.join('\n') + '\n';
  }
  const table = makeTable(
    columns.map((c) => c.head ?? headerText(c.key)),
    columns.flatMap((c, i) => (c.numeric ? [i] : [])),
    columns,
  );
  for (const r of rows) table.push(columns.map((c) => (c.cell ? c.cell(r) : String(c.value(r) ?? '-'))));
  return table.toString() + '\n';
}

/** RFC 4180: quote fields holding a comma, quote or line break; double the quotes inside. */
export function csvField(v: string | number | boolean | null | undefined): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
