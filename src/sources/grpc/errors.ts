/**
 * What a failed Yellowstone call means for the source, and how to say it in one line.
 *
 * The napi client wraps the gRPC status in a chain of causes ("failed to open subscribe
 * stream" ← "gRPC status: code: '…', message: \"…\""); the server's own words are at the bottom.
 */
import { redactText } from '../../util/redact.js';

export type GrpcFailure =
  /** Wrong or missing x-token: retrying cannot help. */
  | { kind: 'auth'; message: string }
  /**
   * The server cannot replay from the slot asked for. Dragon's Mouth says which slot it can
   * start from ("broadcast from F is not available, last available: L"); others do not.
   */
  | { kind: 'replay-unavailable'; message: string; firstAvailable: number | null }
  | { kind: 'transient'; message: string };

export function classifyGrpcError(err: unknown, secrets: readonly string[] = []): GrpcFailure {
  const message = describeGrpcError(err, secrets);
  if (/authentication credentials|unauthenticated|permission denied|x-token/i.test(message)) {
    return { kind: 'auth', message };
  }
  const available = /is not available, last available:?\s*(\d+)/i.exec(message);
  if (available) return { kind: 'replay-unavailable', message, firstAvailable: Number(available[1]) };
  if (/from_slot is not supported|failed to get replay position|first available slot/i.test(message)) {
    return { kind: 'replay-unavailable', message, firstAvailable: null };
  }
  return { kind: 'transient', message };
}

/** One line: the outermost message and the server's own words, secrets removed. */
export function describeGrpcError(err: unknown, secrets: readonly string[] = []): string {
  const chain: string[] = [];
  let e: unknown = err;
  for (let depth = 0; e !== undefined && e !== null && depth < 8; depth++) {
    const text = e instanceof Error ? e.message : typeof e === 'object' && 'message' in e ? String(e.message) : String(e);
    if (text && !chain.includes(text)) chain.push(text);
    e = e instanceof Error || (typeof e === 'object' && e !== null) ? (e as { cause?: unknown }).cause : undefined;
  }
  const deepest = chain[chain.length - 1] ?? 'unknown error';
  const status = /code: '([^']*)', message: "(.*)"/s.exec(deepest);
  const detail = status ? `${status[2]} (${status[1]})` : deepest;
  const line = chain.length > 1 ? `${chain[0]}: ${detail}` : detail;
  return redact(line.replace(/\s+/g, ' ').trim(), secrets);
}

export function redact(text: string, secrets: readonly string[]): string {
  let out = redactText(text);
  for (const s of secrets) if (s) out = out.split(s).join('***');
  return out;
}
