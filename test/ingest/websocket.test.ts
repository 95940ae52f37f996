/**
 * `solflow ingest` over WebSocket pubsub against the replay server, through every fault the
 * issue names, ends with the same database as `backfill FIRST..CURSOR` of the same slots:
 * sockets dropped mid-stream, a 5-second outage (upgrades refused), malformed frames, and
 * kill -9 twice, each followed by a restart that catches up from the stored cursor. The same
 * run checks that no secret (RPC key, ws path key, x-token) reaches stdout, stderr, /metrics
 * or any row, that /metrics' trades counter equals what was committed, /healthz, that a second
 * ingest on the database is refused (75), and that SIGTERM saves the cursor and exits 0.
 */
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { startReplay, type ReplayServer } from '../support/replay/index.js';
import { solflowAsync } from '../cli/run.js';
import {
  backfillInto,
  countSignatures,
  countTrades,
  cursorReaches,
  dumpAllText,
  freePort,
  killHard,
  paceClock,
  metricValue,
  readCursor,
  scrape,
  startIngest,
  tempDir,
  tradesCsv,
  waitFor,
  type Running,
} from './support.js';
import { filterCsvToSlot } from './csv.js';

const SECRET1 = 'rpcApiKeySECRET1qwerty';
const WS_PATH_KEY = 'wsPathKeySECRETzxcvbnm0123';
const SECRET2 = 'xTokenSECRET2asdfghjkl';

let server: ReplayServer;
let dir: string;

beforeAll(async () => {
  // ~260 slots, stepped by the test (paceClock): long enough that the kills and faults land
  // mid-stream. logs mode (no blockSubscribe), as most providers are: every trade goes through
  // getTransaction.
  server = await startReplay({ copies: 8, txPerBlock: 6, live: { slotMs: 0, blockSubscribe: false } });
  dir = tempDir('ingest-ws');
});

