/**
 * Where a live run (ingest, watch --rpc) connects: the HTTP RPC (catch-up and gaps), and either
 * Yellowstone gRPC or WebSocket pubsub (default: derived from the RPC URL). Resolved and checked
 * once, each bad value one line; and the one factory that builds the chosen source.
 */
import { EndpointError, resolveEndpoint } from '../../sources/endpoint.js';
import { createGrpcSource } from '../../sources/grpc/index.js';
import { createWebSocketSource } from '../../sources/live/websocket.js';
import { deriveWsUrl } from '../../sources/live/ws-url.js';
import type { LiveSource, LiveSourceOptions } from '../../sources/live/types.js';
import type { RpcClient } from '../../sources/rpc/client.js';
import { redactUrl } from '../../util/redact.js';
import { UsageError } from '../errors.js';

export interface LiveEndpointOptions {
  rpc?: string;
  ws?: string;
  grpc?: string;
  xToken?: string;
}

export interface LiveEndpoints {
  rpcUrl: string;
  /** Set when the source is WebSocket pubsub. */
  wsUrl: string | null;
  /** Set when the source is Yellowstone gRPC. */
  grpcUrl: string | null;
  xToken: string | undefined;
}

export function resolveLiveEndpoints(o: LiveEndpointOptions, env: NodeJS.ProcessEnv): LiveEndpoints {
  let rpcUrl: string;
  try {
    rpcUrl = resolveEndpoint(o.rpc, env).url;
  } catch (err) {
    if (err instanceof EndpointError) throw new UsageError(err.message);
    throw err;
  }
  const grpcUrl = o.grpc ?? null;
  const wsUrl = grpcUrl ? null : (o.ws ?? deriveWsUrl(rpcUrl));
  if (wsUrl !== null && !/^wss?:\/\//i.test(wsUrl)) throw new UsageError(`--ws must be a ws:// or wss:// URL, not ${redactUrl(wsUrl)}`);
  if (grpcUrl !== null && !/^https?:\/\//i.test(grpcUrl)) throw new UsageError(`--grpc must be an http:// or https:// URL, not ${redactUrl(grpcUrl)}`);
  return { rpcUrl, wsUrl, grpcUrl, xToken: o.xToken ?? env.SOLFLOW_GRPC_X_TOKEN ?? undefined };
}

/**
 * What runIngest's `source` option wants: the chosen source, given its start slot.
 * `decodeThreads`: the WebSocket source's frame workers (default: one per core, at most 4).
 */
export function liveSourceFor(e: LiveEndpoints, client: RpcClient, decodeThreads?: number): (o: LiveSourceOptions) => LiveSource {
  return (o) =>
    e.grpcUrl
      ? createGrpcSource({ ...o, endpoint: e.grpcUrl, xToken: e.xToken })
      : createWebSocketSource({ ...o, wsUrl: e.wsUrl!, rpc: client, readerThreads: decodeThreads });
}
