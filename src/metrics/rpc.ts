/**
 * RPC metrics, fed three ways because the RPC client reports three kinds of fact:
 *
 * - `onEvent`: pass as the client's `onEvent` option (alone or chained with a logger). Counts
 *   retries by method and failure kind, 429 episodes, breaker state, batch-size changes.
 * - `follow(() => client.stats)`: read at scrape time, so calls made by code that never sees the
 *   results (the backfill machinery filling a gap) are counted too.
 * - `results(method, settled)`: the final outcome per call, by method, from code that holds
 *   the settled results (`callMany`'s answer).
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import type { ClientEvent, ClientStats } from '../sources/rpc/client.js';
import type { FailureKind } from '../sources/rpc/errors.js';
import { oneOf } from './labels.js';

const METHODS = [
  'getTransaction',
  'getBlock',
  'getBlocks',
  'getBlocksWithLimit',
  'getBlockTime',
  'getSlot',
  'getSignaturesForAddress',
  'getFirstAvailableBlock',
  'getBlockHeight',
  'getLatestBlockhash',
  'getHealth',
  'getVersion',
] as const;

const FAILURE_KINDS: readonly FailureKind[] = [
  'throttled',
  'server',
  'timeout',
  'network',
  'malformed',
  'unavailable',
  'skipped',
  'rpc',
  'fatal',
  'down',
  'aborted',
];

/** ClientStats field → `result` label of solflow_rpc_client_calls_total. */
const STAT_RESULTS: ReadonlyArray<[keyof ClientStats, string]> = [
  ['calls', 'sent'],
  ['answered', 'answered'],
  ['throttled', 'throttled'],
  ['serverErrors', 'server_error'],
  ['timeouts', 'timeout'],
  ['networkErrors', 'network_error'],
  ['malformed', 'malformed'],
  ['unavailable', 'unavailable'],
  ['retries', 'retried'],
  ['failed', 'failed'],
];

const BREAKER_STATES = ['closed', 'half-open', 'open'] as const;

export type SettledLike = { ok: true } | { ok: false; error: { kind: string } };

export interface RpcMetrics {
  /** Give to `new RpcClient({ onEvent })`. */
  onEvent(event: ClientEvent): void;
  /** Count calls from a client's running stats at every scrape (several clients add up). */
  follow(stats: () => ClientStats): void;
  /** Final outcome of one call: 'ok' or the RpcError kind. */
  request(method: string, outcome: string, n?: number): void;
  /** Final outcomes of a callMany answer. */
  results(method: string, settled: readonly SettledLike[]): void;
}

export function createRpcMetrics(registry: Registry): RpcMetrics {
  const method = oneOf(METHODS);
  const outcome = oneOf(['ok', ...FAILURE_KINDS]);
  const kind = oneOf(FAILURE_KINDS);
  const followed: Array<() => ClientStats> = [];

  const requests = new Counter({
    name: 'solflow_rpc_requests_total',
    help: 'RPC calls by method and final outcome (ok, or the failure kind after retries)',
    labelNames: ['method', 'outcome'],
    registers: [registry],
  });
  const retries = new Counter({
    name: 'solflow_rpc_retries_total',
    help: 'RPC retry rounds by method and the failure kind that caused them',
    labelNames: ['method', 'kind'],
    registers: [registry],
  });
  const throttled = new Counter({
    name: 'solflow_rpc_throttled_total',
    help: 'Times the endpoint answered 429 / rate limited (one per throttled response)',
    registers: [registry],
  });
  const breaker = new Gauge({
    name: 'solflow_rpc_breaker_state',
    help: 'Circuit breaker state of the RPC endpoint (1 for the current state)',
    labelNames: ['state'],
    registers: [registry],
  });
  for (const s of BREAKER_STATES) breaker.set({ state: s }, s === 'closed' ? 1 : 0);
  const batchSize = new Gauge({
    name: 'solflow_rpc_batch_size',
    help: 'JSON-RPC batch size in use per method, after the endpoint refused larger ones',
    labelNames: ['method'],
    registers: [registry],
  });
  new Counter({
    name: 'solflow_rpc_client_calls_total',
    help: 'RPC client call attempts by result, from the client counters (sent includes retries)',
    labelNames: ['result'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [field, result] of STAT_RESULTS) {
        const total = followed.reduce((sum, stats) => sum + stats()[field], 0);
        this.inc({ result }, total);
      }
    },
  });
  new Counter({
    name: 'solflow_rpc_http_requests_total',
    help: 'HTTP requests sent to the RPC endpoint (a batch is one request)',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(followed.reduce((sum, stats) => sum + stats().requests, 0));
    },
  });

  return {
    onEvent(event) {
      switch (event.type) {
        case 'retry':
          retries.inc({ method: method(event.method), kind: kind(event.kind) });
          return;
        case 'throttled':
          throttled.inc();
          return;
        case 'breaker':
          for (const s of BREAKER_STATES) breaker.set({ state: s }, s === event.state ? 1 : 0);
          return;
        case 'batch-limit':
          batchSize.set({ method: method(event.method) }, event.size);
          return;
      }
    },
    follow(stats) {
      followed.push(stats);
    },
    request(m, o, n = 1) {
      requests.inc({ method: method(m), outcome: outcome(o) }, n);
    },
    results(m, settled) {
      const counts = new Map<string, number>();
      for (const r of settled) {
        const o = r.ok ? 'ok' : r.error.kind;
        counts.set(o, (counts.get(o) ?? 0) + 1);
      }
      for (const [o, n] of counts) requests.inc({ method: method(m), outcome: outcome(o) }, n);
    },
  };
}
