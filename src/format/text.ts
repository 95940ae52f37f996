/**
 * Text for keys, amounts and times that every screen prints alike: the CLI's tables and the
 * watch screen both read from here, so neither imports the other.
 */
import { defaultLabels } from '../core/labels.js';

export function shortKey(key: string | null | undefined, keep = 4): string {
  if (!key) return '-';
  return key.length <= keep * 2 + 1 ? key : `${key.slice(0, keep)}…${key.slice(-keep)}`;
}

/**
 * A raw integer amount at `decimals`, exact (no float), trimmed to `maxFraction` digits. An
 * amount too small to show at that precision reads `<0.01` (`>-0.01` below zero), never `0`:
 * a dust leg of a route is a trade, not nothing.
 */
export function formatAmount(raw: bigint, decimals: number, maxFraction = 6): string {
  const neg = raw < 0n;
  const abs = neg ? -raw : raw;
  const s = abs.toString().padStart(decimals + 1, '0');
  const int = s.slice(0, s.length - decimals) || '0';
  let frac = decimals > 0 ? s.slice(s.length - decimals) : '';
  frac = frac.slice(0, maxFraction).replace(/0+$/, '');
  if (abs > 0n && int === '0' && frac === '') {
    const least = maxFraction > 0 ? `0.${'0'.repeat(maxFraction - 1)}1` : '1';
    return neg ? `>-${least}` : `<${least}`;
  }
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return (neg ? '-' : '') + grouped + (frac ? '.' + frac : '');
}

/** A quote asset's symbol (SOL, USDC …), else the short mint. */
export function mintLabel(mint: string): string {
  return defaultLabels.quoteSymbols.get(mint) ?? shortKey(mint);
}

export function isoTime(blockTime: number | null): string {
  return blockTime === null ? '-' : new Date(blockTime * 1000).toISOString().replace('.000Z', 'Z');
}
