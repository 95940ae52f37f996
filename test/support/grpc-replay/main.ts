/**
 * Run the Yellowstone gRPC replay server by hand (or beside the JSON-RPC replay for a demo):
 *   npx tsx test/support/grpc-replay/main.ts --port 10000 --slot-ms 400 --x-token secret
 * then point `solflow ingest --grpc http://127.0.0.1:10000 --x-token secret` at it.
 * Flags: --port --slot-ms --retain N (replayable slots) --ping-ms --x-token --shuffle
 *        --tx-per-block N --skip-every N --copies N --first-slot N
 *        faults: --drop-at S[,S…] --end-at S[,S…] --garbage-at S[,S…] --invalid-at S[,S…] --mute-at S[,S…]
 *                --outage-at SLOT/MS
 * The chain is built from the json-encoded fixtures exactly as `startReplay({ txs:
 * grpcServableFixtures() })` builds it, so the JSON-RPC replay started with the same chain
 * options serves the same slots for gap fill.
 */
import { startGrpcReplayFromFixtures } from './index.js';

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
const slots = (k: string) => flags.get(k)?.split(',').map(Number);
const outage = flags.get('outage-at')?.split('/').map(Number);

const server = await startGrpcReplayFromFixtures({
  port: num('port') ?? 10000,
  slotMs: num('slot-ms'),
  retainSlots: num('retain'),
  pingMs: num('ping-ms'),
  xToken: flags.get('x-token'),
  shuffle: flags.has('shuffle'),
  txPerBlock: num('tx-per-block'),
  skipEvery: num('skip-every'),
  copies: num('copies'),
  firstSlot: num('first-slot'),
  faults: {
    dropAtSlots: slots('drop-at'),
    endAtSlots: slots('end-at'),
    garbageAtSlots: slots('garbage-at'),
    invalidAtSlots: slots('invalid-at'),
    muteAtSlots: slots('mute-at'),
    outageAt: outage ? { slot: outage[0], ms: outage[1] } : undefined,
  },
});
const { chain } = server;
process.stdout.write(
  `gRPC replay on ${server.url}: slots ${chain.firstSlot}..${chain.lastSlot}, ${chain.produced.length} blocks, ${chain.bySignature.size} transactions (the clock starts on the first subscription)\n`,
);
const stop = () => {
  const s = server.stats;
  process.stdout.write(
    `\n${s.subscribes.length} subscriptions, ${s.updatesSent} updates, ${s.drops} drops, ${s.outages} outages, ${s.rejected.outOfRange} out-of-range, ${s.rejected.unauthenticated} unauthenticated\n`,
  );
  void server.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
