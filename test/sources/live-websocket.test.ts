/**
 * The WebSocket live source against the replay server (HTTP + pubsub on 127.0.0.1, a replayed
 * clock moved by step()). The one property every test checks: for the slots the source has
 * watermarked, the venue transactions it emitted plus those in the slots it reported as gaps
 * are exactly what a getBlock walk of the same slots finds — each once, with its slot and
 * position — and no emitted transaction lies inside a reported gap (the ingest loop refetches
 * gaps, so that would be a duplicate). Around it: blockSubscribe and the logs fallback, dropped
 * sockets, a 5-second outage, truncated frames, a silent socket, null getTransaction, and no
 * key in anything the source says.
 */
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { RpcClient } from '../../src/sources/rpc/client.js';
import { slotOutcomes } from '../../src/sources/blocks.js';
import { createWebSocketSource, type WebSocketSource, type WebSocketSourceOptions } from '../../src/sources/live/websocket.js';
import type { LiveEvent } from '../../src/sources/live/types.js';
import { DEFAULT_LABELS_FILE } from '../../src/core/labels.js';
import { startReplay, type ReplayOptions, type ReplayServer } from '../support/replay/index.js';
import { decodeOutcome } from '../../src/core/decode/outcome.js';
import type { RawTransaction } from '../../src/core/decode/index.js';

/** A tx event's signature, raw (logs mode) or decoded where it was read (block mode). */
const sigOf = (e: Extract<LiveEvent, { kind: 'tx' }>): string => ('tx' in e ? ((e.tx.transaction as any).signatures[0] as string) : e.decoded.signature);

const PROGRAMS = Object.entries(DEFAULT_LABELS_FILE.programs ?? {})
  .filter(([, p]) => p.kind === 'dex' || p.kind === 'router' || p.kind === 'dca' || p.kind === 'limit')
  .map(([id]) => id);

let server: ReplayServer | null = null;
let source: WebSocketSource | null = null;
let clients: RpcClient[] = [];
afterEach(async () => {
  await source?.stop();
  source = null;
  for (const c of clients) c.close();
  clients = [];
  await server?.close();
  server = null;
});

const fast = { backoffBaseMs: 10, backoffMaxMs: 100, timeoutMs: 2000, initialRps: 2000 };

function client(url: string): RpcClient {
  const c = new RpcClient({ url, ...fast });
  clients.push(c);
  return c;
}

