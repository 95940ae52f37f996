/**
 * A gap fill's undecodable transactions reach /metrics: runIngest fills a gap over HTTP from the
 * replay server (real RpcClient, fillRange, pipeline and SQLite file) through a chain holding one
 * malformed transaction among the recorded trades, and solflow_transactions_decoded_total must
 * count every transaction of the fill but that one, which solflow_transactions_failed_total
 * counts instead. The source is scripted: it reports the whole chain as one gap, as a live
 * source reports the slots it missed, so the fill is the only thing that decodes anything.
 *
 * The same fill with the getBlock answers read on frame workers (a WebSocket source lends its
 * workers to its gap fills) must store the same trades and count the same failure.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GapFill } from '../../src/ingest/loop.js';
import { runIngest } from '../../src/ingest/run.js';
import { createLogger } from '../../src/log/index.js';
import { createMetrics, type Metrics } from '../../src/metrics/index.js';
import { DEFAULT_LABELS_FILE } from '../../src/core/labels.js';
import { createFrameReader } from '../../src/sources/live/frame-reader.js';
import type { BlockAnswerReader } from '../../src/sources/blocks.js';
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

const VENUE_PROGRAMS = Object.entries(DEFAULT_LABELS_FILE.programs ?? {})
  .filter(([, p]) => p.kind === 'dex' || p.kind === 'router' || p.kind === 'dca' || p.kind === 'limit')
  .map(([id]) => id);

/** One gap over [from, to], then quiet until stopped. */
function gapSource(from: number, to: number, readBlockAnswer?: BlockAnswerReader): LiveSource {
  let stopped!: () => void;
  const stop = new Promise<void>((resolve) => (stopped = resolve));
  return {
    name: 'scripted-gap',
    readBlockAnswer,
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

interface FillRun {
  fills: GapFill[];
  decodeErrors: number;
  decoded: number;
  failed: number;
  trades: string[];
}

/** runIngest over the scripted gap into a fresh database; the trades as stored, sorted. */
async function fillOnce(name: string, readBlockAnswer?: BlockAnswerReader): Promise<FillRun> {
  const { chain } = server;
  const store = await openStore({ db: join(dir, `${name}.db`) });
  const client = new RpcClient({ url: server.url });
  const metrics = createMetrics({ defaultMetrics: false });
  const stop = new AbortController();
  const fills: GapFill[] = [];
  try {
    const summary = await runIngest({
      store,
      client,
      source: () => gapSource(chain.firstSlot, chain.lastSlot, readBlockAnswer),
      programs: VENUE_PROGRAMS,
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
    const trades: string[] = [];
    for await (const page of store.trades.readInOrder()) for (const t of page) trades.push(JSON.stringify(t, (_, v) => (typeof v === 'bigint' ? v.toString() : v)));
    // Within a slot the store's order is arbitrary.
    trades.sort();
    return {
      fills,
      decodeErrors: summary.decodeErrors,
      decoded: await counterTotal(metrics, 'solflow_transactions_decoded_total'),
      failed: await counterTotal(metrics, 'solflow_transactions_failed_total'),
      trades,
    };
  } finally {
    client.close();
    await store.close();
  }
}

describe('ingest gap fill', () => {
  it('counts the undecodable transactions of a fill as failed, not decoded', async () => {
    const run = await fillOnce('inline');
    expect(run.decodeErrors).toBe(1);
    expect(run.fills).toHaveLength(1);
    expect(run.fills[0].transactions).toBe(txCount);
    expect(run.decoded).toBe(txCount - 1);
    expect(run.failed).toBe(1);
    expect(run.fills[0].decodeErrors).toBe(1);
  });

  it('on frame workers: the same trades stored and the same failure counted', async () => {
    const inline = await fillOnce('inline-2');
    const reader = createFrameReader({ programs: new Set(VENUE_PROGRAMS), threads: 2 });
    let read = 0;
    try {
      await reader.ready();
      expect(reader.threads).toBe(2);
      const run = await fillOnce('workers', (slot, body) => {
        read++;
        return reader.readBlockAnswer(slot, body);
      });
      // Every block of the chain was read there, not on this thread.
      expect(read).toBe(server.chain.produced.length);
      expect(run.trades.length).toBeGreaterThan(100);
      expect(run.trades).toEqual(inline.trades);
      expect(run.decodeErrors).toBe(1);
      expect(run.failed).toBe(1);
      expect(run.fills[0].decodeErrors).toBe(1);
      // Only the venue transactions come back from a worker: those are what it counts.
      expect(run.decoded).toBe(run.fills[0].transactions - 1);
    } finally {
      reader.close();
    }
  });
});
