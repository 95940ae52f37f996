/**
 * What a live source's events mean for the metrics and the log, written once for both sources.
 * This only records; the ingest loop still acts on the events (feeds transactions to the
 * pipeline, fills gaps over HTTP, advances the cursor after commits) and reports the results of
 * those acts itself: `metrics.gapFilled()` after a gap's slots are fetched, `metrics.setCursor()`
 * after a commit.
 *
 * Events worth a log record (the "one per event worth knowing" off a TTY): connected,
 * reconnecting, gap reported, item skipped. Tips, transactions and watermarks are too frequent
 * to log; they show in the metrics and the status line.
 */
import type { Logger } from '../log/logger.js';
import type { LiveEvent } from '../sources/live/types.js';
import type { Metrics } from './metrics.js';

/** `sourceName` is LiveSource.name ('websocket/logs', 'grpc'...); its first part labels reconnects. */
export function liveEventRecorder(metrics: Metrics, log: Logger, sourceName: string): (event: LiveEvent) => void {
  const source = sourceName.split('/')[0];
  return (event) => {
    switch (event.kind) {
      case 'tip':
        metrics.setTip(event.slot);
        return;
      case 'connected':
        metrics.setLive(true);
        log.info('connected', { source: sourceName, mode: event.mode });
        return;
      case 'reconnect':
        metrics.reconnect(source);
        metrics.setLive(false, `reconnecting: ${event.reason}`);
        log.warn('connection lost, reconnecting', { source: sourceName, attempt: event.attempt, reason: event.reason, delayMs: Math.round(event.delayMs) });
        return;
      case 'gap':
        log.warn('gap reported, fetching over HTTP', { source: sourceName, from: event.from, to: event.to, slots: event.to - event.from + 1, reason: event.reason });
        return;
      case 'skip':
        metrics.skipped(event.reason);
        log.warn('skipped', { source: sourceName, reason: event.reason, signature: event.signature, slot: event.slot });
        return;
      case 'tx':
      case 'watermark':
        return;
    }
  };
}