async function until(cond: () => boolean, what: string, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

interface Run {
  s: ReplayServer;
  src: WebSocketSource;
  events: LiveEvent[];
  error: Error | null;
  done: Promise<void>;
  consume: () => Promise<void>;
  of<K extends LiveEvent['kind']>(kind: K): Array<Extract<LiveEvent, { kind: K }>>;
  watermark(): number;
}

async function begin(replay: ReplayOptions, opts: Partial<WebSocketSourceOptions> = {}, consumeDelayMs = 0, later = false): Promise<Run> {
  const s = (server = await startReplay({ ...replay, live: { slotMs: 0, ...replay.live } }));
  const src = (source = createWebSocketSource({
    wsUrl: s.live.wsUrl,
    rpc: client(s.url),
    programs: PROGRAMS,
    commitment: 'confirmed',
    fromSlot: s.chain.firstSlot,
    pollMs: 20,
    heartbeatMs: 2000,
    marginSlots: 2,
    timeoutMs: 2000,
    redialBaseMs: 50,
    redialMaxMs: 400,
    nullBackoffMs: 20,
    ...opts,
  }));
  const run: Run = {
    s,
    src,
    events: [],
    error: null,
    done: Promise.resolve(),
    consume: async () => {},
    of: (kind) => run.events.filter((e) => e.kind === kind) as any,
    watermark: () => run.of('watermark').at(-1)?.slot ?? -1,
  };
  run.consume = async () => {
    try {
      for await (const e of src.events()) {
        run.events.push(e);
        if (consumeDelayMs > 0) await new Promise((r) => setTimeout(r, consumeDelayMs));
      }
    } catch (e) {
      run.error = e as Error;
    }
  };
  if (!later) startConsuming(run);
  return run;
}

/** Start the source (its first events() call connects). */
function startConsuming(run: Run): void {
  run.done = run.consume();
}

/** Connected with every subscription in place (the server counts them as they are made). */
async function connected(run: Run, n = 1): Promise<void> {
  await until(() => run.of('connected').length >= n && run.s.live.stats.connections === 1, `connection ${n}`);
}

/** Step the clock through `blocks` blocks, a few at a time, letting the source keep up. */
async function steps(run: Run, blocks: number, per = 3): Promise<void> {
  for (let i = 0; i < blocks; i += per) {
    run.s.live.step(Math.min(per, blocks - i));
    await new Promise((r) => setTimeout(r, 15));
  }
}

/** Run the chain to its end and wait until the source has watermarked all it can. */
async function finish(run: Run): Promise<void> {
  await steps(run, run.s.chain.produced.length);
  const margin = 2;
  const last = run.s.chain.lastSlot - margin;
  await until(() => run.watermark() >= last, `watermark ${last} (at ${run.watermark()})`);
}

/** The first slot the source saw on its n-th connection. */
function firstTipAfterConnect(run: Run, n: number): number {
  let seen = 0;
  for (const e of run.events) {
    if (e.kind === 'connected') seen++;
    else if (e.kind === 'tip' && seen === n) return e.slot;
  }
  throw new Error(`no tip after connection ${n}`);
}

interface Expected {
  slot: number;
  txIndex: number;
  signature: string;
}

/** The raw transactions of the last backfillOf walk, by signature. */
const walked = new Map<string, RawTransaction>();

/** What backfill's getBlock walk gives for [from, to]: venue transactions that did not fail. */
async function backfillOf(url: string, from: number, to: number): Promise<Expected[]> {
  const programs = new Set(PROGRAMS);
  const out: Expected[] = [];
  for await (const o of slotOutcomes(client(url), [[from, to]], 'confirmed')) {
    if (o.kind === 'gap') throw new Error(`backfill walk failed at ${o.from}: ${o.error}`);
    if (o.kind !== 'block') continue;
    for (const t of o.txs) {
      const raw = t.tx as any;
      if (raw.meta?.err != null) continue;
      const keys: string[] = [...raw.transaction.message.accountKeys.map((k: any) => (typeof k === 'string' ? k : k.pubkey)), ...(raw.meta?.loadedAddresses?.writable ?? []), ...(raw.meta?.loadedAddresses?.readonly ?? [])];
      if (!keys.some((k) => programs.has(k))) continue;
      out.push({ slot: o.slot, txIndex: t.txIndex!, signature: raw.transaction.signatures[0] });
      walked.set(raw.transaction.signatures[0], raw);
    }
  }
  return out;
}

/**
 * The property: emitted + gap slots = the backfill of [fromSlot, watermark], each once, with
 * slot and position. `lateGaps`: a gap reported for a late notification may cover a slot whose
 * other transactions went out already (the store's idempotent insert absorbs the repeat);
 * then only "nothing lost, nothing emitted twice, positions right" is checked.
 */
async function expectComplete(run: Run, { lateGaps = false } = {}): Promise<{ emitted: number; inGaps: number }> {
  const wm = run.watermark();
  const from = run.s.chain.firstSlot;
  const expected = await backfillOf(run.s.url, from, wm);
  const gaps = run.of('gap');
  const inGap = (slot: number) => gaps.some((g) => slot >= g.from && slot <= g.to);
  const emitted = run.of('tx').filter((e) => e.slot <= wm);
  const sigs = emitted.map(sigOf);
  expect(new Set(sigs).size).toBe(sigs.length);
  const got = emitted.map((e, i) => ({ slot: e.slot, txIndex: e.txIndex, signature: sigs[i] }));
  if (lateGaps) {
    const bySig = new Map(expected.map((x) => [x.signature, x]));
    for (const g of got) expect(bySig.get(g.signature)).toEqual(g);
    const emittedSigs = new Set(sigs);
    for (const x of expected) expect(emittedSigs.has(x.signature) || inGap(x.slot), `lost ${x.signature} in slot ${x.slot}`).toBe(true);
  } else {
    for (const e of emitted) expect(inGap(e.slot), `tx in slot ${e.slot} also inside a gap`).toBe(false);
    expect(got).toEqual(expected.filter((x) => !inGap(x.slot)));
    expect(run.src.stats.late).toBe(0);
  }
  // Watermarks only rise, and a tx never comes after a watermark covering its slot.
  let floor = -1;
  for (const e of run.events) {
    if (e.kind === 'watermark') {
      expect(e.slot).toBeGreaterThan(floor);
      floor = e.slot;
    } else if (e.kind === 'tx') expect(e.slot).toBeGreaterThan(floor);
  }
  if (!lateGaps) expect(got.length).toBeGreaterThan(0);
  const gapSigs = expected.filter((x) => inGap(x.slot)).length;
  return { emitted: got.length, inGaps: gapSigs };
}

describe('WebSocket live source', { timeout: 60_000 }, () => {
  it('blockSubscribe mode: every venue transaction once, with the positions getBlock gives, and no gap', async () => {
    const run = await begin({});
    await connected(run);
    expect(run.src.mode).toBe('block');
    expect(run.of('connected')[0].mode).toBe('websocket/block');
    await finish(run);
    const r = await expectComplete(run);
    expect(run.of('gap')).toEqual([]);
    expect(r.inGaps).toBe(0);
    expect(run.of('tip').map((e) => e.slot)).toEqual(run.s.chain.produced);
    // Block times ride on the watermarks that land on a block.
    expect(run.of('watermark').some((w) => w.blockTime !== null)).toBe(true);
    expect(run.s.stats.byMethod.getTransaction ?? 0).toBe(0);
    // Decoded where the frame was read (the frame worker): what decoding the getBlock walk's
    // copy gives, trade for trade.
    const txs = run.of('tx');
    for (const e of txs) {
      if (!('decoded' in e)) throw new Error('a block-mode transaction not decoded by the reader');
      expect(e.decoded).toEqual(decodeOutcome(walked.get(e.decoded.signature)!));
    }
    expect(txs.some((e) => 'decoded' in e && 'trades' in e.decoded && e.decoded.trades.length > 0)).toBe(true);
  });

  it('logs fallback: one subscription per program, getTransaction + per-slot positions, duplicates across programs dropped', async () => {
    const run = await begin({ live: { blockSubscribe: false } });
    await connected(run);
    expect(run.src.mode).toBe('logs');
    // blockSubscribe refused, then one logsSubscribe per program and slotSubscribe.
    expect(run.s.live.stats.subscriptions).toBe(PROGRAMS.length + 1);
    await finish(run);
    const r = await expectComplete(run);
    expect(run.of('gap')).toEqual([]);
    expect(r.inGaps).toBe(0);
    expect(run.src.stats.duplicates).toBeGreaterThan(0);
    // Positions cost one getBlock per slot with venue transactions, not one per transaction.
    const slotsWithTxs = new Set(run.of('tx').map((e) => e.slot)).size;
    expect(run.s.stats.byMethod.getBlock).toBeGreaterThanOrEqual(slotsWithTxs);
    expect(run.s.stats.byMethod.getBlock).toBeLessThan(run.src.stats.notified);
  });

  for (const mode of ['block', 'logs'] as const) {
    it(`sockets dropped mid-stream (${mode}): reconnects, and each gap is the slots between the watermark and the first slot after`, async () => {
      const run = await begin({ copies: 2, live: { blockSubscribe: mode === 'block' } });
      await connected(run);
      const n = run.s.chain.produced.length;
      for (let drop = 1; drop <= 3; drop++) {
        await steps(run, Math.floor(n / 5));
        await until(() => run.watermark() >= (run.s.live.slot ?? 0) - 2, 'caught up before the drop');
        const before = run.watermark();
        run.s.live.dropAll();
        // The chain moves on while the source is away.
        run.s.live.step(4);
        await connected(run, drop + 1);
        run.s.live.step(1);
        await until(() => run.of('gap').length >= drop, 'the gap');
        const gap = run.of('gap')[drop - 1];
        const firstAfter = firstTipAfterConnect(run, drop + 1);
        expect(gap.from).toBe(before + 1);
        expect(gap.to).toBe(firstAfter - 1);
        expect(gap.reason).toMatch(/missed while reconnecting/);
      }
      await finish(run);
      const r = await expectComplete(run);
      expect(r.inGaps).toBeGreaterThan(0);
      expect(run.of('reconnect').length).toBe(3);
      expect(run.error).toBeNull();
    });
  }

  it('a 5-second outage refusing connections: redials with backoff, then one gap covering exactly the missed slots', async () => {
    const run = await begin({ copies: 2, live: { blockSubscribe: false } }, { redialBaseMs: 100, redialMaxMs: 800 });
    await connected(run);
    await steps(run, 30);
    await until(() => run.watermark() >= (run.s.live.slot ?? 0) - 2, 'caught up');
    const before = run.watermark();
    const t0 = Date.now();
    run.s.live.outage(5000, 429);
    // Blocks keep coming during the outage.
    while (Date.now() - t0 < 5000) {
      run.s.live.step(1);
      await new Promise((r) => setTimeout(r, 250));
    }
    await connected(run, 2);
    run.s.live.step(1);
    await until(() => run.of('gap').length === 1, 'the gap');
    const reconnects = run.of('reconnect');
    expect(reconnects.length).toBeGreaterThan(2);
    expect(reconnects.slice(1).some((r) => /429/.test(r.reason))).toBe(true);
    expect(run.s.live.stats.refused).toBe(reconnects.length - 1);
    const gap = run.of('gap')[0];
    const firstAfter = firstTipAfterConnect(run, 2);
    expect(gap).toMatchObject({ from: before + 1, to: firstAfter - 1 });
    // Exactly the slots the clock produced while the source was away (and the margin it held back).
    const missed = run.s.chain.produced.filter((x) => x > before && x < firstAfter);
    expect(missed.length).toBeGreaterThan(10);
    await finish(run);
    await expectComplete(run);
  });

  it('connection refused at the TCP level (ECONNREFUSED) is retried, not fatal', async () => {
    const run = await begin({}, { wsUrl: 'ws://127.0.0.1:9/' });
    await until(() => run.of('reconnect').length >= 3, 'three redials');
    expect(run.of('reconnect')[0].reason).toMatch(/ECONNREFUSED/);
    expect(run.error).toBeNull();
    await run.src.stop();
    await run.done;
    expect(run.error).toBeNull();
  });

  for (const mode of ['block', 'logs'] as const) {
    it(`truncated frames (${mode}): each is a skip event; a lost notification's slot becomes a gap`, async () => {
      const run = await begin({ copies: 2, live: { blockSubscribe: mode === 'block' } });
      await connected(run);
      run.s.setFaults({ wsMalformedRate: 0.08, seed: 11 });
      await steps(run, run.s.chain.produced.length - 3);
      run.s.setFaults({});
      await finish(run);
      const malformed = run.s.live.stats.malformed;
      expect(malformed).toBeGreaterThan(3);
      expect(run.of('skip').length).toBe(malformed);
      expect(run.of('skip').some((s) => s.slot !== undefined)).toBe(true);
      const r = await expectComplete(run);
      expect(r.inGaps).toBeGreaterThan(0);
      expect(run.error).toBeNull();
    });
  }

  it('a silent socket (open, sending nothing) is found by the heartbeat while getSlot moves on', async () => {
    const run = await begin({ live: { blockSubscribe: false } }, { heartbeatMs: 400, timeoutMs: 500 });
    await connected(run);
    await steps(run, 20);
    await until(() => run.watermark() >= (run.s.live.slot ?? 0) - 2, 'caught up');
    run.s.setFaults({ wsSilent: true });
    // The chain goes on; the socket says nothing.
    while (run.of('reconnect').length === 0) {
      run.s.live.step(1);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(run.of('reconnect')[0].reason).toMatch(/no slot notification for \d+ s while the node went from slot \d+ to \d+/);
    run.s.setFaults({});
    await connected(run, 2);
    // Not a stalled chain: while the clock stands still, silence is not death.
    const reconnects = run.of('reconnect').length;
    await new Promise((r) => setTimeout(r, 1200));
    expect(run.of('reconnect').length).toBe(reconnects);
    await finish(run);
    await expectComplete(run);
    expect(run.of('gap').length).toBe(1);
  });

  it('getTransaction null: retried briefly, then the slot is a gap; the stream goes on', async () => {
    const probe = await startReplay({});
    const sigs = [...probe.chain.bySignature.entries()];
    await probe.close();
    const programs = new Set(PROGRAMS);
    const venue = sigs.filter(([, at]) => {
      const t = probe.chain.blocks.get(at.slot)!.transactions[at.index];
      return t.meta?.err == null && t.transaction.message.accountKeys.some((k: any) => programs.has(typeof k === 'string' ? k : k.pubkey));
    });
    const [late] = venue[3];
    const [never, neverAt] = venue[venue.length - 8];
    const run = await begin({ live: { blockSubscribe: false }, faults: { nullTransactions: { [late]: 2, [never]: 1000 } } }, { nullRetries: 3 });
    await connected(run);
    await finish(run);
    await expectComplete(run);
    expect(run.of('tx').some((e) => sigOf(e) === late)).toBe(true);
    expect(run.of('gap')).toEqual([{ kind: 'gap', from: neverAt.slot, to: neverAt.slot, reason: expect.stringMatching(/still null after 4 tries/) }]);
    expect(run.src.stats.nullRetries).toBe(2 + 3);
  });

  it('never says a key: URLs with a path key and ?api-key= stay out of every event and error', async () => {
    const secretPath = '9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d';
    const secretQuery = 'SECRETKEY0123';
    const s2 = (server = await startReplay({ live: { slotMs: 0, blockSubscribe: false } }));
    const keyed = (base: string) => `${base}/${secretPath}?api-key=${secretQuery}`;
    const src = (source = createWebSocketSource({ wsUrl: keyed(s2.live.wsUrl), rpc: client(keyed(s2.url)), programs: PROGRAMS, commitment: 'confirmed', pollMs: 20, redialBaseMs: 30, redialMaxMs: 100 }));
    const events: LiveEvent[] = [];
    const done = (async () => {
      for await (const e of src.events()) events.push(e);
    })();
    await until(() => events.some((e) => e.kind === 'connected'), 'connected');
    s2.live.outage(400, 503);
    await until(() => events.filter((e) => e.kind === 'connected').length === 2, 'reconnected');
    s2.live.step(3);
    await src.stop();
    await done;
    const said = JSON.stringify(events) + src.name;
    expect(events.some((e) => e.kind === 'reconnect' && /503/.test(e.reason))).toBe(true);
    expect(said).not.toContain(secretPath);
    expect(said).not.toContain(secretQuery);

    // A refusal the source cannot recover from ends the stream with an error, redacted too.
    const bad = createWebSocketSource({ wsUrl: keyed(s2.live.wsUrl), rpc: client(keyed(s2.url)), programs: ['not-a-key'], commitment: 'confirmed', mode: 'logs' });
    let thrown: Error | null = null;
    try {
      for await (const _ of bad.events());
    } catch (e) {
      thrown = e as Error;
    }
    await bad.stop();
    expect(thrown?.message).toMatch(/refused a subscription: Invalid Request: Invalid pubkey/);
    expect(thrown?.message).toContain('***');
    expect(thrown?.message).not.toContain(secretPath);
    expect(thrown?.message).not.toContain(secretQuery);
    const notWs = () => createWebSocketSource({ wsUrl: keyed('http://h'), rpc: client(keyed(s2.url)), programs: [], commitment: 'confirmed' });
    expect(notWs).toThrow(/not a WebSocket URL/);
    expect(notWs).not.toThrow(new RegExp(secretQuery));
    expect(notWs).not.toThrow(new RegExp(secretPath));
  });

  it('a notification later than the margin: its slot is reported as a gap, nothing is lost', async () => {
    // Margin 0 and frames 100 ms behind HTTP: getSlot has seen slot S by the time S's slot
    // notification seals it, and its logs come just after.
    const run = await begin({ live: { blockSubscribe: false }, faults: { wsLatencyMs: 100 } }, { marginSlots: 0 });
    await connected(run);
    await steps(run, run.s.chain.produced.length);
    await until(() => run.watermark() >= run.s.chain.lastSlot, 'the end');
    expect(run.src.stats.late).toBeGreaterThan(0);
    const lateGaps = run.of('gap').filter((g) => /arrived after slot \d+ was sealed/.test(g.reason));
    expect(lateGaps.length).toBeGreaterThan(0);
    expect(lateGaps.every((g) => g.from === g.to)).toBe(true);
    await expectComplete(run, { lateGaps: true });
  });

  it('a slow consumer pauses the socket instead of queueing without bound, and nothing arrives late', async () => {
    const run = await begin({ live: { blockSubscribe: false } }, { highWater: 8 }, 4);
    await connected(run);
    await finish(run);
    await expectComplete(run);
    expect(run.of('gap')).toEqual([]);
  });

  it('started behind the tip with fromSlot: the slots before the first live one are one gap, then it streams', async () => {
    const run = await begin({ live: { blockSubscribe: false, autoStart: false } }, {}, 0, true);
    run.s.live.step(12); // the chain moves before the source is there
    startConsuming(run);
    await connected(run);
    await finish(run);
    const first = firstTipAfterConnect(run, 1);
    expect(first).toBe(run.s.chain.produced[12]);
    expect(run.of('gap')).toEqual([{ kind: 'gap', from: run.s.chain.firstSlot, to: first - 1, reason: 'before the live stream began' }]);
    const r = await expectComplete(run);
    expect(r.inGaps).toBeGreaterThan(0);
  });

  it('stop() does not wait out a handshake that hangs', { timeout: 15_000 }, async () => {
    // Accepts TCP, never answers the upgrade.
    const sockets: Socket[] = [];
    const hang = createServer((sock) => sockets.push(sock));
    await new Promise<void>((r) => hang.listen(0, '127.0.0.1', r));
    const port = (hang.address() as AddressInfo).port;
    const s = (server = await startReplay({ live: { slotMs: 0 } }));
    const src = (source = createWebSocketSource({ wsUrl: `ws://127.0.0.1:${port}/`, rpc: client(s.url), programs: PROGRAMS, commitment: 'confirmed', timeoutMs: 60_000 }));
    const done = (async () => {
      for await (const _ of src.events());
    })();
    await until(() => sockets.length === 1, 'the dial');
    await src.stop();
    await done;
    for (const sock of sockets) sock.destroy();
    await new Promise((r) => hang.close(r));
  });

  it('a drop while transactions are still being fetched: their slots fall in the gap, none is watermarked unsent', async () => {
    // Slow HTTP: fetches are in flight when the socket drops, and getSlot keeps moving meanwhile.
    const run = await begin({ copies: 2, live: { blockSubscribe: false }, faults: { latencyMs: 150 } }, { redialBaseMs: 400, redialMaxMs: 400 });
    await connected(run);
    for (let drop = 1; drop <= 2; drop++) {
      await steps(run, 12);
      run.s.live.dropAll();
      run.s.live.step(3);
      await connected(run, drop + 1);
      run.s.live.step(1);
      await until(() => run.of('gap').length >= drop, 'the gap');
    }
    await finish(run);
    await expectComplete(run);
  });
});
