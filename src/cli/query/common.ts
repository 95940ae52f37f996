/** What every query subcommand shares: option shapes, time spans, limits, row printing, SOL cells. */
import { isoTime, formatAmount, shortKey } from '../format.js';
import { parseAddress, parsePositiveInt, parseTimeOption, type OutputFormat } from '../options.js';
import { renderRows, type Column } from '../output.js';
import { out } from '../stdout.js';
import { redactText } from '../../util/redact.js';
import { UsageError } from '../errors.js';

export interface DataOpts {
  db?: string;
  format?: string;
  json?: boolean;
  limit?: string;
  includeBlocked?: boolean;
}

export interface TimeOpts {
  since?: string;
  until?: string;
}




export { out };

export function note(line: string): void {
  process.stderr.write(redactText(line) + '\n');
}

export function limitOf(opts: DataOpts, max?: number): number {
  return parsePositiveInt('--limit', opts.limit ?? '50', max);
}

export function span(opts: TimeOpts, now = Date.now()): { since?: number; until?: number } {
  const since = opts.since === undefined ? undefined : parseTimeOption('--since', opts.since, now);
  const until = opts.until === undefined ? undefined : parseTimeOption('--until', opts.until, now);
  if (since !== undefined && until !== undefined && since > until) throw new UsageError(`--since ${opts.since} is after --until ${opts.until}`);
  return { since, until };
}

export function optionalAddress(what: string, text: string | undefined): string | undefined {
  return text === undefined ? undefined : parseAddress(what, text);
}

/** JSON Lines through `json` when the row has a richer JSON shape than its columns; else renderRows. */
export function printRows<R>(rows: R[], columns: Column<R>[], format: OutputFormat, json?: (row: R) => unknown): void {
  if (format === 'json' && json) out(rows.map((r) => JSON.stringify(json(r)) + '\n').join(''));
  else out(renderRows(rows, columns, format));
}

/** The columns a table shows, under shorter headers; json and csv keep every column and key. */
export function forTable<R>(columns: Column<R>[], show: Record<string, string>): Column<R>[] {
  return columns.filter((c) => c.key in show).map((c) => ({ ...c, key: show[c.key] }));
}

export function objectOf<R>(row: R, columns: Column<R>[]): Record<string, unknown> {
  return Object.fromEntries(columns.map((c) => [c.key, c.value(row)]));
}

/** Lamports as an exact decimal SOL string (no grouping). */
export function solText(lamports: bigint): string {
  return formatAmount(lamports, 9, 9).replace(/,/g, '');
}
/** Lamports as a JSON/CSV number of SOL. */
export const solValue = (lamports: bigint | null): number | null => (lamports === null ? null : Number(solText(lamports)));
/** Lamports for people: SOL, grouped; small amounts keep more decimals so they do not read as 0. */
export const solCell = (lamports: bigint | null): string => {
  if (lamports === null) return '-';
  const abs = lamports < 0n ? -lamports : lamports;
  return formatAmount(lamports, 9, abs >= 1_000_000_000n ? 3 : 6);
};
export const isoOrNull = (t: number | null): string | null => (t === null ? null : isoTime(t));
export const tokenCell = (mint: string, symbol: string | null): string => (symbol ? `${symbol} ${shortKey(mint)}` : shortKey(mint));
