/** Shared output formatting: short keys, raw amounts at their decimals, tables that behave off a TTY. */
import Table from 'cli-table3';
import { defaultLabels } from '../core/labels.js';

export function shortKey(key: string | null | undefined, keep = 4): string {
  if (!key) return '-';
  return key.length <= keep * 2 + 1 ? key : `${key.slice(0, keep)}…${key.slice(-keep)}`;
}

/** A raw integer amount at `decimals`, exact (no float), trimmed to `maxFraction` digits. */
export function formatAmount(raw: bigint, decimals: number, maxFraction = 6): string {
  const neg = raw < 0n;
  const abs = neg ? -raw : raw;
  const s = abs.toString().padStart(decimals + 1, '0');
  const int = s.slice(0, s.length - decimals) || '0';
  let frac = decimals > 0 ? s.slice(s.length - decimals) : '';
  frac = frac.slice(0, maxFraction).replace(/0+$/, '');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return (neg ? '-' : '') + grouped + (frac ? '.' + frac : '');
}

export function mintLabel(mint: string): string {
  return defaultLabels.quoteSymbols.get(mint) ?? shortKey(mint);
}

export function useColor(stream: NodeJS.WriteStream = process.stdout): boolean {
  return Boolean(stream.isTTY) && !process.env.NO_COLOR;
}

export function makeTable(head: string[], numericColumns: number[] = []): Table.Table {
  const color = useColor();
  return new Table({
    head,
    style: color ? { head: ['cyan'], border: ['grey'] } : { head: [], border: [] },
    colAligns: head.map((_, i) => (numericColumns.includes(i) ? 'right' : 'left')),
  });
}

export function isoTime(blockTime: number | null): string {
  return blockTime === null ? '-' : new Date(blockTime * 1000).toISOString().replace('.000Z', 'Z');
}

/** A 0..1 share as a whole percent for tables ('-' when there is none). */
export function percent(share: number | null): string {
  return share === null ? '-' : `${(share * 100).toFixed(0)}%`;
}
