/**
 * Turning log fields into something safe to print: secrets redacted (by pattern, by known value,
 * and by field name), errors reduced to their message, bigints to strings, cycles cut, and
 * control characters (a program log can contain anything, escape codes included) removed.
 */
import { redactKnown, redactText } from '../util/redact.js';

export type Fields = Record<string, unknown>;

/** Field names whose values are credentials whatever they look like. */
const SECRET_FIELD = /token|password|passwd|secret|api[-_]?key|authorization|credential/i;
const MAX_DEPTH = 4;

// Everything below space except tab, plus DEL and the C1 range (ESC, CSI...).
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g;

export function cleanText(text: string, secrets: readonly string[]): string {
  return redactKnown(redactText(text), secrets);
}

/** One printable line: newlines and control characters become spaces. */
export function oneLine(text: string): string {
  return text.replace(CONTROL, ' ');
}

export function cleanFields(fields: Fields, secrets: readonly string[]): Fields {
  return cleanValue(fields, secrets, 0, new WeakSet()) as Fields;
}

function cleanValue(value: unknown, secrets: readonly string[], depth: number, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return cleanText(value, secrets);
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (value === null || typeof value === 'boolean') return value;
  if (value === undefined) return undefined;
  if (typeof value === 'function' || typeof value === 'symbol') return String(value);
  if (value instanceof Error) return cleanText(value.message, secrets);
  if (value instanceof Date) return value.toISOString();
  if (value instanceof URL) return cleanText(value.toString(), secrets);
  if (typeof value !== 'object') return cleanText(String(value), secrets);
  if (seen.has(value)) return '[circular]';
  if (depth >= MAX_DEPTH) return '[…]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((v) => cleanValue(v, secrets, depth + 1, seen));
  const out: Fields = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = SECRET_FIELD.test(k) && v !== null && v !== undefined && v !== '' ? '***' : cleanValue(v, secrets, depth + 1, seen);
  }
  return out;
}

/** `key=value` pairs for plain output; values with spaces or quotes are JSON-quoted. */
export function formatPairs(fields: Fields): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(fields)) {
    if (v === undefined) continue;
    const text = typeof v === 'string' ? v : JSON.stringify(v);
    parts.push(`${k}=${/^[^\s"=]+$/.test(text) ? text : JSON.stringify(text)}`);
  }
  return parts.join(' ');
}
