/**
 * The WebSocket source's pure parts: the pubsub URL derived from the RPC URL, URL redaction,
 * salvaging a truncated frame, the slot book that decides what is handed over and when the
 * watermark may move, and the event queue's weighed back-pressure.
 */
import { describe, expect, it } from 'vitest';
import { deriveWsUrl } from '../../src/sources/live/ws-url.js';
import { redactText, redactUrl } from '../../src/util/redact.js';
import { salvage, readLogs, readBlock, venueTransactions } from '../../src/sources/live/frames.js';
import { SlotBook } from '../../src/sources/live/slot-book.js';
import { redialDelay } from '../../src/sources/live/backoff.js';
import { createEventQueue } from '../../src/sources/live/event-queue.js';
import type { RawTransaction } from '../../src/core/decode/index.js';

describe('deriveWsUrl', () => {
  it('maps http(s) to ws(s), bumps an explicit port by one, keeps path and query', () => {
    expect(deriveWsUrl('http://127.0.0.1:8899')).toBe('ws://127.0.0.1:8900/');
    expect(deriveWsUrl('http://localhost:8899/')).toBe('ws://localhost:8900/');
    expect(deriveWsUrl('https://mainnet.helius-rpc.com/?api-key=abc')).toBe('wss://mainnet.helius-rpc.com/?api-key=abc');
    expect(deriveWsUrl('https://x.solana-mainnet.quiknode.pro/0123456789abcdef0123/')).toBe('wss://x.solana-mainnet.quiknode.pro/0123456789abcdef0123/');
    expect(deriveWsUrl('https://rpc.example.com:8443/v1')).toBe('wss://rpc.example.com:8444/v1');
    // The scheme's default port written out is no explicit port: the URL parser drops it.
    expect(deriveWsUrl('https://rpc.example.com:443/')).toBe('wss://rpc.example.com/');
    expect(deriveWsUrl('ws://127.0.0.1:8900')).toBe('ws://127.0.0.1:8900');
  });

  it('refuses what is not an http(s) URL, without echoing a key', () => {
    expect(() => deriveWsUrl('ftp://h/x?api-key=SECRET1')).toThrow(/not http/);
    expect(() => deriveWsUrl('ftp://h/x?api-key=SECRET1')).not.toThrow(/SECRET1/);
    expect(() => deriveWsUrl('nonsense?api-key=SECRET2')).toThrow(/not a URL/);
    expect(() => deriveWsUrl('nonsense?api-key=SECRET2')).not.toThrow(/SECRET2/);
  });
});

describe('redactUrl on pubsub URLs', () => {
  it('hides a query key and a path key', () => {
    const q = redactUrl('wss://mainnet.helius-rpc.com/?api-key=3f0c2b7e-aaaa-bbbb-cccc-1234567890ab');
    expect(q).toBe('wss://mainnet.helius-rpc.com/?api-key=***');
    const p = redactUrl('wss://young-wild-sea.solana-mainnet.quiknode.pro/9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d/');
    expect(p).toBe('wss://young-wild-sea.solana-mainnet.quiknode.pro/***/');
    const text = redactText('cannot connect to ws://127.0.0.1:9/9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d?api-key=SECRET: ECONNREFUSED');
    expect(text).not.toMatch(/SECRET|9a8b7c6d5e4f/);
    expect(text).toContain('ECONNREFUSED');
  });
});

