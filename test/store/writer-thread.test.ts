/**
 * The writer on its own thread must store exactly what the writer on the caller's thread
 * stores, count the same, report rejects, keep exclusive() behind everything sent, and surface
 * a failed batch without losing it.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { createFlowEngine } from '../../src/core/flow/index.js';
import type { ClassifiedTrade, Signal } from '../../src/core/flow/types.js';
import type { Trade } from '../../src/core/trade.js';
import { createWriter, openDatabase, type SqliteWriter as Writer } from '../../src/store/sqlite/index.js';
import { packTrades, receivedStrings, sentStrings, unpackTrades } from '../../src/store/sqlite/trade-codec.js';
import { createThreadedWriter } from '../../src/store/sqlite/writer-thread.js';
import { decodedCorpusTrades } from '../decode/support.js';
import { makeTrade, synthTrades } from '../flow/gen.js';
import { dumpDatabase } from '../support/db-dump.js';
import { tempDir } from './tmp.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const classified = (t: Trade): ClassifiedTrade => ({ ...t, isBot: (t as ClassifiedTrade).isBot ?? false, botReasons: (t as ClassifiedTrade).botReasons ?? [] });


describe('trade codec', () => {
  it('round-trips every field of real and edge-case trades', () => {
    const u64max = (1n << 64n) - 1n;
    const edge: Trade[] = [
      makeTrade({ signature: 'e1', slot: null, blockTime: null, txIndex: null, pool: null, router: null, platform: null, fee: null, feeMint: null }),
      makeTrade({ signature: 'e2', baseAmount: u64max, quoteAmount: u64max, fee: u64max, feeMint: 'fm', solAmount: (1n << 63n) - 1n }),
      { ...makeTrade({ signature: 'e3', isDca: true, isLimitOrder: true, solAmount: null, quoteMint: 'USDC' }), isBot: true, botReasons: ['rate:12 tx/60s', 'jito:tip "quoted"'] } as ClassifiedTrade,
    ];
    const all = [...decodedCorpusTrades(), ...edge];
    expect(all.length).toBeGreaterThan(100);
    expect(unpackTrades(packTrades(all))).toEqual(all.map(classified));
    expect(unpackTrades(packTrades([]))).toEqual([]);
  });

  it('sends each repeated string once across batches, and starts its table over when full', () => {
    const all = decodedCorpusTrades();
    const distinct = new Set(all.flatMap((t) => [t.ixPath, t.venue, t.programId, t.pool, t.trader, t.side, t.baseMint, t.quoteMint, t.router, t.platform, t.feeMint, t.signer]).filter((x) => x !== null));
    for (const limit of [1_000_000, 40]) {
      const sent = sentStrings(limit);
      const received = receivedStrings();
      const out: ClassifiedTrade[] = [];
      let travelled = 0;
      let resets = 0;
      for (let i = 0; i < all.length; i += 7) {
        const p = packTrades(all.slice(i, i + 7), sent);
        travelled += p.knownCount;
        if (p.resetKnown) resets++;
        out.push(...unpackTrades(p, received));
      }
      expect(out).toEqual(all.map(classified));
      if (limit === 40) {
        expect(resets).toBeGreaterThan(0);
        expect(received.strings.length).toBeLessThan(40 + 7 * 12);
      } else {
        // Each string crossed once, however many trades and batches it recurred in.
        expect(resets).toBe(0);
        expect(travelled).toBe(distinct.size);
        expect(received.strings.length).toBe(distinct.size);
      }
    }
  });
});

/** The same writes through a writer: synthetic trades run through the engine, with its signals and metrics. */
async function feed(w: Writer): Promise<void> {
  const trades = synthTrades({ trades: 30_000, seed: 7, mints: 300, wallets: 3000, tradesPerSlot: 12 });
  const engine = createFlowEngine();
  for (let i = 0; i < trades.length; i += 2500) {
    const out = engine.push(trades.slice(i, i + 2500));
    // Every tenth batch again as late trades: duplicates must count as such on both.
    await w.write({ trades: out.trades, lateTrades: i % 25_000 === 0 ? out.trades.slice(0, 50) : undefined, signals: out.signals, metrics: engine.takeMetrics() });
  }
  const out = engine.flush();
  await w.write({ trades: out.trades, signals: out.signals, metrics: out.metrics });
  const flagged = out.trades[0] ?? trades[0];
  await w.write({ flagUpdates: [{ signature: flagged.signature, ixPath: flagged.ixPath, slot: flagged.slot, isBot: true, botReasons: ['manual'] }] });
  await w.close();
}

