/**
 * A gap fill's undecodable transactions reach /metrics: runIngest fills a gap over HTTP from the
 * replay server (real RpcClient, fillRange, pipeline and SQLite file) through a chain holding one
 * malformed transaction among the recorded trades, and solflow_transactions_decoded_total must
 * count every transaction of the fill but that one, which solflow_transactions_failed_total
 * counts instead. The source is scripted: it reports the whole chain as one gap, as a live
 * source reports the slots it missed, so the fill is the only thing that decodes anything.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GapFill } from '../../src/ingest/loop.js';
import { runIngest } from '../../src/ingest/run.js';
import { createLogger } from '../../src/log/index.js';
import { createMetrics, type Metrics } from '../../src/metrics/index.js';
import { RpcClient } from '../../src/sources/rpc/client.js';
import type { LiveEvent, LiveSource } from '../../src/sources/live/types.js';
import { openStore } from '../../src/store/index.js';
import { FIXTURE_TX_DIR, MALFORMED_TX, loadTransaction, loadTransactions, startReplay, type ReplayServer } from '../support/replay/index.js';
import { tempDir } from './support.js';

let server: ReplayServer;
let dir: string;
let txCount: number;

beforeAll(async () => {
  const txs = loadTransactions(FIXTURE_TX_DIR);
  txs.splice(9, 0, loadTransaction(MALFORMED_TX));
  txCount = txs.length;
  server = await startReplay({ txs });
  dir = tempDir('ingest-gap-failures');
});

afterAll(async () => {
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** One gap over [from, to], then quiet until stopped. */
function gapSource(from: number, to: number): LiveSource {
  let stopped!: () => void;
  const stop = new Promise<void>((resolve) => (stopped = resolve));
  return {
    name: 'scripted-gap',
    async *events(): AsyncGenerator<LiveEvent> {
      yield { kind: 'gap', from, to, reason: 'scripted' };
      await stop;
    },
    async stop() {
      stopped();
    },
  };
}

async function counterTotal(metrics: Metrics, name: string): Promise<number> {
  const m = metrics.registry.getSingleMetric(name);
  if (!m) throw new Error(`no metric ${name}`);
  return (await m.get()).values.reduce((s, v) => s + v.value, 0);
}

describe('ingest gap fill', () => {
  it('counts the undecodable transactions of a fill as failed, not decoded', async () => {
    const { chain } = server;
    const store = await openStore({ db: join(dir, 'gap.db') });
    const client = new RpcClient({ url: server.url });
    const metrics = createMetrics({ defaultMetrics: false });
    const stop = new AbortController();
    const fills: GapFill[] = [];
    try {
      const summary = await runIngest({
        store,
        client,
        source: () => gapSource(chain.firstSlot, chain.lastSlot),
        programs: [],
        commitment: 'confirmed',
        fromSlot: null,
        catchUp: false,
        maxCatchUpSlots: 1_000_000,
        metrics,
        log: createLogger({ stream: { write: () => true }, level: 'error' }),
        signal: stop.signal,
        onEvent: (e) => {
          if (e.kind !== 'gap-filled') return;
          fills.push(e.fill);
          stop.abort();
        },
      });
      expect(summary.decodeErrors).toBe(1);
    } finally {
      client.close();
      await store.close();
    }
    expect(fills).toHaveLength(1);
    expect(fills[0].transactions).toBe(txCount);
    expect(await counterTotal(metrics, 'solflow_transactions_decoded_total')).toBe(txCount - 1);
    expect(await counterTotal(metrics, 'solflow_transactions_failed_total')).toBe(1);
    expect(fills[0].decodeErrors).toBe(1);
  });
});
