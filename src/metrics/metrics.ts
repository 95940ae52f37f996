/**
 * The process's metrics: one prom-client Registry (never the global default, so every test and
 * every embedded use gets its own) and a typed object whose methods are the only way callers
 * record anything — no caller spells a metric name or a label.
 *
 * Every name starts with `solflow_`, prom-client's process/Node metrics included.
 *
 * `solflow_trades_written_total` must equal what is committed: call `committed()` (or
 * `tradesWritten()`) from the writer's commit, with the rows that commit stored — never from
 * what was queued, which a crash or a failed transaction would leave unwritten.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { redactText } from '../util/redact.js';
import { evaluateHealth, lagOf, type Health, type HealthLimits, type Lag, type LiveState } from './health.js';
import { labelGuard, oneOf } from './labels.js';
import { createRpcMetrics, type RpcMetrics } from './rpc.js';

export const METRIC_PREFIX = 'solflow_';

const SOURCES = ['websocket', 'grpc', 'rpc'] as const;

export interface MetricsOptions {
  /** Include prom-client's process/Node metrics (prefixed); default true. */
  defaultMetrics?: boolean;
  /** Clock, ms since epoch (tests). */
  now?: () => number;
}

/** Totals and live state, for the status line and the summary log. */
export interface MetricsSnapshot extends LiveState {
  lag: Lag;
  tradesWritten: number;
  transactionsDecoded: number;
  transactionsFailed: number;
  reconnects: number;
  gaps: number;
  gapSlots: number;
  skipped: number;
  queueDepth: number;
}

export interface Metrics {
  readonly registry: Registry;
  readonly rpc: RpcMetrics;

  /** One writer commit: the trades it stored and how long the transaction took. */
  committed(c: { trades: number; seconds: number }): void;
  /** Trades stored by a commit (use committed() where the duration is known too). */
  tradesWritten(n: number): void;
  commitSeconds(seconds: number): void;
  setQueueDepth(n: number): void;

  transactionsDecoded(n?: number): void;
  /** A transaction that failed to decode; `reason` is reduced to a short bounded label. */
  transactionFailed(reason: string, n?: number): void;
  /** Something received and dropped (malformed frame, missing transaction...). */
  skipped(kind: string, n?: number): void;
  /** A live connection was redialled; source is 'websocket' | 'grpc' (else 'other'). */
  reconnect(source: string): void;
  /** A gap [from, to] was fetched over HTTP. */
  gapFilled(from: number, to: number): void;

  /** The chain's tip as the live source hears it. */
  setTip(slot: number): void;
  /**
   * The node's slot at our commitment, asked over HTTP. It raises the tip (never its
   * freshness): a socket read behind its backlog delivers old slot notifications, and the lag
   * must show how far behind the chain ingest really is, not how far behind its own socket.
   */
  setNodeSlot(slot: number): void;
  /**
   * The stored cursor (last slot fully committed) and that slot's block time when known. Without
   * one, the last known block time stays: lag in seconds then reads high, never low.
   */
  setCursor(slot: number, blockTime?: number | null): void;
  /** Source connected and streaming (true), or not and why. */
  setLive(live: boolean, reason?: string): void;

  snapshot(): MetricsSnapshot;
  health(limits?: HealthLimits): Health;
}

