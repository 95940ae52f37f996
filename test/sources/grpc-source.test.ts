/**
 * The Yellowstone source (the real napi client) against the gRPC replay server on 127.0.0.1,
 * serving the json fixtures as a chain: every venue transaction delivered exactly once, in
 * order, with its block time and watermark, through drops, an outage, garbage frames, invalid
 * updates, silent sockets and replay windows that ran out.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { decodeTransaction } from '../../src/core/decode/index.js';
import { defaultLabels } from '../../src/core/labels.js';
import type { LiveEvent } from '../../src/sources/live/types.js';
import { createGrpcSource, type GrpcSourceOptions } from '../../src/sources/grpc/source.js';
import { accountKeys, type Chain } from '../support/replay/chain.js';
import { numericMeta, startGrpcReplayFromFixtures, type GrpcReplayOptions, type GrpcReplayServer } from '../support/grpc-replay/index.js';

const PROGRAMS = [...defaultLabels.programs.entries()].filter(([, l]) => l.kind !== 'infra').map(([id]) => id);
const VOTE = 'Vote111111111111111111111111111111111111111';

const servers: GrpcReplayServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

async function serve(opts: GrpcReplayOptions = {}): Promise<GrpcReplayServer> {
  const s = await startGrpcReplayFromFixtures({ slotMs: 25, pingMs: 100, ...opts });
  servers.push(s);
  return s;
}

function source(server: GrpcReplayServer, opts: Partial<GrpcSourceOptions> = {}) {
  return createGrpcSource({
    endpoint: server.url,
    programs: PROGRAMS,
    commitment: 'confirmed',
    fromSlot: server.chain.firstSlot,
    heartbeatMs: 3000,
    backoff: { initialMs: 50, maxMs: 400 },
    ...opts,
  });
}

/** What the filter should let through, in chain order: (slot, index, signature). */
function expectedTxs(chain: Chain, fromSlot = chain.firstSlot): Array<{ slot: number; index: number; signature: string }> {
  const out = [];
  for (const slot of chain.produced) {
    if (slot < fromSlot) continue;
    const block = chain.blocks.get(slot)!;
    for (const [index, tx] of block.transactions.entries()) {
      const keys = accountKeys(tx);
      if (tx.meta.err !== null && tx.meta.err !== undefined) continue;
      if (keys.includes(VOTE) || !PROGRAMS.some((p) => keys.includes(p))) continue;
      out.push({ slot, index, signature: tx.transaction.signatures[0] });
    }
  }
  return out;
}

/** Run the source until its watermark reaches the chain's last slot (or it throws). */
async function collect(
  src: ReturnType<typeof createGrpcSource>,
  lastSlot: number,
  timeoutMs = 20_000,
  events: LiveEvent[] = [],
): Promise<LiveEvent[]> {
  const timer = setTimeout(() => void src.stop(), timeoutMs);
  try {
    for await (const e of src.events()) {
      events.push(e);
      if (e.kind === 'watermark' && e.slot >= lastSlot) break;
    }
  } finally {
    clearTimeout(timer);
    await src.stop();
  }
  return events;
}

const txs = (events: LiveEvent[]) =>
  events.flatMap((e) => (e.kind === 'tx' ? [{ slot: e.slot, index: e.txIndex!, signature: (e.tx.transaction as any).signatures[0] }] : []));
const ofKind = <K extends LiveEvent['kind']>(events: LiveEvent[], kind: K) =>
  events.filter((e): e is Extract<LiveEvent, { kind: K }> => e.kind === kind);

/** Watermarks rise, cover every produced slot once, and each tx sits between its slot's neighbours. */
function expectConsistentWatermarks(events: LiveEvent[], chain: Chain, fromSlot = chain.firstSlot): void {
  let mark = fromSlot - 1;
  const marked: number[] = [];
  for (const e of events) {
    if (e.kind === 'watermark') {
      expect(e.slot).toBeGreaterThan(mark);
      expect(e.blockTime).toBe(chain.blocks.get(e.slot)!.blockTime);
      mark = e.slot;
      marked.push(e.slot);
    } else if (e.kind === 'gap') {
      expect(e.from).toBe(mark + 1);
      mark = e.to;
    } else if (e.kind === 'tx') {
      expect(e.slot).toBeGreaterThan(mark);
    }
  }
  const gapped = ofKind(events, 'gap').flatMap((g) => chain.produced.filter((s) => s >= g.from && s <= g.to));
  expect([...marked, ...gapped].sort()).toEqual(chain.produced.filter((s) => s >= fromSlot));
}

