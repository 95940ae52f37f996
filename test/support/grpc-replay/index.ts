/**
 * A Yellowstone (Geyser) gRPC replay server on 127.0.0.1 for tests, benches and `solflow demo`:
 *
 *   const grpc = await startGrpcReplayFromFixtures({ slotMs: 50, faults: { dropAtSlots: [312000007] } });
 *   // grpc.url = http://127.0.0.1:PORT; grpc.chain is the same chain startReplay({ txs: grpcServableFixtures() })
 *   // serves over JSON-RPC, so gaps can be filled from there.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildChain, FIXTURE_TX_DIR, loadTransactions, type BlockTx, type ChainOptions } from '../replay/index.js';
import { isGrpcServable } from './to-proto.js';
import { startGrpcReplay, type GrpcReplayOptions, type GrpcReplayServer } from './server.js';

export { loadDump, dumpToInfo } from './dump.js';
export { toTransactionInfo, isGrpcServable, encodeTxError, numericMeta } from './to-proto.js';
export { startGrpcReplay } from './server.js';
export type { GrpcReplayOptions, GrpcReplayServer, GrpcReplayStats, GrpcFaults } from './server.js';

/** Real recorded Yellowstone transaction updates (their getTransaction twins are in fixtures/tx). */
export const RAW_GRPC_DIR = join(dirname(fileURLToPath(import.meta.url)), 'raw-grpc');

/**
 * The bundled fixtures a Geyser node could have streamed: the json-encoded ones (jsonParsed
 * results cannot be turned back into bytes). Build the HTTP replay from the same list so both
 * servers serve one chain.
 */
export function grpcServableFixtures(dir = FIXTURE_TX_DIR): BlockTx[] {
  return loadTransactions(dir).filter(isGrpcServable);
}

export async function startGrpcReplayFromFixtures(
  opts: GrpcReplayOptions & ChainOptions & { txs?: BlockTx[] } = {},
): Promise<GrpcReplayServer> {
  // `slotMs` here is the clock's pace, not ChainOptions.slotMs (block times): passing it on made
  // a fast or hand-stepped clock stamp every block with nearly the genesis time, so the chain
  // no longer matched the JSON-RPC replay's. Block times stay the chain's default, as there.
  const { slotMs: _clockMs, ...chainOpts } = opts;
  return startGrpcReplay(buildChain(opts.txs ?? grpcServableFixtures(), chainOpts), opts);
}
