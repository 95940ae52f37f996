/**
 * Backfill ranges as users type them. Both ends are inclusive.
 *
 *   312000000..312000500                      slots
 *   2025-06-01T00:00Z..2025-06-01T01:00Z      times (UTC or an explicit offset; a bare date is UTC midnight)
 *   -2h..now   -90m..-30m                     relative to the wall clock
 *   --last 30m                                the same as -30m..now
 *
 * Everything here is pure: a bad or empty range is a UsageError before any work starts. Times
 * become slots later, against the chain (see sources/slot-time.ts).
 */
import { UsageError } from './errors.js';

export type RangeSpec =
  | { kind: 'slots'; start: number; end: number }
  /** Milliseconds since the epoch; `endIsNow` means "up to the chain tip". */
  | { kind: 'time'; startMs: number; endMs: number; endIsNow: boolean };

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

type End = { kind: 'slot'; slot: number } | { kind: 'time'; ms: number; now: boolean };

export function parseRange(text: string, nowMs: number): RangeSpec {
  const raw = text.trim();
  const parts = raw.split('..');
  if (parts.length !== 2 || parts[0] === '' || parts[1] === '') {
    throw new UsageError(`bad range '${text}': expected START..END, e.g. 312000000..312000500, 2025-06-01T00:00Z..2025-06-01T01:00Z or -2h..now`);
  }
  const a = parseEnd(parts[0], nowMs, text);
  const b = parseEnd(parts[1], nowMs, text);
  if (a.kind === 'slot' && b.kind === 'slot') {
    if (a.slot > b.slot) throw new UsageError(`empty range '${text}': ${a.slot} is after ${b.slot}`);
    return { kind: 'slots', start: a.slot, end: b.slot };
  }
  if (a.kind === 'time' && b.kind === 'time') {
    if (a.ms > b.ms) throw new UsageError(`empty range '${text}': the start is after the end`);
    if (a.ms > nowMs) throw new UsageError(`empty range '${text}': it starts in the future`);
    return { kind: 'time', startMs: a.ms, endMs: Math.min(b.ms, nowMs), endIsNow: b.now || b.ms >= nowMs };
  }
  throw new UsageError(`bad range '${text}': both ends must be slots, or both times`);
}

/** `--last 30m`: a time range ending now. */
export function parseLast(text: string, nowMs: number): RangeSpec {
  const ms = parseDuration(text);
  if (ms === null || ms <= 0) throw new UsageError(`bad --last '${text}': expected a duration such as 90s, 30m, 2h, 1d`);
  return { kind: 'time', startMs: nowMs - ms, endMs: nowMs, endIsNow: true };
}

export function parseDuration(text: string): number | null {
  const m = /^(\d+(?:\.\d+)?)(s|m|h|d|w)$/.exec(text.trim());
  return m ? Math.round(Number(m[1]) * UNIT_MS[m[2]]) : null;
}

function parseEnd(part: string, nowMs: number, whole: string): End {
  const p = part.trim();
  if (/^\d+$/.test(p)) {
    const slot = Number(p);
    if (!Number.isSafeInteger(slot)) throw new UsageError(`bad range '${whole}': slot ${p} is too large`);
    return { kind: 'slot', slot };
  }
  if (p === 'now') return { kind: 'time', ms: nowMs, now: true };
  if (p.startsWith('-')) {
    const d = parseDuration(p.slice(1));
    if (d === null) throw new UsageError(`bad range '${whole}': '${p}' is not a relative time like -30m or -2h`);
    return { kind: 'time', ms: nowMs - d, now: false };
  }
  const ms = parseCalendarTime(p, `bad range '${whole}'`);
  if (ms !== null) return { kind: 'time', ms, now: false };
  throw new UsageError(`bad range '${whole}': '${p}' is neither a slot, a time (2025-06-01T00:00Z), 'now', nor a relative time (-2h)`);
}

/**
 * A calendar time as users type it — a date (UTC midnight) or an ISO time with a zone — in
 * milliseconds; null when `p` is not written as one. A time without a zone or an impossible date
 * is a UsageError starting with `context`.
 */
export function parseCalendarTime(p: string, context: string): number | null {
  let iso: string | null = null;
  if (/^\d{4}-\d{2}-\d{2}$/.test(p)) iso = `${p}T00:00Z`;
  else if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i.test(p)) iso = p.replace(' ', 'T');
  else if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(p)) throw new UsageError(`${context}: '${p}' has no time zone; add Z for UTC (e.g. ${p}Z)`);
  if (iso === null) return null;
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new UsageError(`${context}: '${p}' is not a valid date`);
  return ms;
}
