/**
 * `--metrics-port`: Prometheus `/metrics` and a `/healthz` a supervisor can act on, on plain
 * node:http. Loopback only unless the caller widens `host`: the metrics say what the process
 * is doing, which is nobody else's business by default.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { redactText } from '../util/redact.js';
import type { Health } from './health.js';

export interface MetricsServerOptions {
  registry: Registry;
  /** Asked on every GET /healthz. */
  health: () => Health;
  /** Default 127.0.0.1. */
  host?: string;
  /** 0 picks a free port (see `port` on the result). */
  port: number;
}

export interface MetricsServer {
  readonly host: string;
  readonly port: number;
  /** e.g. http://127.0.0.1:9464 */
  readonly url: string;
  /** Stop listening and drop open (keep-alive) connections. */
  close(): Promise<void>;
}

export async function startMetricsServer(opts: MetricsServerOptions): Promise<MetricsServer> {
  const host = opts.host ?? '127.0.0.1';
  const server = createServer((req, res) => {
    handle(opts, req, res).catch((err) => send(res, 500, 'text/plain; charset=utf-8', `${redactText(String(err))}\n`));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  let closed: Promise<void> | null = null;
  return {
    host,
    port,
    url: `http://${shownHost}:${port}`,
    close() {
      closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closed;
    },
  };
}

async function handle(opts: MetricsServerOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  if (path !== '/metrics' && path !== '/healthz') return send(res, 404, 'text/plain; charset=utf-8', 'not found: try /metrics or /healthz\n');
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    return send(res, 405, 'text/plain; charset=utf-8', 'method not allowed\n');
  }
  if (path === '/metrics') {
    const body = await opts.registry.metrics();
    return send(res, 200, opts.registry.contentType, body, req.method === 'HEAD');
  }
  const health = opts.health();
  const body = `${JSON.stringify({ status: health.ok ? 'ok' : 'unhealthy', reason: redactText(health.reason) })}\n`;
  return send(res, health.ok ? 200 : 503, 'application/json', body, req.method === 'HEAD');
}

function send(res: ServerResponse, status: number, contentType: string, body: string, headOnly = false): void {
  if (res.headersSent) return void res.end();
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-store' });
  res.end(headOnly ? undefined : body);
}
