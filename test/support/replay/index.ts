/**
 * Start a replay RPC server over the recorded fixtures in one call (tests, bench, manual runs).
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildChain, loadTransactions, type ChainOptions } from './chain.js';
import { startReplayServer, type Faults, type ReplayServer } from './server.js';

export type { Faults, ReplayServer, ServerStats, CallRecord } from './server.js';
export type { Chain, ChainOptions, Block, BlockTx } from './chain.js';
export { buildChain, loadTransactions } from './chain.js';
export { startReplayServer } from './server.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** The recorded real mainnet transactions (getTransaction results) shared by all tests. */
export const FIXTURE_TX_DIR = join(REPO, 'fixtures', 'tx');

export interface ReplayOptions extends ChainOptions {
  faults?: Faults;
  port?: number;
  /** Directory of getTransaction JSON files; default fixtures/tx. */
  txDir?: string;
}

export async function startReplay(opts: ReplayOptions = {}): Promise<ReplayServer> {
  const dir = opts.txDir ?? FIXTURE_TX_DIR;
  if (!existsSync(dir)) throw new Error(`replay: no transactions at ${dir}`);
  const chain = buildChain(loadTransactions(dir), opts);
  return startReplayServer(chain, opts.faults ?? {}, opts.port ?? 0);
}
