import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log/index.js';
import { createMetrics, liveEventRecorder } from '../../src/metrics/index.js';
import { Capture } from '../log/capture.js';
import { parsePromText, value } from './prom-text.js';

describe('liveEventRecorder', () => {
  it('turns live events into metrics and one log record per event worth knowing', async () => {
    let now = 1_700_000_000_000;
    const metrics = createMetrics({ defaultMetrics: false, now: () => now });
    const out = new Capture();
    const log = createLogger({ stream: out, json: true });
    const record = liveEventRecorder(metrics, log, 'websocket/logs');

    record({ kind: 'connected', mode: 'websocket/logs' });
    record({ kind: 'tip', slot: 500 });
    record({ kind: 'watermark', slot: 499, blockTime: null });
    record({ kind: 'skip', reason: 'malformed frame', slot: 499 });
    record({ kind: 'reconnect', attempt: 1, reason: 'silent for 30 s on wss://ws.example.com/?api-key=APIKEYSECRET1', delayMs: 812.4 });
    expect(metrics.health().reason).toMatch(/^not live: reconnecting: silent for 30 s on wss:\/\/ws\.example\.com\/\?api-key=\*\*\*$/);
    record({ kind: 'gap', from: 501, to: 510, reason: 'reconnect' });
    record({ kind: 'connected', mode: 'websocket/logs' });
    record({ kind: 'tip', slot: 512 });
    now += 1000;

    const exp = parsePromText(await metrics.registry.metrics());
    expect(value(exp, 'solflow_tip_slot')).toBe(512);
    expect(value(exp, 'solflow_reconnects_total', { source: 'websocket' })).toBe(1);
    expect(value(exp, 'solflow_skipped_total', { kind: 'malformed_frame' })).toBe(1);
    expect(value(exp, 'solflow_live')).toBe(1);

    const records = out.lines().map((l) => JSON.parse(l));
    expect(records.map((r) => r.msg)).toEqual(['connected', 'skipped', 'connection lost, reconnecting', 'gap reported, fetching over HTTP', 'connected']);
    expect(records[2]).toMatchObject({ level: 'warn', source: 'websocket/logs', attempt: 1, delayMs: 812 });
    expect(records[3]).toMatchObject({ from: 501, to: 510, slots: 10 });
    expect(out.text).not.toContain('APIKEYSECRET1');
  });
});