describe('Yellowstone gRPC source against the replay server', () => {
  it('delivers every venue transaction once, in block order, with its block time, the trades the fixtures decode to', async () => {
    // shuffle: transactions arrive out of block order within a slot, as parallel execution sends them.
    const server = await serve({ shuffle: true });
    const chain = server.chain;
    const events = await collect(source(server), chain.lastSlot);
    const expected = expectedTxs(chain);
    expect(expected.length).toBeGreaterThan(60);
    expect(txs(events)).toEqual(expected);
    expectConsistentWatermarks(events, chain);
    expect(ofKind(events, 'gap')).toEqual([]);
    expect(ofKind(events, 'skip')).toEqual([]);
    expect(ofKind(events, 'tip').length).toBeGreaterThan(0);

    let trades = 0;
    for (const e of ofKind(events, 'tx')) {
      const fixture = chain.blocks.get(e.slot)!.transactions[e.txIndex!];
      expect(e.tx.blockTime).toBe(chain.blocks.get(e.slot)!.blockTime);
      const block = chain.blocks.get(e.slot)!;
      const fromHttp = decodeTransaction({ ...fixture, meta: numericMeta(fixture.meta), slot: e.slot, blockTime: block.blockTime, txIndex: e.txIndex } as any);
      expect(decodeTransaction(e.tx)).toEqual(fromHttp);
      trades += fromHttp.length;
    }
    expect(trades).toBeGreaterThan(60);
    // The subscription the server saw, and the pings answered.
    const sub = server.stats.subscribes[0];
    expect(sub.fromSlot).toBe(chain.firstSlot);
    expect(sub.filters!.transactions.venues).toMatchObject({ vote: false, failed: false });
    expect(new Set(sub.filters!.transactions.venues.accountInclude)).toEqual(new Set(PROGRAMS));
    expect(Object.keys(sub.filters!.blocksMeta)).toHaveLength(1);
    expect(Object.keys(sub.filters!.slots)).toHaveLength(1);
    expect(server.stats.pingsReceived).toBeGreaterThan(0);
  });

  it('a stream dropped mid-slot (twice) resumes from the watermark: nothing lost, nothing twice', async () => {
    const server = await serve({ faults: { dropAtSlots: [312_000_007, 312_000_021] } });
    const chain = server.chain;
    const events = await collect(source(server), chain.lastSlot);
    expect(txs(events)).toEqual(expectedTxs(chain));
    expectConsistentWatermarks(events, chain);
    const reconnects = ofKind(events, 'reconnect');
    expect(reconnects).toHaveLength(2);
    // The napi client reports either the server's status or, when the connection goes first, the channel.
    expect(reconnects[0].reason).toMatch(/stream dropped in slot 312000007|channel closed/);
    // Each resubscription asks for the slot after the last watermark before the drop.
    const resumed = server.stats.subscribes.slice(1).map((s) => s.fromSlot);
    const marksBefore = (slot: number) => Math.max(...ofKind(events, 'watermark').filter((w) => w.slot < slot).map((w) => w.slot));
    expect(resumed).toEqual([marksBefore(312_000_007) + 1, marksBefore(312_000_021) + 1]);
    expect(server.stats.drops).toBe(2);
  });

  it('a stream the server ends cleanly mid-slot is resubscribed from the watermark too', async () => {
    const server = await serve({ faults: { endAtSlots: [312_000_012] } });
    const chain = server.chain;
    const events = await collect(source(server), chain.lastSlot);
    expect(txs(events)).toEqual(expectedTxs(chain));
    expectConsistentWatermarks(events, chain);
    expect(ofKind(events, 'reconnect').map((r) => r.reason)).toEqual(['stream ended']);
    const mark = Math.max(...ofKind(events, 'watermark').filter((w) => w.slot < 312_000_012).map((w) => w.slot));
    expect(server.stats.subscribes.map((s) => s.fromSlot)).toEqual([chain.firstSlot, mark + 1]);
  });

  it('an outage of a few seconds (connections refused) is waited out, then replayed from the watermark', async () => {
    const server = await serve({ slotMs: 50, faults: { outageAt: { slot: 312_000_010, ms: 2500 } } });
    const chain = server.chain;
    const events = await collect(source(server, { backoff: { initialMs: 100, maxMs: 800 } }), chain.lastSlot);
    expect(txs(events)).toEqual(expectedTxs(chain));
    expectConsistentWatermarks(events, chain);
    const reconnects = ofKind(events, 'reconnect');
    // Refused while the port is closed: several attempts, with growing (jittered) delays.
    expect(reconnects.length).toBeGreaterThanOrEqual(3);
    expect(reconnects.some((r) => /failed to connect/.test(r.reason))).toBe(true);
    expect(Math.max(...reconnects.map((r) => r.attempt))).toBeGreaterThanOrEqual(3);
    for (const r of reconnects) expect(r.delayMs).toBeLessThanOrEqual(800);
    expect(ofKind(events, 'connected').length).toBe(2);
    expect(server.stats.outages).toBe(1);
  });

  it('a fromSlot the server no longer holds: a gap of exactly the slots it cannot replay, then the rest', async () => {
    // A drop later on must resume from the watermark again, not from the slot the refusal named.
    const server = await serve({ slotMs: 0, retainSlots: 6, faults: { dropAtSlots: [312_000_031] } });
    const chain = server.chain;
    server.step(20); // the clock is at first+19; the server holds first+14 .. first+19
    const src = source(server);
    const events: LiveEvent[] = [];
    const pending = collect(src, chain.lastSlot, 20_000, events);
    await waitFor(() => server.stats.subscribes.length >= 2);
    // Slot by slot, so what is in flight at the drop stays inside the 6-slot window.
    while (server.clock < chain.lastSlot) {
      server.step(1);
      const target = Math.max(...chain.produced.filter((slot) => slot <= server.clock));
      await waitFor(() => ofKind(events, 'watermark').some((w) => w.slot >= target));
    }
    await pending;
    const firstHeld = chain.firstSlot + 14;
    expect(ofKind(events, 'gap')).toEqual([
      { kind: 'gap', from: chain.firstSlot, to: firstHeld - 1, reason: `server cannot replay from ${chain.firstSlot}` },
    ]);
    expect(server.stats.rejected.outOfRange).toBe(1);
    const lastMarkBeforeDrop = Math.max(...ofKind(events, 'watermark').filter((w) => w.slot < 312_000_031).map((w) => w.slot));
    expect(server.stats.subscribes.map((s) => s.fromSlot)).toEqual([chain.firstSlot, firstHeld, lastMarkBeforeDrop + 1]);
    expect(txs(events)).toEqual(expectedTxs(chain, firstHeld));
    expectConsistentWatermarks(events, chain);
  });

  it('a reconnect after the replay window moved on reports the missed slots as a gap', async () => {
    const server = await serve({ slotMs: 0, retainSlots: 4 });
    const chain = server.chain;
    const src = source(server, { fromSlot: null });
    const events: LiveEvent[] = [];
    const run = (async () => {
      for await (const e of src.events()) {
        events.push(e);
        if (e.kind === 'watermark' && e.slot >= chain.lastSlot) break;
      }
      await src.stop();
    })();
    await waitFor(() => server.stats.subscribes.length === 1);
    server.step(8);
    await waitFor(() => ofKind(events, 'watermark').some((w) => w.slot >= server.clock));
    const markBefore = ofKind(events, 'watermark').at(-1)!.slot;
    const outage = server.outage(1200);
    server.step(15); // the chain moves on while the client cannot connect
    await outage;
    await waitFor(() => server.stats.subscribes.length >= 3);
    server.step(chain.lastSlot - server.clock);
    await run;
    const gaps = ofKind(events, 'gap');
    // The first subscription was live (no cursor): its first slot is reported, it may be partial.
    expect(gaps[0]).toMatchObject({ from: chain.firstSlot, to: chain.firstSlot });
    const rejected = server.stats.subscribes[1];
    expect(rejected.fromSlot).toBe(markBefore + 1);
    const resumedAt = server.stats.subscribes[2].fromSlot!;
    expect(gaps[1]).toMatchObject({ from: markBefore + 1, to: resumedAt - 1 });
    expect(resumedAt).toBeGreaterThan(markBefore + 1);
    // Delivered + gapped = every venue transaction after the first slot, each once.
    const inGap = (slot: number) => gaps.some((g) => slot >= g.from && slot <= g.to);
    expect(txs(events)).toEqual(expectedTxs(chain).filter((t) => !inGap(t.slot)));
    expectConsistentWatermarks(events, chain);
  });

  it('an update that is no transaction is skipped and counted; a garbage frame costs a reconnect; the stream goes on', async () => {
    const server = await serve({ faults: { invalidAtSlots: [312_000_006], garbageAtSlots: [312_000_012] } });
    const chain = server.chain;
    const events = await collect(source(server), chain.lastSlot);
    const skips = ofKind(events, 'skip');
    expect(skips).toHaveLength(1);
    expect(skips[0]).toMatchObject({ slot: 312_000_006, reason: expect.stringMatching(/without meta/) });
    expect(skips[0].signature).toMatch(/^[1-9A-HJ-NP-Za-km-z]{80,90}$/);
    // The garbage frame kills the stream inside the client library; the resubscription replays.
    expect(ofKind(events, 'reconnect')).toHaveLength(1);
    expect(txs(events)).toEqual(expectedTxs(chain));
    expectConsistentWatermarks(events, chain);
  });

  it('a socket that goes silent without closing is declared dead after the heartbeat and replaced', async () => {
    const server = await serve({ faults: { muteAtSlots: [312_000_010] } });
    const chain = server.chain;
    const events = await collect(source(server, { heartbeatMs: 700 }), chain.lastSlot);
    const reconnects = ofKind(events, 'reconnect');
    expect(reconnects).toHaveLength(1);
    expect(reconnects[0].reason).toMatch(/no update for/);
    expect(txs(events)).toEqual(expectedTxs(chain));
    expectConsistentWatermarks(events, chain);
  });

  it('sends the x-token; a wrong one ends the source with one line that names neither token nor URL key', async () => {
    const token = 'tok-3f9a1c22e7b84d0f9e51';
    const server = await serve({ xToken: token });
    const good = await collect(source(server, { xToken: token }), server.chain.firstSlot + 3);
    expect(ofKind(good, 'watermark').length).toBeGreaterThan(0);

    const wrong = 'tok-wrong-a8b7c6d5e4f3a2b1';
    const keyInPath = 'k3y9f8e7d6c5b4a3f2e1d0c9';
    for (const endpoint of [server.url, `${server.url}/${keyInPath}`]) {
      const src = source(server, { xToken: wrong, endpoint });
      let error: Error | null = null;
      const seen: LiveEvent[] = [];
      try {
        for await (const e of src.events()) seen.push(e);
      } catch (e) {
        error = e as Error;
      }
      expect(error).not.toBeNull();
      expect(error!.message).toMatch(/x-token is missing or invalid/);
      expect(error!.message).not.toMatch(/\n/);
      for (const text of [error!.message, JSON.stringify(seen)]) {
        expect(text).not.toContain(wrong);
        expect(text).not.toContain(token);
        expect(text).not.toContain(keyInPath);
      }
      if (endpoint !== server.url) expect(error!.message).toContain('***');
      // Retrying a rejected token cannot help: it gives up at once.
      expect(ofKind(seen, 'reconnect')).toEqual([]);
    }
    expect(server.stats.rejected.unauthenticated).toBe(2);
  });

  it('while the endpoint is down, reconnect events name neither the x-token nor the URL key', async () => {
    const server = await serve();
    const port = server.port;
    await server.close();
    const token = 'tok-77aa66bb55cc44dd33ee';
    const key = 'Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2';
    const src = source(server, { endpoint: `http://127.0.0.1:${port}/${key}?api-key=${key}`, xToken: token });
    const seen: LiveEvent[] = [];
    for await (const e of src.events()) {
      seen.push(e);
      if (ofKind(seen, 'reconnect').length === 3) await src.stop();
    }
    expect(ofKind(seen, 'reconnect')).toHaveLength(3);
    expect(JSON.stringify(seen)).not.toContain(token);
    expect(JSON.stringify(seen)).not.toContain(key);
  });
});

async function waitFor(cond: () => boolean, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > until) throw new Error('waitFor: timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}