export function createMetrics(opts: MetricsOptions = {}): Metrics {
  const now = opts.now ?? Date.now;
  const registry = new Registry();
  if (opts.defaultMetrics !== false) collectDefaultMetrics({ register: registry, prefix: METRIC_PREFIX });
  const registers = [registry];

  const state: LiveState = { live: false, notLiveReason: 'not started', tip: null, tipAtMs: null, cursor: null, cursorBlockTime: null };
  const totals = { tradesWritten: 0, transactionsDecoded: 0, transactionsFailed: 0, reconnects: 0, gaps: 0, gapSlots: 0, skipped: 0, queueDepth: 0 };
  const reasonLabel = labelGuard();
  const kindLabel = labelGuard();
  const sourceLabel = oneOf(SOURCES);

  const trades = new Counter({ name: 'solflow_trades_written_total', help: 'Trades committed to the store', registers });
  const decoded = new Counter({ name: 'solflow_transactions_decoded_total', help: 'Transactions decoded', registers });
  const failed = new Counter({
    name: 'solflow_transactions_failed_total',
    help: 'Transactions that failed to decode, by reason',
    labelNames: ['reason'],
    registers,
  });
  const skipped = new Counter({ name: 'solflow_skipped_total', help: 'Items received and dropped, by kind', labelNames: ['kind'], registers });
  const reconnects = new Counter({
    name: 'solflow_reconnects_total',
    help: 'Live connections redialled, by source',
    labelNames: ['source'],
    registers,
  });
  const gaps = new Counter({ name: 'solflow_gaps_total', help: 'Gaps fetched over HTTP', registers });
  const gapSlots = new Counter({ name: 'solflow_gap_slots_fetched_total', help: 'Slots fetched over HTTP to fill gaps', registers });
  const queueDepth = new Gauge({ name: 'solflow_writer_queue_depth', help: 'Rows queued in the writer, not yet committed', registers });
  const commitTime = new Histogram({
    name: 'solflow_writer_commit_seconds',
    help: 'Time per writer commit (one transaction)',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });
  // Unknown values are exported as NaN rather than 0: a 0 tip or a 0 lag would read as real.
  const known = (v: number | null) => (v === null ? NaN : v);
  new Gauge({
    name: 'solflow_tip_slot',
    help: 'Latest slot heard from the live source',
    registers,
    collect() {
      this.set(known(state.tip));
    },
  });
  new Gauge({
    name: 'solflow_cursor_slot',
    help: 'Stored cursor: the last slot whose trades are all committed',
    registers,
    collect() {
      this.set(known(state.cursor));
    },
  });
  new Gauge({
    name: 'solflow_lag_slots',
    help: 'Tip minus cursor, in slots',
    registers,
    collect() {
      this.set(known(lagOf(state, now()).slots));
    },
  });
  new Gauge({
    name: 'solflow_lag_seconds',
    help: "Now minus the cursor slot's block time, in seconds (NaN until a block time is known)",
    registers,
    collect() {
      this.set(known(lagOf(state, now()).seconds));
    },
  });
  new Gauge({
    name: 'solflow_live',
    help: '1 while the live source is connected and streaming',
    registers,
    collect() {
      this.set(state.live ? 1 : 0);
    },
  });

  const count = (n: number) => (Number.isFinite(n) && n > 0 ? n : 0);
  // Plain closures, not `this`: callers may pass a method on its own (onCommit: metrics.committed).
  const tradesWritten = (n: number) => {
    trades.inc(count(n));
    totals.tradesWritten += count(n);
  };
  const commitSeconds = (seconds: number) => {
    if (Number.isFinite(seconds) && seconds >= 0) commitTime.observe(seconds);
  };

  return {
    registry,
    rpc: createRpcMetrics(registry),
    committed({ trades: n, seconds }) {
      tradesWritten(n);
      commitSeconds(seconds);
    },
    tradesWritten,
    commitSeconds,
    setQueueDepth(n) {
      totals.queueDepth = count(n);
      queueDepth.set(totals.queueDepth);
    },
    transactionsDecoded(n = 1) {
      decoded.inc(count(n));
      totals.transactionsDecoded += count(n);
    },
    transactionFailed(reason, n = 1) {
      failed.inc({ reason: reasonLabel(reason) }, count(n));
      totals.transactionsFailed += count(n);
    },
    skipped(kind, n = 1) {
      skipped.inc({ kind: kindLabel(kind) }, count(n));
      totals.skipped += count(n);
    },
    reconnect(source) {
      reconnects.inc({ source: sourceLabel(source) });
      totals.reconnects++;
    },
    gapFilled(from, to) {
      const slots = to >= from ? to - from + 1 : 0;
      gaps.inc();
      gapSlots.inc(slots);
      totals.gaps++;
      totals.gapSlots += slots;
    },
    setTip(slot) {
      // A tip never goes back: a lagging second subscription must not make lag look smaller.
      if (state.tip === null || slot >= state.tip) state.tip = slot;
      state.tipAtMs = now();
    },
    setNodeSlot(slot) {
      if (state.tip !== null && slot > state.tip) state.tip = slot;
    },
    setCursor(slot, blockTime = null) {
      state.cursor = slot;
      if (blockTime !== null && blockTime !== undefined) state.cursorBlockTime = blockTime;
    },
    setLive(live, reason) {
      state.live = live;
      state.notLiveReason = live ? null : reason ? redactText(reason) : null;
    },
    snapshot() {
      return { ...state, lag: lagOf(state, now()), ...totals };
    },
    health(limits = {}) {
      return evaluateHealth(state, limits, now());
    },
  };
}
