/**
 * What can go wrong with one RPC call, sorted by what the caller should do about it.
 *
 * - throttled: the provider's rate limit (HTTP 429); slow down, honour Retry-After, retry.
 * - server / timeout / network / malformed: the endpoint is unwell; back off, retry, and count
 *   towards the circuit breaker.
 * - unavailable: -32004 "block not available" (and kin): the node has not got it yet; retry.
 * - skipped: -32007 / -32009: the slot has no block (leader skipped it, or a ledger jump). Final.
 * - rpc: any other JSON-RPC error; the request itself is wrong. Final.
 * - fatal: 401/403 and similar: the endpoint refuses us; stop the run.
 * - down: the circuit breaker stayed open longer than allowed; stop the run.
 * - aborted: the client was closed (Ctrl-C) while the call waited or ran.
 */
import { redactText } from '../../util/redact.js';

export type FailureKind =
  | 'throttled'
  | 'server'
  | 'timeout'
  | 'network'
  | 'malformed'
  | 'unavailable'
  | 'skipped'
  | 'rpc'
  | 'fatal'
  | 'down'
  | 'aborted';

export class RpcError extends Error {
  readonly kind: FailureKind;
  /** JSON-RPC error code, when the endpoint sent one. */
  readonly code: number | undefined;
  /** HTTP status, when the failure was at the HTTP level. */
  readonly status: number | undefined;
  /** From a Retry-After header, in ms. */
  readonly retryAfterMs: number | undefined;

  constructor(kind: FailureKind, message: string, extra: { code?: number; status?: number; retryAfterMs?: number } = {}) {
    // Messages often quote the endpoint; redact here so no caller can forget.
    super(redactText(message));
    this.name = 'RpcError';
    this.kind = kind;
    this.code = extra.code;
    this.status = extra.status;
    this.retryAfterMs = extra.retryAfterMs;
  }

  get retryable(): boolean {
    return isRetryable(this.kind);
  }
}

function isRetryable(kind: FailureKind): boolean {
  return kind === 'throttled' || kind === 'server' || kind === 'timeout' || kind === 'network' || kind === 'malformed' || kind === 'unavailable';
}

/** Failures that say the endpoint itself is unhealthy (they feed the circuit breaker). */
export function isEndpointTrouble(kind: FailureKind): boolean {
  return kind === 'server' || kind === 'timeout' || kind === 'network' || kind === 'malformed';
}

/** JSON-RPC error codes that mean "try again later" rather than "this will never work". */
const RETRY_CODES = new Set([
  -32004, // block not available for slot
  -32005, // node is behind / unhealthy
  -32014, // block status not yet available
  -32016, // minimum context slot has not been reached
  -32603, // internal error
]);
const SKIPPED_CODES = new Set([-32007, -32009]);

export function fromRpcError(e: { code?: unknown; message?: unknown }): RpcError {
  const code = typeof e.code === 'number' ? e.code : undefined;
  const message = typeof e.message === 'string' ? e.message : 'RPC error';
  if (code !== undefined && SKIPPED_CODES.has(code)) return new RpcError('skipped', message, { code });
  if (code !== undefined && RETRY_CODES.has(code)) return new RpcError('unavailable', message, { code });
  // Some providers put the rate limit inside a 200 answer.
  if (code === 429 || /too many requests|rate limit/i.test(message)) return new RpcError('throttled', message, { code });
  return new RpcError('rpc', `${message}${code !== undefined ? ` (code ${code})` : ''}`, { code });
}

export function fromHttpStatus(status: number, body: string, retryAfter: string | null): RpcError {
  const snippet = body.slice(0, 200).replace(/\s+/g, ' ').trim();
  const detail = `HTTP ${status}${snippet ? `: ${snippet}` : ''}`;
  if (status === 429) return new RpcError('throttled', detail, { status, retryAfterMs: parseRetryAfter(retryAfter) });
  if (status >= 500) return new RpcError('server', detail, { status });
  if (status === 401 || status === 403) return new RpcError('fatal', `${detail} (the endpoint refuses this client: check the API key or plan)`, { status });
  return new RpcError('rpc', detail, { status });
}

/** Retry-After is delay-seconds or an HTTP date; answer ms from now, or undefined. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
