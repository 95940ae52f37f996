/** Cell text for the watch screen: fixed-width, plain strings (colour is the components' job). */
import type { Signal } from '../core/flow/types.js';
import type { Trade } from '../core/trade.js';
// The formatters the CLI's tables use too, so watch and the tables print amounts alike.
import { formatAmount, mintLabel, shortKey } from '../format/text.js';

export { shortKey };

/** `text` cut (with an ellipsis) or padded to exactly `width` columns. */
export function fit(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  if (width <= 0) return '';
  if (text.length > width) return width === 1 ? '…' : text.slice(0, width - 1) + '…';
  return align === 'left' ? text.padEnd(width) : text.padStart(width);
}

/** Block time as UTC wall time, HH:MM:SS. */
export function clock(blockTime: number | null): string {
  if (blockTime === null) return '--:--:--';
  return new Date(blockTime * 1000).toISOString().slice(11, 19);
}

/** An integer with thousands separators. */
export function digits(n: number): string {
  return Math.trunc(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Fewer decimals as amounts grow, so the column stays narrow without hiding small trades. */
function solDecimals(absLamports: bigint): number {
  if (absLamports < 10_000_000_000n) return 4;
  if (absLamports < 1_000_000_000_000n) return 2;
  return 0;
}

/** Lamports as SOL, e.g. `1.2346`. */
export function solText(lamports: bigint): string {
  return formatAmount(lamports, 9, solDecimals(lamports < 0n ? -lamports : lamports));
}

/** Lamports held in a number (window sums) as signed SOL, e.g. `+12.50`, `-0.3124`. */
export function signedSol(lamports: number): string {
  const text = solText(BigInt(Math.round(lamports)));
  return lamports > 0 ? '+' + text : text;
}

/** Amount column: SOL when the quote is SOL, else the quote amount with its symbol. */
export function amountText(t: Pick<Trade, 'solAmount' | 'quoteAmount' | 'quoteDecimals' | 'quoteMint'>): string {
  if (t.solAmount !== null) return `${solText(t.solAmount)} SOL`;
  return `${formatAmount(t.quoteAmount, t.quoteDecimals, 2)} ${mintLabel(t.quoteMint)}`;
}

/** Token column: its symbol when known, else a short mint. */
export function tokenText(mint: string, symbolOf?: (mint: string) => string | null): string {
  const symbol = symbolOf?.(mint);
  return symbol ? symbol : shortKey(mint);
}

/** Seconds as the largest whole unit: `45s`, `12m`, `3h`, `2d`. */
export function age(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86400) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86400)}d`;
}

/** A 0..1 share as a whole percent. */
export function pct(share: number): string {
  return `${Math.round(share * 100)}%`;
}

/** A signal input value, short: at most three decimals, no trailing zeros. */
export function inputValue(v: number): string {
  return Number.isInteger(v) ? String(v) : String(Number(v.toFixed(Math.abs(v) >= 100 ? 0 : 3)));
}

/** Why a signal fired, in short: the first few inputs it recorded. */
export function signalWhy(s: Pick<Signal, 'inputs'>, max = 4): string {
  return Object.entries(s.inputs)
    .slice(0, max)
    .map(([k, v]) => `${k} ${inputValue(v)}`)
    .join(' · ');
}