describe('salvage', () => {
  it('tells a truncated notification by its method and, for logs and blocks, its slot', () => {
    const logs = JSON.stringify({ jsonrpc: '2.0', method: 'logsNotification', params: { result: { context: { slot: 312000123 }, value: { signature: 'x'.repeat(88), err: null, logs: [] } }, subscription: 4 } });
    expect(salvage(logs.slice(0, logs.length / 2))).toEqual({ kind: 'slot-bearing', method: 'logsNotification', slot: 312000123 });
    // Cut inside the slot's digits: no slot (a wrong one would be worse).
    const cut = logs.slice(0, logs.indexOf('312000123') + 5);
    expect(salvage(cut)).toEqual({ kind: 'unknown' });
    const slot = JSON.stringify({ jsonrpc: '2.0', method: 'slotNotification', params: { result: { parent: 1, root: 0, slot: 2 }, subscription: 1 } });
    expect(salvage(slot.slice(0, 50))).toEqual({ kind: 'slot' });
    expect(salvage('{"jsonrpc":"2.0","result":12')).toEqual({ kind: 'reply' });
    expect(salvage('garbage')).toEqual({ kind: 'unknown' });
  });

  it('reads notifications defensively', () => {
    expect(readLogs({ context: { slot: 5 }, value: { signature: 's'.repeat(64), err: { InstructionError: [0, 'x'] } } })).toMatchObject({ slot: 5, failed: true });
    expect(readLogs({ context: { slot: '5' }, value: { signature: 's'.repeat(64) } })).toBeNull();
    expect(readLogs(null)).toBeNull();
    expect(readBlock({ context: { slot: 7 }, value: { slot: 7, block: null, err: 'BlockStoreError' } })).toMatchObject({ slot: 7, err: 'BlockStoreError' });
    expect(readBlock({ context: { slot: 7 }, value: { slot: 7, block: { transactions: 'no' }, err: null } })).toBeNull();
  });

  it('keeps a block transaction that mentions a program in its loaded addresses, drops failed ones', () => {
    const P = 'Prog1111111111111111111111111111111111111111';
    const tx = (keys: string[], loaded: string[], err: unknown = null) => ({
      transaction: { signatures: ['s'], message: { accountKeys: keys, instructions: [] } },
      meta: { err, loadedAddresses: { writable: [], readonly: loaded } },
      version: 0,
    });
    const block = { slot: 9, err: null, blockTime: 100, transactions: [tx(['a'], []), tx(['a'], [P]), tx([P], [], { x: 1 }), tx([{ pubkey: P }] as any, [])] };
    const { txs, failed } = venueTransactions(block, new Set([P]));
    expect(txs.map((t) => t.txIndex)).toEqual([1, 3]);
    expect(failed).toBe(1);
  });
});

describe('SlotBook', () => {
  const tx = (slot: number, sig: string): RawTransaction => ({ slot, blockTime: 1000 + slot, transaction: { signatures: [sig], message: { accountKeys: [], instructions: [] } }, meta: { err: null } }) as unknown as RawTransaction;
  const kinds = (evs: any[]) => evs.map((e) => (e.kind === 'tx' ? `tx:${e.slot}:${e.txIndex}` : e.kind === 'watermark' ? `wm:${e.slot}` : `${e.kind}:${e.from}-${e.to}`));

  it('hands a slot over only when sealed, fetched and positioned, in position order; dedupes signatures', () => {
    const b = new SlotBook(99);
    expect(b.note(101, 'B')).toBe('new');
    expect(b.note(101, 'A')).toBe('new');
    expect(b.note(101, 'A')).toBe('duplicate');
    expect(b.drain(100)).toEqual([{ kind: 'watermark', slot: 100, blockTime: null }]);
    b.fetched(101, 'A', tx(101, 'A'));
    b.fetched(101, 'B', tx(101, 'B'));
    // Not positioned yet: the watermark cannot pass 100.
    expect(b.drain(105)).toEqual([]);
    b.positioned(101, ['X', 'A', 'Y', 'B'], 1101);
    expect(kinds(b.drain(105))).toEqual(['tx:101:1', 'tx:101:3', 'wm:105']);
    expect(b.note(101, 'C')).toBe('settled');
  });

  it('a slot in progress holds back later ones; a failed slot becomes one gap and none of its transactions', () => {
    const b = new SlotBook(0);
    b.note(3, 'a');
    b.note(5, 'b');
    b.fetched(5, 'b', tx(5, 'b'));
    b.positioned(5, ['b'], null);
    expect(kinds(b.drain(10))).toEqual(['wm:2']);
    b.fetched(3, 'a', tx(3, 'a'));
    b.fail(3, 'getTransaction null');
    expect(kinds(b.drain(10))).toEqual(['gap:3-3', 'tx:5:0', 'wm:10']);
  });

  it('a fetched transaction missing from its block fails the slot; forgetOpen drops work in flight', () => {
    const b = new SlotBook(0);
    b.note(2, 'a');
    b.fetched(2, 'a', tx(2, 'a'));
    b.positioned(2, ['zz'], null);
    expect(kinds(b.drain(2))).toEqual(['gap:2-2', 'wm:2']);
    b.note(4, 'c');
    b.forgetOpen();
    b.skipTo(6);
    expect(b.floor).toBe(6);
    expect(b.drain(6)).toEqual([]);
    expect(b.note(5, 'c')).toBe('settled');
  });

  it('blocks arrive whole; the watermark carries the block time when it lands on a known block', () => {
    const b = new SlotBook(0);
    b.block(1, 501, []);
    b.block(2, 502, [{ txIndex: 4, tx: tx(2, 'q') }]);
    expect(b.drain(2)).toEqual([{ kind: 'tx', slot: 2, txIndex: 4, tx: tx(2, 'q') }, { kind: 'watermark', slot: 2, blockTime: 502 }]);
    expect(b.block(2, 502, [{ txIndex: 4, tx: tx(2, 'q') }])).toBe('settled');
  });
});

