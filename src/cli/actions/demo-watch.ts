/**
 * `solflow demo --watch`: the bundled real transactions replayed as a live chain, so a new user
 * sees the tape, the flags and signals move without an RPC endpoint. The replay server
 * (src/replay) serves them on 127.0.0.1 as a chain whose clock runs faster than real time; the
 * real live path (WebSocket source, ingest loop, pipeline, writer) follows it into a temporary
 * database, and watch shows it, labelled REPLAY. Nothing here stands in for the pipeline: only
 * the chain is synthetic (its slots and block times; the transactions are the recorded ones).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EngineOptionsInput } from '../../core/flow/options.js';
import { buildChain, loadTransaction, loadTransactions } from '../../replay/chain.js';
import { startReplayServer } from '../../replay/server.js';
import { bundledFixturesDir, realFillFiles } from './demo-fixtures.js';
import { runLiveWatch } from './watch-live.js';

/** Chain time per slot: the ~50 slots of the bundle span a few minutes, inside the 5m/15m windows. */
const CHAIN_SLOT_MS = 2000;
/** Wall time per slot: 5× faster than the chain's clock (~20 s for the whole bundle). */
const WALL_SLOT_MS = 400;
/** Past the last transaction, so the live source seals it and the engine releases what it holds. */
const TRAILING_SLOTS = 24;

/**
 * The bundle is ~150 transactions over ~100 tokens: under the default thresholds (tuned for a
 * real chain's volume) no token gathers enough to fire. The replay lowers them, and says so on
 * the screen; flags (BOT, DCA …) use the defaults.
 */
export const REPLAY_SIGNALS: EngineOptionsInput['signals'] = {
  breakout: { minNetSol: 0.05, minTrades: 2, minWallets: 2, maxBotShare: 1 },
  focusedBuyers: { minInflowSol: 0.05, minBuyers: 2 },
  flowReversal: { minOutflowSol: 0.01, minTrades: 1, minSellers: 1, minPriorInflowSol: 0.01, minPriorTrades: 1 },
};

export async function runDemoWatch(env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'solflow-replay-'));
  // The bundle, and the real limit-order keeper fill recorded beside the decoder's fill tests.
  const txs = [...loadTransactions(bundledFixturesDir()), ...realFillFiles().map(loadTransaction)];
  const chain = buildChain(txs, {
    genesisTime: Math.floor(Date.now() / 1000),
    slotMs: CHAIN_SLOT_MS,
    trailingEmptySlots: TRAILING_SLOTS,
  });
  const server = await startReplayServer(chain, {}, 0, { slotMs: WALL_SLOT_MS });
  // Off a terminal nobody presses q: the plain lines end once the replayed chain has.
  const finished = process.stdout.isTTY ? undefined : replayOver(() => server.live.finished);
  try {
    return await runLiveWatch(
      {
        db: join(dir, 'replay.db'),
        rpc: server.url,
        ws: server.live.wsUrl,
        replay: { speed: CHAIN_SLOT_MS / WALL_SLOT_MS, note: 'signal thresholds lowered' },
        flowOptions: { signals: REPLAY_SIGNALS },
        filters: {},
        window: '5m',
        initial: 0,
        until: finished,
      },
      env,
    );
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Resolves a moment after the replay clock emitted its last block (the writer's last commit). */
function replayOver(done: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const timer = setInterval(() => {
      if (!done()) return;
      clearInterval(timer);
      setTimeout(resolve, 2000);
    }, 200);
  });
}
