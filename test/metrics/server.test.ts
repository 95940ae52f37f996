import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createMetrics, startMetricsServer, type MetricsServer } from '../../src/metrics/index.js';
import { RpcClient } from '../../src/sources/rpc/client.js';
import { parsePromText, value } from './prom-text.js';

const open: Array<{ close(): unknown }> = [];
afterEach(async () => {
  while (open.length) await open.pop()!.close();
});

async function serve(metrics: ReturnType<typeof createMetrics>, maxLag?: Parameters<typeof metrics.health>[0]): Promise<MetricsServer> {
  const server = await startMetricsServer({ registry: metrics.registry, health: () => metrics.health(maxLag), port: 0 });
  open.push(server);
  return server;
}

async function scrape(server: MetricsServer) {
  const res = await fetch(`${server.url}/metrics`);
  expect(res.status).toBe(200);
  return { res, text: await res.text() };
}

describe('GET /metrics', () => {
  it('serves every recorded value in the Prometheus text format, every name prefixed solflow_', async () => {
    let now = 1_700_000_000_000;
    const metrics = createMetrics({ now: () => now });
    const onCommit = metrics.committed; // handed to a writer on its own, as a callback
    onCommit({ trades: 120, seconds: 0.004 });
    onCommit({ trades: 30, seconds: 0.2 });
    metrics.tradesWritten(7);
    metrics.transactionsDecoded(40);
    metrics.transactionsDecoded();
    metrics.transactionFailed('no decoder');
    metrics.transactionFailed('no decoder');
    metrics.transactionFailed('balance mismatch');
    metrics.skipped('malformed frame');
    metrics.reconnect('websocket');
    metrics.reconnect('websocket');
    metrics.reconnect('grpc');
    metrics.gapFilled(1000, 1009);
    metrics.gapFilled(2000, 2000);
    metrics.setQueueDepth(512);
    metrics.setTip(300_000_100);
    metrics.setCursor(300_000_090, now / 1000 - 6);
    metrics.setLive(true);
    now += 2000;

    const server = await serve(metrics);
    const { res, text } = await scrape(server);
    expect(res.headers.get('content-type')).toBe(metrics.registry.contentType);
    const exp = parsePromText(text);

    expect(exp.samples.length).toBeGreaterThan(40);
    for (const s of exp.samples) expect(s.name.startsWith('solflow_')).toBe(true);
    for (const name of exp.types.keys()) expect(name.startsWith('solflow_')).toBe(true);

    expect(value(exp, 'solflow_trades_written_total')).toBe(157);
    expect(value(exp, 'solflow_transactions_decoded_total')).toBe(41);
    expect(value(exp, 'solflow_transactions_failed_total', { reason: 'no_decoder' })).toBe(2);
    expect(value(exp, 'solflow_transactions_failed_total', { reason: 'balance_mismatch' })).toBe(1);
    expect(value(exp, 'solflow_skipped_total', { kind: 'malformed_frame' })).toBe(1);
    expect(value(exp, 'solflow_reconnects_total', { source: 'websocket' })).toBe(2);
    expect(value(exp, 'solflow_reconnects_total', { source: 'grpc' })).toBe(1);
    expect(value(exp, 'solflow_gaps_total')).toBe(2);
    expect(value(exp, 'solflow_gap_slots_fetched_total')).toBe(11);
    expect(value(exp, 'solflow_writer_queue_depth')).toBe(512);
    expect(value(exp, 'solflow_writer_commit_seconds_count')).toBe(2);
    expect(value(exp, 'solflow_writer_commit_seconds_sum')).toBeCloseTo(0.204, 9);
    expect(value(exp, 'solflow_writer_commit_seconds_bucket', { le: '0.005' })).toBe(1);
    expect(value(exp, 'solflow_writer_commit_seconds_bucket', { le: '0.25' })).toBe(2);
    expect(exp.types.get('solflow_writer_commit_seconds')).toBe('histogram');
    expect(value(exp, 'solflow_tip_slot')).toBe(300_000_100);
    expect(value(exp, 'solflow_cursor_slot')).toBe(300_000_090);
    expect(value(exp, 'solflow_lag_slots')).toBe(10);
    expect(value(exp, 'solflow_lag_seconds')).toBeCloseTo(8, 6);
    expect(value(exp, 'solflow_live')).toBe(1);

    // prom-client's process and Node metrics, under the same prefix.
    for (const name of ['solflow_process_cpu_user_seconds_total', 'solflow_process_resident_memory_bytes', 'solflow_nodejs_heap_size_used_bytes']) {
      expect(exp.samples.some((s) => s.name === name), name).toBe(true);
    }
    expect(exp.samples.some((s) => s.name.startsWith('solflow_nodejs_eventloop_lag'))).toBe(true);
  });

  it('exports unknown tip, cursor and lag as NaN, not as a reassuring 0', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const exp = parsePromText((await scrape(await serve(metrics))).text);
    for (const name of ['solflow_tip_slot', 'solflow_cursor_slot', 'solflow_lag_slots', 'solflow_lag_seconds']) {
      expect(value(exp, name), name).toBeNaN();
    }
    expect(value(exp, 'solflow_live')).toBe(0);
  });

  it('keeps each process registry separate (fresh registries do not collide)', async () => {
    const a = createMetrics();
    const b = createMetrics();
    a.tradesWritten(5);
    const ea = parsePromText(await a.registry.metrics());
    const eb = parsePromText(await b.registry.metrics());
    expect(value(ea, 'solflow_trades_written_total')).toBe(5);
    expect(value(eb, 'solflow_trades_written_total')).toBe(0);
  });

  it('ignores counts that are not positive finite numbers', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    metrics.tradesWritten(-3);
    metrics.tradesWritten(NaN);
    metrics.tradesWritten(2);
    expect(value(parsePromText(await metrics.registry.metrics()), 'solflow_trades_written_total')).toBe(2);
    expect(metrics.snapshot().tradesWritten).toBe(2);
  });
});

