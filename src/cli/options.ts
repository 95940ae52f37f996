/**
 * Option values shared by the commands that read the store (analyze, query, prune): times,
 * addresses, limits, output formats. Pure; a bad value is a UsageError naming the option.
 */
import { base58Decode, base58Encode } from '../core/decode/base58.js';
import { UsageError } from './errors.js';
import { parseCalendarTime, parseDuration } from './range.js';

/**
 * A point in time as users type it, to unix seconds (the chain clock's unit):
 * ISO with a zone (2025-06-01T00:00Z), a bare date (UTC midnight), 'now', or relative to now
 * (-1h, 30m ago written as -30m; a bare duration like 1h also means one hour ago).
 */
export function parseTimeOption(option: string, text: string, nowMs: number): number {
  const p = text.trim();
  const hint = `expected an ISO time (2025-06-01T00:00Z), a date (2025-06-01), 'now' or a relative time (-1h, -7d)`;
  if (p === 'now') return Math.floor(nowMs / 1000);
  const rel = parseDuration(p.startsWith('-') ? p.slice(1) : p);
  if (rel !== null) return Math.floor((nowMs - rel) / 1000);
  if (/^\d{9,10}$/.test(p)) return Number(p); // unix seconds, as stored
  const ms = parseCalendarTime(p, `bad ${option}`);
  if (ms === null) throw new UsageError(`bad ${option} '${text}': ${hint}`);
  return Math.floor(ms / 1000);
}

/** A duration option (--older-than 7d, --window 5m) to seconds. */
export function parseDurationOption(option: string, text: string): number {
  const ms = parseDuration(text);
  if (ms === null || ms <= 0) throw new UsageError(`bad ${option} '${text}': expected a duration such as 90s, 30m, 2h, 7d, 4w`);
  return Math.round(ms / 1000);
}

/** How a transaction signature looks as text: 64 bytes in base58. */
export const SIGNATURE_TEXT = /^[1-9A-HJ-NP-Za-km-z]{64,90}$/;

/** A transaction signature; anything else is a usage error. */
export function parseSignature(what: string, text: string): string {
  const p = text.trim();
  if (!SIGNATURE_TEXT.test(p)) throw new UsageError(`bad ${what} '${text}': expected a transaction signature (base58)`);
  return p;
}

/** A base58 32-byte public key (wallet, mint, pool); anything else is a usage error. */
export function parseAddress(what: string, text: string): string {
  const p = text.trim();
  let ok = false;
  try {
    // 32 bytes, written the one canonical way (the round trip keeps leading-zero '1's honest).
    if (/^[1-9A-HJ-NP-Za-km-z]{32,44}$/.test(p)) {
      const bytes = base58Decode(p);
      ok = bytes.length === 32 && base58Encode(bytes) === p;
    }
  } catch {
    ok = false;
  }
  if (!ok) throw new UsageError(`${what} '${text}' is not a Solana address (a base58 32-byte public key)`);
  return p;
}

export function parsePositiveInt(option: string, text: string, max = 1_000_000): number {
  const n = /^\d+$/.test(text.trim()) ? Number(text.trim()) : NaN;
  if (!Number.isSafeInteger(n) || n < 1 || n > max) throw new UsageError(`bad ${option} '${text}': expected a whole number from 1 to ${max}`);
  return n;
}

/** `--rps N`: a plan's calls-per-second limit, any positive number (12.5 is a real plan). */
export function parseRps(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError('--rps must be a positive number');
  return n;
}

export type OutputFormat = 'table' | 'json' | 'csv';

/**
 * `--format table|json|ndjson|csv`, with `--json` as a shorthand that wins. json already is one
 * object per line, so ndjson (the name people look for) is the same format.
 */
export function parseFormat(opts: { format?: string; json?: boolean }): OutputFormat {
  if (opts.json) return 'json';
  const f = (opts.format ?? 'table').trim().toLowerCase();
  if (f === 'ndjson') return 'json';
  if (f !== 'table' && f !== 'json' && f !== 'csv') throw new UsageError(`bad --format '${opts.format}': expected table, json, ndjson or csv`);
  return f;
}
