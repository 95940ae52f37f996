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
 * Reads a 200 answer's bytes into what the caller gets; by default JSON.parse here. A caller
 * with megabytes per answer (getBlock) reads them elsewhere, on a worker thread. The body comes
 * as the chunks it arrived in, each a buffer of its own: they can be moved to the worker as
 * they are, and joined there (fetch's arrayBuffer() copied the whole body twice on this
 * thread). An RpcError it throws is passed on as is, anything else as a malformed answer.
 */
export type BodyReader = (chunks: Uint8Array[]) => unknown;

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
    let chunks: Uint8Array[];
    try {
      chunks = await bodyChunks(res);
    } catch (err) {
      throw transportError(err, controller.signal.aborted, url, timeoutMs, cancel);
    }
    if (res.status !== 200) throw fromHttpStatus(res.status, Buffer.concat(chunks).toString('utf8'), res.headers.get('retry-after'));
    try {
      return await (read ?? readJson)(chunks);
    } catch (err) {
      if (err instanceof RpcError) throw err;
      throw new RpcError('malformed', `unreadable answer from ${redactUrl(url)}: ${err instanceof Error ? err.message : String(err)}`);
    }
  } finally {
    clearTimeout(timer);
    cancel?.removeEventListener('abort', onCancel);
  }
}

/** A getBlock answer is megabytes: see jsonText for why not res.text(). */
function readJson(chunks: Uint8Array[]): unknown {
  const text = jsonText(Buffer.concat(chunks));
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`malformed JSON (${text.length} bytes)`);
  }
}

async function bodyChunks(res: Response): Promise<Uint8Array[]> {
  const chunks: Uint8Array[] = [];
  if (!res.body) return chunks;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return chunks;
    chunks.push(value);
  }
}

function transportError(err: unknown, aborted: boolean, url: string, timeoutMs: number, cancel?: AbortSignal): RpcError {
  if (cancel?.aborted) return new RpcError('aborted', 'request cancelled');
  if (aborted) return new RpcError('timeout', `no answer from ${redactUrl(url)} within ${timeoutMs} ms`);
  const cause = (err as { cause?: { code?: string; message?: string } })?.cause;
  const detail = cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err));
  return new RpcError('network', `connection to ${redactUrl(url)} failed: ${detail}`);
}