describe('labels', () => {
  const SECRETS = ['APIKEYSECRET1', 'PATHKEY0123456789abcdef0123456789', 'PGPASSWORD9', 'XTOKENSECRET7'];

  it('never carry a URL or a secret, whatever callers pass', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    metrics.transactionFailed('getTransaction null from https://mainnet.example.com/?api-key=APIKEYSECRET1 slot 312000123');
    metrics.skipped('socket wss://ws.example.com/PATHKEY0123456789abcdef0123456789 closed');
    metrics.skipped('store postgres://solflow:PGPASSWORD9@db.internal/solflow unreachable');
    metrics.transactionFailed('x-token: XTOKENSECRET7 refused');
    metrics.reconnect('https://rpc.example.com/?api-key=APIKEYSECRET1');
    metrics.rpc.request('https://rpc.example.com/?api-key=APIKEYSECRET1', 'ok');
    metrics.rpc.request('getBlock', 'https://rpc.example.com/?api-key=APIKEYSECRET1');

    const text = await metrics.registry.metrics();
    for (const secret of SECRETS) expect(text).not.toContain(secret);
    const exp = parsePromText(text);
    for (const s of exp.samples) for (const v of Object.values(s.labels)) expect(v).not.toMatch(/:\/\/|@|\?/);
    expect(value(exp, 'solflow_transactions_failed_total', { reason: 'gettransaction_null_from_url_slot_n' })).toBe(1);
    expect(value(exp, 'solflow_reconnects_total', { source: 'other' })).toBe(1);
    expect(value(exp, 'solflow_rpc_requests_total', { method: 'other', outcome: 'ok' })).toBe(1);
    expect(value(exp, 'solflow_rpc_requests_total', { method: 'getBlock', outcome: 'other' })).toBe(1);
  });

  it('stay bounded: free-text reasons beyond the cap are counted as other', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    for (let i = 0; i < 100; i++) metrics.transactionFailed(`reason ${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))}`);
    const exp = parsePromText(await metrics.registry.metrics());
    const series = exp.samples.filter((s) => s.name === 'solflow_transactions_failed_total');
    expect(series.length).toBe(25);
    expect(series.reduce((sum, s) => sum + s.value, 0)).toBe(100);
    expect(value(exp, 'solflow_transactions_failed_total', { reason: 'other' })).toBe(76);
  });
});

