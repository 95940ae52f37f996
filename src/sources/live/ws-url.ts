/**
 * The pubsub URL that goes with an RPC URL when `--ws` is not given: same host, ws(s) for
 * http(s), path and query kept (providers put the API key there for both). A validator serves
 * pubsub on its RPC port + 1 (8899 -> 8900), so an explicit port is bumped by one; a URL on the
 * scheme's default port (providers behind a proxy) keeps it, since they serve both on one port.
 */
import { redactUrl } from '../../util/redact.js';

export function deriveWsUrl(rpcUrl: string): string {
  let url: URL;
  try {
    url = new URL(rpcUrl);
  } catch {
    throw new Error(`cannot derive a WebSocket URL from '${redactUrl(rpcUrl)}': not a URL`);
  }
  if (url.protocol === 'ws:' || url.protocol === 'wss:') return rpcUrl;
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`cannot derive a WebSocket URL from '${redactUrl(rpcUrl)}': ${url.protocol} is not http(s)`);
  }
  const secure = url.protocol === 'https:';
  // URL.port is '' when absent or when it is the scheme's default (http://h:80 -> '').
  const port = url.port === '' ? '' : String(Number(url.port) + 1);
  const out = new URL(url.toString());
  out.protocol = secure ? 'wss:' : 'ws:';
  out.port = port;
  return out.toString();
}