afterAll(async () => {
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('solflow ingest --ws', () => {
  it('equals a backfill of the same slots across drops, an outage, malformed frames and two kill -9s; no secret leaks', async () => {
    const db = join(dir, 'live.db');
    const { chain } = server;
    const first = chain.firstSlot;
    const last = chain.lastSlot;
    const port = await freePort();
    const rpc = `${server.url}/?api-key=${SECRET1}`;
    const ws = `${server.live.wsUrl}/${WS_PATH_KEY}`;
    const args = (extra: string[] = []) => ['--rpc', rpc, '--ws', ws, '--x-token', SECRET2, '--db', db, '--json', '--metrics-port', String(port), ...extra];
    const outputs: string[] = [];
    const scrapes: string[] = [];
    const runs: Running[] = [];
    const start = (extra: string[] = []) => {
      const r = startIngest(args(extra));
      runs.push(r);
      return r;
    };

    // Run 1: from the chain's first slot; a socket drop mid-stream, then kill -9.
    let run = start(['--from-slot', String(first)]);
    await waitFor('the first subscription', () => server.live.stats.subscriptions > 0, 30_000, run);
    const stopClock = paceClock({ step: () => server.live.step(), get slot() { return server.live.slot; }, get finished() { return server.live.finished; } }, db);
    onTestFinished(stopClock);
    let c = await cursorReaches(db, first + 20, run);
    server.live.dropAll();
    c = await cursorReaches(db, c + 20, run);
    await killHard(run);

    // Run 2: restart (catch-up from the cursor); malformed frames for a while, then kill -9.
    c = readCursor(db)!;
    run = start();
    c = await cursorReaches(db, c + 10, run);
    server.setFaults({ wsMalformedRate: 0.05 });
    c = await cursorReaches(db, c + 20, run);
    server.setFaults({});
    expect(server.live.stats.malformed).toBeGreaterThan(0);
    c = await cursorReaches(db, c + 5, run);
    await killHard(run);

    // Run 3: restart again; a 5-second outage (upgrades refused), then on to the chain's end.
    const before = countTrades(db);
    const sigsBefore = countSignatures(db);
    c = readCursor(db)!;
    run = start();
    c = await cursorReaches(db, c + 10, run);
    const refusedBefore = server.live.stats.refused;
    server.live.outage(5000);
    await new Promise((r) => setTimeout(r, 5200));
    c = await cursorReaches(db, c + 20, run);
    expect(server.live.stats.refused).toBeGreaterThan(refusedBefore);

    // Live again: healthy, and a second ingest on the same database is refused with 75.
    const health = await scrape(port, '/healthz');
    expect(health.status).toBe(200);
    const second = await solflowAsync(['ingest', '--rpc', server.url, '--db', db]);
    expect(second.code).toBe(75);
    const busy = second.stderr.trim().split('\n').filter((l) => l.startsWith('solflow:'));
    expect(busy, second.stderr).toHaveLength(1);
    expect(busy[0]).toMatch(/another ingest is writing to .*one ingest per database/);

    // The chain ends. While running, the cursor stays behind the tip by the source's sealing
    // margin (4) plus the engine's hold past the last trade (lagSlots 8 + sandwich look-ahead,
    // counted from wherever the chain's last venue trade happens to be: 27-29 slots here), so
    // the wait allows 40; the stop releases the rest (checked below: >= last - 8).
    await waitFor('the replayed chain to finish', () => server.live.finished, 60_000, run);
    await cursorReaches(db, last - 40, run, 30_000);
    // Settled: the chain has ended and ingest has worked through what it was sent (under load
    // it trails the replay by seconds; a stop before that saves an earlier cursor, correctly,
    // but not the one checked below): decoded and cursor hold still. Then the trades
    // counter equals the rows this run committed.
    await settled(port);
    const metrics = await scrape(port, '/metrics');
    scrapes.push(metrics.body);
    const counted = metricValue(metrics.body, 'solflow_trades_written_total');
    expect(counted).toBe(countTrades(db) - before);
    expect(metricValue(metrics.body, 'solflow_cursor_slot')).toBe(readCursor(db));
    // This run caught up over HTTP and refilled the outage's slots: the transactions it decoded
    // there count too (every new transaction with a trade was decoded by this run).
    expect(metricValue(metrics.body, 'solflow_transactions_decoded_total')).toBeGreaterThanOrEqual(countSignatures(db) - sigsBefore);

    // SIGTERM: exit 0 within a few seconds, the cursor saved past where it stood (the stop
    // releases what the engine held and records the slots it covered).
    const cursorBefore = readCursor(db)!;
    const t0 = Date.now();
    run.child.kill('SIGTERM');
    const exit = await run.exited;
    expect(exit.code).toBe(0);
    expect(Date.now() - t0).toBeLessThan(8000);
    const cursor = readCursor(db)!;
    expect(cursor).toBeGreaterThan(cursorBefore);
    expect(cursor, `before ${cursorBefore} last ${last}`).toBeGreaterThanOrEqual(last - 8);

    for (const r of runs) outputs.push(r.out.stdout, r.out.stderr);
    outputs.push(second.stdout, second.stderr);
    // Restarts really caught up from the cursor (a gap filled at start).
    expect(runs[1].out.stdout + runs[1].out.stderr).toMatch(/gap filled/);
    // The faults really happened and were survived.
    expect(runs[0].out.stdout + runs[0].out.stderr).toMatch(/reconnect/i);

    // Same trades and flags as a backfill of the same slots.
    const ref = join(dir, 'backfill.db');
    await backfillInto(ref, server.url, first, cursor);
    const [live, backfilled] = await Promise.all([tradesCsv(db), tradesCsv(ref)]);
    const liveUpToCursor = filterCsvToSlot(live, cursor);
    expect(liveUpToCursor.split('\n').length).toBeGreaterThan(300);
    expect(liveUpToCursor).toBe(backfilled);

    // After the stop, query stats agrees with the rows counted.
    const stats = await solflowAsync(['query', 'stats', '--db', db, '--json']);
    expect(JSON.parse(stats.stdout).rows_trades).toBe(countTrades(db));

    // No secret anywhere.
    const everything = [...outputs, ...scrapes, dumpAllText(db)].join('\n');
    for (const secret of [SECRET1, WS_PATH_KEY, SECRET2]) expect(everything).not.toContain(secret);
  }, 150_000);

  it('refuses a catch-up longer than --max-catch-up with one line naming backfill (exit 2)', async () => {
    const db = join(dir, 'behind.db');
    // A database whose cursor is far behind the tip (the replay's whole chain is history).
    await backfillInto(db, server.url, server.chain.firstSlot, server.chain.firstSlot + 2);
    const Database = (await import('better-sqlite3')).default;
    const conn = new Database(db);
    conn.prepare("INSERT INTO cursors (name, slot, updated_at) VALUES ('ingest', ?, 0)").run(server.chain.firstSlot + 2);
    conn.close();
    const r = await solflowAsync(['ingest', '--rpc', server.url, '--db', db, '--max-catch-up', '10s']);
    expect(r.code).toBe(2);
    // Log lines (ingest starting…) may precede it; the error is one line of its own, the last.
    const errors = r.stderr.trim().split('\n').filter((l) => l.startsWith('solflow:'));
    expect(errors, r.stderr).toHaveLength(1);
    expect(r.stderr.trim().endsWith(errors[0])).toBe(true);
    expect(errors[0]).toMatch(new RegExp(`solflow backfill ${server.chain.firstSlot + 3}\\.\\.\\d+`));
    expect(readCursor(db)).toBe(server.chain.firstSlot + 2);
  }, 30_000);
});

/**
 * Waits until ingest has worked through what the ended chain sent it: the transactions decoded
 * and the saved cursor (which follows the source's sealed slots) both hold still for 3 s
 * (45 s at most).
 */
async function settled(port: number): Promise<void> {
  let last = '';
  let since = Date.now();
  const deadline = Date.now() + 45_000;
  while (Date.now() < deadline) {
    const body = (await scrape(port, '/metrics')).body;
    const now = `${metricValue(body, 'solflow_transactions_decoded_total')}/${metricValue(body, 'solflow_cursor_slot')}`;
    if (now !== last) {
      last = now;
      since = Date.now();
    } else if (Date.now() - since >= 3000) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`ingest never settled: decoded/cursor still moving after 45 s (${last})`);
}