describe('RPC metrics from a real client against a JSON-RPC server on 127.0.0.1', () => {
  it('count retries, final outcomes by method, and the client stats', async () => {
    let posts = 0;
    const rpc: Server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        posts++;
        const call = JSON.parse(body);
        // The first request fails with a 500: the client retries it.
        if (posts === 1) {
          res.writeHead(500).end('busy');
          return;
        }
        const answer =
          call.method === 'getBlock'
            ? { jsonrpc: '2.0', id: call.id, error: { code: -32007, message: 'Slot 5 was skipped' } }
            : { jsonrpc: '2.0', id: call.id, result: 42 };
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
      });
    });
    await new Promise<void>((r) => rpc.listen(0, '127.0.0.1', r));
    open.push({ close: () => new Promise((r) => rpc.close(r)) });
    const url = `http://127.0.0.1:${(rpc.address() as AddressInfo).port}/?api-key=APIKEYSECRET1`;

    const metrics = createMetrics({ defaultMetrics: false });
    const client = new RpcClient({ url, backoffBaseMs: 1, backoffMaxMs: 2, onEvent: metrics.rpc.onEvent });
    open.push({ close: () => client.close() });
    metrics.rpc.follow(() => client.stats);

    metrics.rpc.results('getSlot', await client.callMany('getSlot', [[]]));
    metrics.rpc.results('getBlock', await client.callMany('getBlock', [[5]]));

    const text = await metrics.registry.metrics();
    expect(text).not.toContain('APIKEYSECRET1');
    const exp = parsePromText(text);
    expect(value(exp, 'solflow_rpc_retries_total', { method: 'getSlot', kind: 'server' })).toBe(1);
    expect(value(exp, 'solflow_rpc_requests_total', { method: 'getSlot', outcome: 'ok' })).toBe(1);
    expect(value(exp, 'solflow_rpc_requests_total', { method: 'getBlock', outcome: 'skipped' })).toBe(1);
    expect(value(exp, 'solflow_rpc_http_requests_total')).toBe(3);
    expect(value(exp, 'solflow_rpc_client_calls_total', { result: 'sent' })).toBe(3);
    expect(value(exp, 'solflow_rpc_client_calls_total', { result: 'server_error' })).toBe(1);
    expect(value(exp, 'solflow_rpc_client_calls_total', { result: 'answered' })).toBe(2);
    expect(value(exp, 'solflow_rpc_breaker_state', { state: 'closed' })).toBe(1);
  });

  it('reflect breaker and batch-size events', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    metrics.rpc.onEvent({ type: 'breaker', state: 'open' });
    metrics.rpc.onEvent({ type: 'batch-limit', method: 'getTransaction', size: 25 });
    metrics.rpc.onEvent({ type: 'throttled', retryAfterMs: 1000 });
    const exp = parsePromText(await metrics.registry.metrics());
    expect(value(exp, 'solflow_rpc_breaker_state', { state: 'open' })).toBe(1);
    expect(value(exp, 'solflow_rpc_breaker_state', { state: 'closed' })).toBe(0);
    expect(value(exp, 'solflow_rpc_batch_size', { method: 'getTransaction' })).toBe(25);
    expect(value(exp, 'solflow_rpc_throttled_total')).toBe(1);
  });
});

