/**
 * The frame reader with several workers: real pubsub frames (the replay chain's block and slot
 * notifications, as the socket hands them over) come back digested exactly as the calling thread
 * digests them, and in the order they were read, although a slot notification read on an idle
 * worker is done long before the block a busy worker is still decoding.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { DEFAULT_LABELS_FILE } from '../../src/core/labels.js';
import { createFrameReader, type FrameReader } from '../../src/sources/live/frame-reader.js';
import type { FrameDigest } from '../../src/sources/live/frame-digest.js';
import { startReplay, type ReplayServer } from '../support/replay/index.js';

const PROGRAMS = new Set(
  Object.entries(DEFAULT_LABELS_FILE.programs ?? {})
    .filter(([, p]) => p.kind === 'dex' || p.kind === 'router' || p.kind === 'dca' || p.kind === 'limit')
    .map(([id]) => id),
);

let server: ReplayServer | null = null;
let reader: FrameReader | null = null;
afterEach(async () => {
  reader?.close();
  reader = null;
  await server?.close();
  server = null;
});

/** The raw frames of the first `blocks` block notifications and every slot notification around them. */
async function recordFrames(blocks: number): Promise<Buffer[]> {
  server = await startReplay({ copies: 8, txPerBlock: 60, live: { slotMs: 20 } });
  const ws = new WebSocket(server.live.wsUrl, { perMessageDeflate: false });
  const frames: Buffer[] = [];
  let seen = 0;
  await new Promise<void>((resolve, reject) => {
    ws.on('error', reject);
    ws.on('open', () => {
      ws.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'slotSubscribe' }));
      ws.send(JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'blockSubscribe', params: ['all', { commitment: 'confirmed', encoding: 'json', transactionDetails: 'full', maxSupportedTransactionVersion: 0, showRewards: false }] }));
    });
    ws.on('message', (data: Buffer) => {
      if (seen === blocks) return;
      frames.push(Buffer.from(data));
      if (data.includes('"blockNotification"') && ++seen === blocks) resolve();
    });
  });
  ws.close();
  return frames;
}

/** Nice values of this process's threads, by thread id (Linux: field 19 of /proc/self/task/TID/stat). */
function threadNices(): Map<number, number> {
  const out = new Map<number, number>();
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      out.set(Number(tid), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]));
    } catch {
      // The thread ended meanwhile.
    }
  }
  return out;
}

describe('frame reader on several workers', () => {
  it.runIf(process.platform === 'linux')('reads below the calling thread in priority, and getBlock answers on a thread of their own at the lowest', async () => {
    const before = threadNices();
    reader = createFrameReader({ programs: PROGRAMS, threads: 2 });
    await reader.ready();
    expect(reader.threads).toBe(2);
    const added = [...threadNices()].filter(([tid]) => !before.has(tid)).map(([, nice]) => nice);
    // The two readers at 4 and the fill's at 19 (other threads Node starts per worker stay at 0).
    expect(added.filter((n) => n === 4)).toHaveLength(2);
    expect(added.filter((n) => n === 19)).toHaveLength(1);
    // The calling thread (the socket's) keeps the process's priority.
    expect(threadNices().get(process.pid)).toBe(before.get(process.pid));
  });

  it('answers in read order with the same digests as the calling thread', async () => {
    const frames = await recordFrames(10);
    const blocks = frames.filter((f) => f.includes('"blockNotification"')).length;
    expect(blocks).toBe(10);
    expect(frames.length).toBeGreaterThan(blocks + 5);

    const inline = createFrameReader({ programs: PROGRAMS, threads: 0 });
    const expected: FrameDigest[] = [];
    for (const f of frames) inline.read(Buffer.from(f), (d) => expected.push(d));
    // The blocks carry decoded venue transactions: the comparison covers the decode too.
    const trades = expected.flatMap((d) => (d.ok && (d.msg as any).method === 'blockNotification' ? (d.msg as any).params.result.txs : []));
    expect(trades.length).toBeGreaterThan(100);

    reader = createFrameReader({ programs: PROGRAMS, threads: 3 });
    await reader.ready();
    expect(reader.threads).toBe(3);
    const got: Array<{ i: number; d: FrameDigest }> = [];
    let maxBacklog = 0;
    const all = new Promise<void>((resolve) => {
      frames.forEach((f, i) => {
        // Fresh buffers of their own, as ws hands big frames over: moved to a worker, not copied.
        reader!.read(Buffer.from(f), (d) => {
          got.push({ i, d });
          if (got.length === frames.length) resolve();
        });
        maxBacklog = Math.max(maxBacklog, reader!.backlog);
      });
    });
    // Held until answered, counted in bytes (the socket stops being read past a bound on them).
    expect(reader.backlogBytes).toBe(frames.reduce((n, f) => n + f.length, 0));
    await all;
    // All read before any answer: each worker held several, so answers had to be put in order.
    expect(maxBacklog).toBe(frames.length);
    expect(got.map((g) => g.i)).toEqual(frames.map((_, i) => i));
    expect(got.map((g) => g.d)).toEqual(expected);
    expect(reader.backlog).toBe(0);
    expect(reader.backlogBytes).toBe(0);
  });

  it('reads getBlock answers beside the frames, each settled as soon as read, and settles them when closed', async () => {
    server = await startReplay({ copies: 4, txPerBlock: 40 });
    const slots = server.chain.produced.slice(0, 6);
    const bodies: Buffer[] = [];
    for (const slot of slots) {
      const res = await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'getBlock', params: [slot, { encoding: 'json', transactionDetails: 'full', rewards: false, maxSupportedTransactionVersion: 1 }] }),
      });
      bodies.push(Buffer.from(await res.arrayBuffer()));
    }
    // As fetch hands a body over: chunks of 64 kB, each a buffer of its own.
    const chunked = (body: Buffer) => Array.from({ length: Math.ceil(body.length / 65_536) }, (_, k) => new Uint8Array(body.subarray(k * 65_536, (k + 1) * 65_536)));
    const inline = createFrameReader({ programs: PROGRAMS, threads: 0 });
    const expected = await Promise.all(slots.map((slot, i) => inline.readBlockAnswer(slot, chunked(bodies[i]))));
    const decoded = expected.flatMap((d) => (d.ok ? (d.answer as any).result.txs : []));
    expect(decoded.length).toBeGreaterThan(20);
    expect(expected.every((d, i) => d.ok && (d.answer as any).result.slot === slots[i])).toBe(true);

    reader = createFrameReader({ programs: PROGRAMS, threads: 2 });
    await reader.ready();
    expect(bodies.some((b) => b.length > 65_536)).toBe(true);
    const got = await Promise.all(slots.map((slot, i) => reader!.readBlockAnswer(slot, chunked(bodies[i]))));
    expect(got).toEqual(expected);
    expect(await reader.readBlockAnswer(slots[0], [Buffer.from('{"jsonrpc":"2.0","id":1,"result":{"blockTime":1}}')])).toEqual({ ok: false, why: `slot ${slots[0]}: a block without a transactions list` });

    // Closed with answers still held: they settle as unread (the fill retries them), never hang.
    const held = slots.map((slot, i) => reader!.readBlockAnswer(slot, chunked(bodies[i])));
    reader.close();
    const settled = await Promise.all(held);
    expect(settled.some((d) => !d.ok && d.why === 'the frame reader closed')).toBe(true);
  });
});
