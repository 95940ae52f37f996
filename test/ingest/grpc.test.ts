/**
 * `solflow ingest --grpc` against the Yellowstone replay server, with the JSON-RPC replay
 * serving the same chain for catch-up and gaps, ends with the same database as `backfill
 * FIRST..CURSOR` of the same slots: an undecodable frame and an update with no meta, streams
 * dropped mid-stream, a 5-second outage (connections refused), and kill -9 twice with a restart
 * each time. No secret (x-token, RPC key) reaches stdout, stderr or any row.
 */
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { startReplay, type ReplayServer } from '../support/replay/index.js';
import { grpcServableFixtures, startGrpcReplayFromFixtures, type GrpcReplayServer } from '../support/grpc-replay/index.js';
import { backfillInto, countTrades, cursorReaches, dumpAllText, killHard, paceClock, readCursor, startIngest, tempDir, tradesCsv, waitFor, type Running } from './support.js';
import { filterCsvToSlot } from './csv.js';

const SECRET1 = 'rpcApiKeySECRET1poiuyt';
const SECRET2 = 'xTokenSECRET2lkjhgfdsa';
const CHAIN = { copies: 12, txPerBlock: 6 };

let http: ReplayServer;
let grpc: GrpcReplayServer;
let dir: string;

beforeAll(async () => {
  const txs = grpcServableFixtures();
  const first = 312_000_000;
  // Both servers build their chain from the same transactions and options: one chain.
  http = await startReplay({ txs, ...CHAIN, live: { slotMs: 0 } });
  grpc = await startGrpcReplayFromFixtures({
    txs,
    ...CHAIN,
    slotMs: 0,
    xToken: SECRET2,
    pingMs: 2000,
    faults: { garbageAtSlots: [first + 8], invalidAtSlots: [first + 11] },
  });
  dir = tempDir('ingest-grpc');
});

afterAll(async () => {
  await grpc?.close();
  await http?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('solflow ingest --grpc', () => {
  it('serves one chain from both replay servers', () => {
    expect(grpc.chain.produced).toEqual(http.chain.produced);
    const sigs = (c: typeof http.chain) =>
      c.produced.map((s) => `${c.blocks.get(s)!.blockTime}:${c.blocks.get(s)!.transactions.map((t) => t.transaction.signatures[0]).join()}`);
    expect(sigs(grpc.chain)).toEqual(sigs(http.chain));
  });

  it('equals a backfill of the same slots across a bad frame, drops, an outage and two kill -9s; no secret leaks', async () => {
    const db = join(dir, 'live.db');
    const { chain } = grpc;
    const first = chain.firstSlot;
    const last = chain.lastSlot;
    const rpc = `${http.url}/?api-key=${SECRET1}`;
    const args = (extra: string[] = []) => ['--grpc', grpc.url, '--x-token', SECRET2, '--rpc', rpc, '--db', db, '--json', ...extra];
    const runs: Running[] = [];
    const start = (extra: string[] = []) => {
      const r = startIngest(args(extra));
      runs.push(r);
      return r;
    };

    // The gRPC clock walks slots; the JSON-RPC node's tip follows it block by block.
    let produced = 0;
    const step = () => {
      grpc.step();
      while (produced < chain.produced.length && chain.produced[produced] <= grpc.clock) {
        http.live.step();
        produced++;
      }
    };

    let run = start(['--from-slot', String(first)]);
    await waitFor('the first subscription', () => grpc.stats.subscribes.length > 0, 30_000, run);
    const stopClock = paceClock({ step, get slot() { return grpc.clock < 0 ? null : grpc.clock; }, get finished() { return grpc.clock >= last; } }, db);
    onTestFinished(stopClock);

    // Run 1: the bad frames (slots first+8, first+11), a dropped stream, then kill -9.
    let c = await cursorReaches(db, first + 20, run);
    grpc.dropStreams();
    c = await cursorReaches(db, c + 20, run);
    await killHard(run);

    // Run 2: restart from the cursor, another drop, kill -9.
    c = readCursor(db)!;
    run = start();
    c = await cursorReaches(db, c + 15, run);
    grpc.dropStreams();
    c = await cursorReaches(db, c + 15, run);
    await killHard(run);

    // Run 3: restart, a 5-second outage (connections refused), on to the chain's end.
    c = readCursor(db)!;
    run = start();
    c = await cursorReaches(db, c + 15, run);
    void grpc.outage(5000);
    await new Promise((r) => setTimeout(r, 5200));
    c = await cursorReaches(db, c + 20, run, 60_000);
    await waitFor('the replayed chain to finish', () => grpc.clock >= last, 60_000, run);
    // The engine holds the slots past the last venue trade until the stop (see websocket.test.ts).
    await cursorReaches(db, last - 40, run, 30_000);

    run.child.kill('SIGTERM');
    expect((await run.exited).code).toBe(0);
    const cursor = readCursor(db)!;
    expect(cursor).toBeGreaterThanOrEqual(last - 8);
    expect(grpc.stats.drops).toBeGreaterThanOrEqual(2);
    expect(grpc.stats.outages).toBe(1);
    const logs = runs.map((r) => r.out.stdout + r.out.stderr);
    expect(logs[0]).toMatch(/skip/i);
    expect(logs[2]).toMatch(/reconnect/i);

    const ref = join(dir, 'backfill.db');
    await backfillInto(ref, http.url, first, cursor);
    const [live, backfilled] = await Promise.all([tradesCsv(db), tradesCsv(ref)]);
    const liveUpToCursor = filterCsvToSlot(live, cursor);
    expect(liveUpToCursor.split('\n').length).toBeGreaterThan(300);
    expect(liveUpToCursor).toBe(backfilled);
    expect(countTrades(db)).toBeGreaterThanOrEqual(liveUpToCursor.split('\n').length - 2);

    const everything = [...logs, dumpAllText(db)].join('\n');
    for (const secret of [SECRET1, SECRET2]) expect(everything).not.toContain(secret);
  }, 180_000);
});