describe('GET /healthz', () => {
  async function health(server: MetricsServer) {
    const res = await fetch(`${server.url}/healthz`);
    const body = await res.text();
    expect(body.endsWith('\n')).toBe(true);
    expect(body.trim().split('\n')).toHaveLength(1);
    return { status: res.status, body: JSON.parse(body) as { status: string; reason: string } };
  }

  it('is 503 until live, 200 while live and within --max-lag (slots), 503 when behind or disconnected', async () => {
    let now = 1_700_000_000_000;
    const metrics = createMetrics({ defaultMetrics: false, now: () => now });
    const server = await serve(metrics, { maxLag: { slots: 150 } });

    expect(await health(server)).toEqual({ status: 503, body: { status: 'unhealthy', reason: 'not live: not started' } });
    metrics.setLive(true);
    expect((await health(server)).body.reason).toBe('no tip heard yet');
    metrics.setTip(1000);
    expect((await health(server)).body.reason).toBe('nothing committed yet');
    metrics.setCursor(900);
    expect(await health(server)).toEqual({ status: 200, body: { status: 'ok', reason: 'live, lag 100 slots' } });

    metrics.setTip(1151);
    expect(await health(server)).toEqual({ status: 503, body: { status: 'unhealthy', reason: 'lag 251 slots > max 150 slots' } });
    metrics.setCursor(1100);
    expect((await health(server)).status).toBe(200);

    metrics.setLive(false, 'websocket closed by wss://ws.example.com/?api-key=APIKEYSECRET1');
    const down = await health(server);
    expect(down.status).toBe(503);
    expect(down.body.reason).toMatch(/^not live: websocket closed by wss:\/\/ws\.example\.com\//);
    expect(JSON.stringify(down)).not.toContain('APIKEYSECRET1');

    metrics.setLive(true);
    now += 61_000; // no tip for a minute: the source is deaf even if it says it is connected
    expect(await health(server)).toEqual({ status: 503, body: { status: 'unhealthy', reason: 'tip not updated for 61 s' } });
  });

  it("counts the node's slot (HTTP) in the lag, so a socket read behind its backlog cannot hide it; it never makes a deaf tip fresh", async () => {
    let now = 1_700_000_000_000;
    const metrics = createMetrics({ defaultMetrics: false, now: () => now });
    const server = await serve(metrics, { maxLag: { slots: 150 } });
    metrics.setLive(true);
    metrics.setNodeSlot(5000); // before any slot notification: no tip to raise yet
    expect((await health(server)).body.reason).toBe('no tip heard yet');
    metrics.setTip(1000);
    metrics.setCursor(990);
    metrics.setNodeSlot(1400); // the socket still delivers slot 1000 while the node is at 1400
    expect(await health(server)).toEqual({ status: 503, body: { status: 'unhealthy', reason: 'lag 410 slots > max 150 slots' } });
    expect(metrics.snapshot().tip).toBe(1400);
    metrics.setNodeSlot(1300); // a lower answer (another node behind the balancer) lowers nothing
    expect(metrics.snapshot().tip).toBe(1400);
    now += 61_000;
    metrics.setNodeSlot(1500);
    expect((await health(server)).body.reason).toBe('tip not updated for 61 s');
  });

  it('measures a --max-lag in seconds from the cursor block time, estimating from slots until one is known', async () => {
    let now = 1_700_000_000_000;
    const metrics = createMetrics({ defaultMetrics: false, now: () => now });
    const server = await serve(metrics, { maxLag: { seconds: 30 } });
    metrics.setLive(true);
    metrics.setTip(1000);
    metrics.setCursor(950); // 50 slots ≈ 20 s, no block time yet
    expect(await health(server)).toEqual({ status: 200, body: { status: 'ok', reason: 'live, lag 20.0 s (estimated from 50 slots)' } });
    metrics.setCursor(990, now / 1000 - 10);
    expect((await health(server)).body.reason).toBe('live, lag 10.0 s');
    now += 25_000;
    metrics.setTip(1001);
    expect(await health(server)).toEqual({ status: 503, body: { status: 'unhealthy', reason: 'lag 35.0 s > max 30 s' } });
  });
});

describe('the server', () => {
  it('binds 127.0.0.1 on a free port by default and answers 404/405 for the rest', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const server = await serve(metrics);
    expect(server.host).toBe('127.0.0.1');
    expect(server.port).toBeGreaterThan(0);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    for (const path of ['/', '/metric', '/healthz/x', '/favicon.ico']) expect((await fetch(server.url + path)).status, path).toBe(404);
    const post = await fetch(`${server.url}/metrics`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    expect((await fetch(`${server.url}/metrics?x=1`)).status).toBe(200);
  });

  it('closes cleanly, even with a keep-alive connection open, and refuses connections after', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const server = await startMetricsServer({ registry: metrics.registry, health: () => metrics.health(), port: 0 });
    const res = await fetch(`${server.url}/metrics`, { headers: { connection: 'keep-alive' } });
    await res.text();
    await server.close();
    await server.close(); // twice is harmless
    await expect(fetch(`${server.url}/metrics`)).rejects.toThrow();
  });

  it('reports a port already in use as an error', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const first = await serve(metrics);
    await expect(startMetricsServer({ registry: metrics.registry, health: () => metrics.health(), port: first.port })).rejects.toThrow(/EADDRINUSE/);
  });
});