describe('threaded writer', () => {
  it('stores byte for byte what the same-thread writer stores, with the same counts', async () => {
    const a = openDatabase({ path: tmp.file('same-thread.db') });
    const b = openDatabase({ path: tmp.file('threaded.db') });
    const wa = createWriter(a.sqlite, { batchSize: 4000 });
    const wb = createThreadedWriter(b.sqlite, b.path, { batchSize: 4000 });
    await feed(wa);
    await feed(wb);
    const strip = ({ writeMs: _m, batches: _b, ...c }: ReturnType<Writer['counters']>) => c;
    expect(strip(wb.counters())).toEqual(strip(wa.counters()));
    expect(wb.counters().written).toBeGreaterThan(29_000);
    await a.close();
    await b.close();
    expect(dumpDatabase(b.path)).toEqual(dumpDatabase(a.path));
  }, 60_000);

  it('rejects invalid trades before the hop and bad rows inside the thread, keeping the rest', async () => {
    const db = openDatabase({ path: tmp.file('rejects.db') });
    const seen: string[] = [];
    const w = createThreadedWriter(db.sqlite, db.path, { onReject: (what, _item, why) => seen.push(`${what}: ${why}`) });
    const bad = makeTrade({ signature: 'bad', baseAmount: -1n });
    const signal: Signal = { mint: 'm', type: 'BREAKOUT', strength: 2, window: '5m', blockTime: 1, slot: 1, signature: 'x', inputs: {} } as Signal;
    await w.write({ trades: [makeTrade({ signature: 'ok1' }), bad, makeTrade({ signature: 'ok2' })], signals: [signal] });
    w.flush();
    expect(w.counters()).toMatchObject({ written: 2, rejected: 2, signalsWritten: 0 });
    expect(seen).toEqual(['trade: bad baseAmount', expect.stringMatching(/^signal: CHECK constraint failed/)]);
    await w.close();
    expect(db.sqlite.prepare('SELECT signature FROM trades ORDER BY signature').pluck().all()).toEqual(['ok1', 'ok2']);
    await db.close();
  });

  it('exclusive() runs after everything written before it is committed', async () => {
    const db = openDatabase({ path: tmp.file('exclusive.db') });
    const w = createThreadedWriter(db.sqlite, db.path, { flushIntervalMs: 60_000 });
    const trades = synthTrades({ trades: 5000, seed: 3 });
    for (let i = 0; i < trades.length; i += 500) await w.write({ trades: trades.slice(i, i + 500) });
    expect(w.exclusive((s) => s.prepare('SELECT count(*) FROM trade_rows').pluck().get())).toBe(5000);
    await w.close();
    await db.close();
  });

  it('a batch that cannot commit (file locked) fails loudly, stays queued, and lands once the lock goes', async () => {
    const db = openDatabase({ path: tmp.file('locked.db') });
    db.sqlite.pragma('busy_timeout = 50'); // the thread's connection copies it
    const w = createThreadedWriter(db.sqlite, db.path, { flushIntervalMs: 0 });
    const other = new Database(db.path);
    other.exec('BEGIN IMMEDIATE');
    const trades = synthTrades({ trades: 300, seed: 4 });
    await w.write({ trades });
    expect(() => w.flush()).toThrow(/database is locked/);
    other.exec('ROLLBACK');
    other.close();
    w.flush();
    await w.close();
    expect(w.counters()).toMatchObject({ written: 300, duplicate: 0, queued: 0 });
    expect(db.sqlite.prepare('SELECT count(*) FROM trade_rows').pluck().get()).toBe(300);
    await db.close();
  });

  it('a thread that cannot open the file answers with the reason instead of leaving the caller waiting', async () => {
    const db = openDatabase({ path: tmp.file('elsewhere.db') });
    const w = createThreadedWriter(db.sqlite, tmp.file('no-such-dir/x.db'));
    await w.write({ trades: [makeTrade({ signature: 'lost?' })] });
    expect(() => w.flush()).toThrow(/unable to open|directory does not exist/);
    await expect(w.close()).rejects.toThrow(/unable to open|directory does not exist/);
    await db.close();
  });

  it('does not keep the process alive: a caller that returns without close() still exits, with what it committed', () => {
    const path = tmp.file('abandoned.db');
    const script = join(import.meta.dirname, '..', 'support', 'abandon-threaded-writer.ts');
    const r = spawnSync(process.execPath, ['--import', 'tsx', script, path], { encoding: 'utf8', timeout: 30_000 });
    expect(r.signal, 'killed by the timeout: the process hung').toBeNull();
    expect([r.status, r.stdout.trim()]).toEqual([0, '3000']);
    const db = new Database(path, { readonly: true });
    expect(db.prepare('SELECT count(*) FROM trade_rows').pluck().get()).toBeGreaterThanOrEqual(3000);
    db.close();
  }, 40_000);
});
