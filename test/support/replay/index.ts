/**
 * Start a replay RPC server over the recorded fixtures in one call (tests, bench, manual runs).
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildChain, loadTransactions, type BlockTx, type ChainOptions } from '../../../src/replay/chain.js';
import { startReplayServer, type Faults, type ReplayServer } from '../../../src/replay/server.js';
import type { LiveOptions } from '../../../src/replay/live.js';

export type { Faults, ReplayServer, ServerStats, CallRecord, WindowLimit } from '../../../src/replay/server.js';
export type { Live, LiveOptions, LiveFaults, LiveStats } from '../../../src/replay/live.js';
export type { Chain, ChainOptions, Block, BlockTx } from '../../../src/replay/chain.js';
export { buildChain, loadTransactions, loadTransaction } from '../../../src/replay/chain.js';
export { startReplayServer } from '../../../src/replay/server.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** The recorded real mainnet transactions (getTransaction results) shared by all tests. */
export const FIXTURE_TX_DIR = join(REPO, 'fixtures', 'tx');
/** A recorded transaction the decoder rejects (programIdIndex out of range). */
export const MALFORMED_TX = join(REPO, 'fixtures', 'malformed', 'F47c3CizgWhK8RsTerwQLu7XbmoLzSxHC5F17A1qf5upQu1MUJJyzuq2GyLoEDy6xGKdLVinPNo7idXCiFBbor4.json');
export const REPO_ROOT = REPO;

export interface ReplayOptions extends ChainOptions {
  faults?: Faults;
  port?: number;
  /** Directory of getTransaction JSON files; default fixtures/tx. */
  txDir?: string;
  /** The transactions to serve, instead of reading txDir. */
  txs?: BlockTx[];
  /** The WebSocket side's replayed clock (pace, first slot, when it starts). */
  live?: LiveOptions;
}

export async function startReplay(opts: ReplayOptions = {}): Promise<ReplayServer> {
  const dir = opts.txDir ?? FIXTURE_TX_DIR;
  if (!opts.txs && !existsSync(dir)) throw new Error(`replay: no transactions at ${dir}`);
  const chain = buildChain(opts.txs ?? loadTransactions(dir), opts);
  return startReplayServer(chain, opts.faults ?? {}, opts.port ?? 0, opts.live);
}
