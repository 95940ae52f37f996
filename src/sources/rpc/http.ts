/**
 * One JSON-RPC POST with a deadline. Everything that can go wrong below JSON-RPC (status codes,
 * timeouts, resets, truncated bodies) comes back as an RpcError with a kind the client can act on.
 */
import { RpcError, fromHttpStatus } from './errors.js';
import { redactUrl } from '../../util/redact.js';
import { jsonText } from '../../util/json-text.js';

/**
 * fetch() refuses a URL with `user:password@` in it, which basic-auth RPC endpoints use: send the
 * credentials as an Authorization header instead, and the URL without them.
 */
export function splitCredentials(url: string): { url: string; authorization: string | null } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { url, authorization: null };
  }
  if (!parsed.username && !parsed.password) return { url, authorization: null };
  const user = decodeURIComponent(parsed.username);
  const pass = decodeURIComponent(parsed.password);
  parsed.username = '';
  parsed.password = '';
  return { url: parsed.toString(), authorization: `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}` };
}

/**
 * Reads an answer's bytes into what the caller gets. Default: JSON.parse here. A caller with
 * megabytes per answer (getBlock) may read them elsewhere, a worker thread; the bytes are its
 * own (a fresh buffer, fit to move rather than copy). An RpcError it throws is passed on as is,
 * anything else as a malformed answer.
 */
export type BodyReader = (bytes: Buffer) => unknown;

export async function postJson(url: string, body: unknown, timeoutMs: number, cancel?: AbortSignal, read?: BodyReader): Promise<unknown> {
  const target = splitCredentials(url);
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (target.authorization) headers.authorization = target.authorization;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const onCancel = () => controller.abort();
  cancel?.addEventListener('abort', onCancel, { once: true });
  try {
    let res: Response;
    try {
      res = await fetch(target.url, {
        method: 'POST',
        headers,
        body: JSON.stringify(body),
        signal: controller.signal,
      });
    } catch (err) {
      throw transportError(err, controller.signal.aborted, url, timeoutMs, cancel);
    }
    let bytes: Buffer;
    try {
      bytes = Buffer.from(await res.arrayBuffer());
    } catch (err) {
      throw transportError(err, controller.signal.aborted, url, timeoutMs, cancel);
    }
    if (res.status !== 200) throw fromHttpStatus(res.status, bytes.toString('utf8'), res.headers.get('retry-after'));
    if (read) {
      try {
        return await read(bytes);
      } catch (err) {
        if (err instanceof RpcError) throw err;
        throw new RpcError('malformed', `unreadable answer from ${redactUrl(url)}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    // A getBlock answer is megabytes: see jsonText for why not res.text().
    const text = jsonText(bytes);
    try {
      return JSON.parse(text);
    } catch {
      throw new RpcError('malformed', `malformed JSON from ${redactUrl(url)} (${text.length} bytes)`);
    }
  } finally {
    clearTimeout(timer);
    cancel?.removeEventListener('abort', onCancel);
  }
}

function transportError(err: unknown, aborted: boolean, url: string, timeoutMs: number, cancel?: AbortSignal): RpcError {
  if (cancel?.aborted) return new RpcError('aborted', 'request cancelled');
  if (aborted) return new RpcError('timeout', `no answer from ${redactUrl(url)} within ${timeoutMs} ms`);
  const cause = (err as { cause?: { code?: string; message?: string } })?.cause;
  const detail = cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err));
  return new RpcError('network', `connection to ${redactUrl(url)} failed: ${detail}`);
}