describe('redialDelay', () => {
  it('doubles to a cap with equal jitter', () => {
    const o = { baseMs: 100, maxMs: 1000 };
    expect(redialDelay(1, o, () => 0)).toBe(50);
    expect(redialDelay(1, o, () => 1)).toBe(100);
    expect(redialDelay(3, o, () => 0.5)).toBe(300);
    expect(redialDelay(30, o, () => 1)).toBe(1000);
  });
});

describe('event queue', () => {
  it('pauses past highWater and resumes at lowWater, counting each event by its weight', async () => {
    const pressure: boolean[] = [];
    const q = createEventQueue<{ heavy: boolean }>({ highWater: 30, lowWater: 10, onPressure: (p) => pressure.push(p), weigh: (e) => (e.heavy ? 16 : 1) });
    for (let i = 0; i < 20; i++) q.push({ heavy: false });
    expect(pressure).toEqual([]);
    q.push({ heavy: true }); // 36 > 30, though only 21 events
    expect(pressure).toEqual([true]);
    q.end();
    const seen: boolean[] = [];
    for await (const e of q.iterate()) {
      seen.push(e.heavy);
      // Twenty light events taken leave 16 (the heavy one): more than lowWater, still paused.
      if (seen.length === 20) expect(pressure).toEqual([true]);
    }
    expect(seen).toHaveLength(21);
    expect(pressure).toEqual([true, false]);
  });

  it('lets I/O and timers run while a consumer works through a backlog, keeping the order', async () => {
    const q = createEventQueue<number>({ highWater: 1e9, lowWater: 0, onPressure: () => {} });
    const n = 20_000;
    for (let i = 0; i < n; i++) q.push(i);
    q.end();
    // Each event takes the consumer ~10 µs of synchronous work: the backlog is ~200 ms of it.
    const busy = () => {
      const until = performance.now() + 0.01;
      while (performance.now() < until);
    };
    let timerFiredAt = -1;
    const seen: number[] = [];
    setTimeout(() => (timerFiredAt = seen.length), 0);
    for await (const e of q.iterate()) {
      seen.push(e);
      busy();
    }
    expect(seen).toEqual(Array.from({ length: n }, (_, i) => i));
    // Delivered as microtasks only, the timer would wait for the whole backlog.
    expect(timerFiredAt).toBeGreaterThan(0);
    expect(timerFiredAt).toBeLessThan(n / 2);
  });
});
