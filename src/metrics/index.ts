export { createMetrics, METRIC_PREFIX, type Metrics, type MetricsOptions, type MetricsSnapshot } from './metrics.js';
export { startMetricsServer, type MetricsServer, type MetricsServerOptions } from './server.js';
export {
  parseMaxLag,
  describeMaxLag,
  evaluateHealth,
  lagOf,
  DEFAULT_MAX_LAG,
  DEFAULT_MAX_TIP_AGE_MS,
  type MaxLag,
  type Health,
  type HealthLimits,
  type LiveState,
  type Lag,
} from './health.js';
export type { RpcMetrics, SettledLike } from './rpc.js';
export { labelGuard, labelSlug, oneOf } from './labels.js';
export { liveEventRecorder } from './live-events.js';
