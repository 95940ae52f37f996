/**
 * The pieces wired the way `solflow ingest` will wire them: metrics, the HTTP server, the
 * logger and the status line sharing one process, with a secret-bearing endpoint throughout.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger, createRate, startStatusLine } from '../../src/log/index.js';
import { createMetrics, liveEventRecorder, parseMaxLag, startMetricsServer } from '../../src/metrics/index.js';
import { Capture } from '../log/capture.js';
import { parsePromText, value } from './prom-text.js';

const closers: Array<() => unknown> = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

describe('ingest-style wiring', () => {
  it('serves metrics and health, logs and shows status, and leaks no secret anywhere', async () => {
    const rpcUrl = 'https://rpc.example.com/?api-key=APIKEYSECRET1';
    const xToken = 'XTOKENSECRET7f3a';
    const out = new Capture({ isTTY: true, columns: 100 });

    const metrics = createMetrics();
    const log = createLogger({ stream: out, secrets: [xToken] });
    const server = await startMetricsServer({ registry: metrics.registry, health: () => metrics.health({ maxLag: parseMaxLag('150') }), port: 0 });
    closers.push(() => server.close());
    const tps = createRate();
    const status = startStatusLine({
      logger: log,
      minRedrawMs: 0, // draw on every refresh(), so this test need not wait for the throttle
      fields: () => {
        const s = metrics.snapshot();
        return { slot: s.tip, lag: s.lag.slots, 'trades/s': tps.sample(s.tradesWritten), reconnects: s.reconnects };
      },
    });
    closers.push(() => status.stop());
    const onLive = liveEventRecorder(metrics, log, 'grpc');

    log.info(`ingest starting: rpc ${rpcUrl}, grpc with x-token ${xToken}`);
    onLive({ kind: 'connected', mode: 'grpc' });
    onLive({ kind: 'tip', slot: 1000 });
    metrics.committed({ trades: 42, seconds: 0.003 }); // from the writer's commit
    metrics.setCursor(995, Math.floor(Date.now() / 1000));
    status.refresh();
    expect(out.chunks.at(-1)).toMatch(/^\r\x1b\[2Kslot 1000 \| lag 5 \| trades\/s [\d.]+ \| reconnects 0$/);

    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    const exp = parsePromText(await (await fetch(`${server.url}/metrics`)).text());
    expect(value(exp, 'solflow_trades_written_total')).toBe(42);
    expect(value(exp, 'solflow_lag_slots')).toBe(5);

    expect(out.text).not.toContain('APIKEYSECRET1');
    expect(out.text).not.toContain(xToken);
  });
});
