/**
 * Run the replay server by hand:
 *   npx vite-node test/support/replay/main.ts -- --port 8899 --latency 50 --rps 200
 * then e.g. `solflow backfill 312000000..312000040 --rpc http://127.0.0.1:8899`.
 * Flags: --port --latency --jitter --rps --burst --drop --timeout --5xx --malformed
 *        --unavailable (rates 0..1) --no-batch --batch-max N --tx-per-block N --skip-every N
 *        --copies N --first-slot N --tx-dir DIR
 *        --window CALLS/MS[/METHOD] (a fixed-window limit, e.g. 100/10000 or 40/10000/getTransaction;
 *        comma-separate several)
 *        WebSocket (same port): --slot-ms N (replayed clock, default 400; it starts on the first
 *        subscription) --ws-latency MS --ws-drop P --ws-malformed P --ws-max-connections N
 *        --no-block-subscribe (answer blockSubscribe 'Method not found', like most providers)
 */
import { startReplay, type Faults } from './index.js';

const args = process.argv.slice(2).filter((a) => a !== '--');
const flags = new Map<string, string>();
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (!a.startsWith('--')) continue;
  const next = args[i + 1];
  if (next === undefined || next.startsWith('--')) flags.set(a.slice(2), 'true');
  else flags.set(a.slice(2), args[++i]);
}
const num = (k: string) => (flags.has(k) ? Number(flags.get(k)) : undefined);

const faults: Faults = {
  latencyMs: num('latency'),
  jitterMs: num('jitter'),
  rps: num('rps'),
  burst: num('burst'),
  dropRate: num('drop'),
  timeoutRate: num('timeout'),
  http5xxRate: num('5xx'),
  malformedRate: num('malformed'),
  unavailableRate: num('unavailable'),
  windows: flags.get('window')?.split(',').map((w) => {
    const [calls, ms, method] = w.split('/');
    return { calls: Number(calls), ms: Number(ms), method: method || undefined };
  }),
  batch: flags.has('no-batch') ? false : (num('batch-max') ?? true),
  seed: num('seed'),
  wsLatencyMs: num('ws-latency'),
  wsDropRate: num('ws-drop'),
  wsMalformedRate: num('ws-malformed'),
  wsMaxConnections: num('ws-max-connections'),
};

const server = await startReplay({
  port: num('port') ?? 8899,
  faults,
  txPerBlock: num('tx-per-block'),
  skipEvery: num('skip-every'),
  copies: num('copies'),
  firstSlot: num('first-slot'),
  txDir: flags.get('tx-dir'),
  live: { slotMs: num('slot-ms'), blockSubscribe: !flags.has('no-block-subscribe') },
});
const { chain } = server;
process.stdout.write(
  `replay RPC on ${server.url} (WebSocket ${server.live.wsUrl}): slots ${chain.firstSlot}..${chain.lastSlot}, ${chain.produced.length} blocks, ${chain.bySignature.size} transactions\n`,
);
const stop = () => {
  const s = server.stats;
  process.stdout.write(`\nserved ${s.served} calls, ${s.throttled} throttled, ${s.http5xx} 5xx, ${s.timeouts} timeouts, ${s.drops} drops\n`);
  server.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
