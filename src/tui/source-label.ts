/** The header's source: a database path, or an endpoint's host only (keys never reach the screen). */
import { redactText, redactUrl } from '../util/redact.js';
import type { WatchSource } from './feed.js';

function host(url: string): string {
  try {
    return new URL(redactUrl(url)).host;
  } catch {
    return redactText(url);
  }
}

export function sourceLabel(s: WatchSource): string {
  switch (s.kind) {
    case 'db':
      return `db ${s.path}`;
    case 'rpc':
      return `rpc ${host(s.url)}`;
    case 'grpc':
      return `grpc ${host(s.url)}`;
    case 'replay':
      return `REPLAY ${host(s.url)} (bundled transactions, ${s.speed ? `${s.speed}× time` : 'compressed time'}${s.note ? `, ${s.note}` : ''})`;
  }
}
