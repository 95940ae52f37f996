/**
 * The replay server's WebSocket side, with real clients: `ws` speaking raw JSON-RPC pubsub,
 * and @solana/web3.js's Connection (onSlotChange / onLogs), the client users of solflow's live
 * mode will be compared with. What must hold: the recorded chain arrives complete and in
 * order, filters and unsubscribe work, faults happen as dialled, and after a dropped
 * connection a client reconnects and what it missed is exactly what HTTP getBlocks returns
 * for the gap.
 */
import { Connection, PublicKey } from '@solana/web3.js';
import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { startReplay, type ReplayOptions, type ReplayServer } from './replay/index.js';

let server: ReplayServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

async function start(opts: ReplayOptions): Promise<ReplayServer> {
  server = await startReplay(opts);
  return server;
}

/** A raw pubsub client: requests answered by id, notifications collected in arrival order. */
async function connect(url: string) {
  const ws = new WebSocket(url);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const notes: any[] = [];
  const bad: string[] = [];
  const waiting = new Map<number, (m: any) => void>();
  let id = 1;
  ws.on('message', (data) => {
    let m: any;
    try {
      m = JSON.parse(data.toString());
    } catch {
      bad.push(data.toString());
      return;
    }
    if (m.id !== undefined && waiting.has(m.id)) {
      waiting.get(m.id)!(m);
      waiting.delete(m.id);
    } else notes.push(m);
  });
  const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
  return {
    ws,
    notes,
    bad,
    closed,
    request(method: string, params: unknown[] = []): Promise<any> {
      const n = id++;
      ws.send(JSON.stringify({ jsonrpc: '2.0', id: n, method, params }));
      return new Promise((resolve) => waiting.set(n, resolve));
    },
  };
}

async function until(cond: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function http(url: string, method: string, params: unknown[] = []): Promise<any> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) });
  return res.json();
}

describe('replay server over WebSocket', { timeout: 30_000 }, () => {
  it('replays every block in order: slots, logs for one address, blocks, then stops after unsubscribe', async () => {
    const s = await start({ live: { slotMs: 2, autoStart: false } });
    const { chain } = s;
    // The account in the most transactions that is not a system program.
    const [address, sigsNewestFirst] = [...chain.byAddress.entries()]
      .filter(([k]) => !/^(11111111111111111111111111111111|ComputeBudget|Token|So1111|ATokenGP)/.test(k))
      .sort((x, y) => y[1].length - x[1].length)[0];
    const c = await connect(s.live.wsUrl);
    const slotSub = (await c.request('slotSubscribe')).result;
    const logsSub = (await c.request('logsSubscribe', [{ mentions: [address] }, { commitment: 'confirmed' }])).result;
    const blockSub = (await c.request('blockSubscribe', ['all', { maxSupportedTransactionVersion: 0, transactionDetails: 'signatures', showRewards: false }])).result;
    expect(new Set([slotSub, logsSub, blockSub]).size).toBe(3);

    s.live.start();
    await until(() => s.live.finished && c.notes.filter((n) => n.method === 'blockNotification').length === chain.produced.length);

    const of = (method: string) => c.notes.filter((n) => n.method === method).map((n) => n.params);
    expect(of('slotNotification').map((p) => p.result.slot)).toEqual(chain.produced);
    expect(of('slotNotification').every((p) => p.subscription === slotSub && p.result.parent < p.result.slot)).toBe(true);
    // Exactly the transactions that mention the address, in chain order, with their logs.
    const logs = of('logsNotification');
    expect(logs.map((p) => p.result.value.signature)).toEqual([...sigsNewestFirst].reverse());
    for (const p of logs) {
      const at = chain.bySignature.get(p.result.value.signature)!;
      expect(p.result.context.slot).toBe(at.slot);
      expect(p.result.value.logs).toEqual(chain.blocks.get(at.slot)!.transactions[at.index].meta.logMessages ?? []);
    }
    const blocks = of('blockNotification');
    expect(blocks.map((p) => p.result.value.slot)).toEqual(chain.produced);
    for (const p of blocks) {
      expect(p.result.value.block.signatures).toEqual(chain.blocks.get(p.result.value.slot)!.transactions.map((t) => t.transaction.signatures[0]));
    }
    // Per block: the slot first, then its logs, then the block.
    const order = c.notes.map((n) => `${n.method[0]}${n.params.result.slot ?? n.params.result.context.slot}`);
    const firstLog = order.findIndex((o) => o.startsWith('l'));
    const slotOfLog = order[firstLog].slice(1);
    expect(order.indexOf(`s${slotOfLog}`)).toBeLessThan(firstLog);
    expect(order.indexOf(`b${slotOfLog}`)).toBeGreaterThan(firstLog);

    // Unsubscribed: nothing more for that subscription; a wrong id is an error.
    expect((await c.request('slotUnsubscribe', [slotSub])).result).toBe(true);
    expect((await c.request('slotUnsubscribe', [slotSub])).error.code).toBe(-32602);
    c.ws.close();
  });

  it('rejects a logs filter with more than one address, as nodes do', async () => {
    const s = await start({ live: { slotMs: 0 } });
    const c = await connect(s.live.wsUrl);
    const keys = [...s.chain.byAddress.keys()].slice(0, 2);
    const r = await c.request('logsSubscribe', [{ mentions: keys }]);
    expect(r.error).toMatchObject({ code: -32602, message: expect.stringContaining('Only 1 address') });
    expect((await c.request('accountSubscribe', [keys[0]])).error.code).toBe(-32601);
    c.ws.close();
  });

  it('serves @solana/web3.js: onSlotChange and onLogs in order, and the HTTP tip follows the clock', async () => {
    const s = await start({ live: { slotMs: 0 } });
    const { chain } = s;
    const conn = new Connection(s.url, { wsEndpoint: s.live.wsUrl, commitment: 'confirmed' });
    const slots: number[] = [];
    const logs: string[] = [];
    const program = new PublicKey('6EF8rrecthR5Dkzon8Nwu78hRvfCKubJ14M5uBEwF6P'); // pump.fun
    const slotId = conn.onSlotChange((info) => slots.push(info.slot));
    const logsId = conn.onLogs(program, (l) => logs.push(l.signature), 'confirmed');
    await until(() => s.live.stats.subscriptions === 2);
    s.live.step(30);
    const wanted = chain.produced.slice(0, 30);
    await until(() => slots.length === 30);
    expect(slots).toEqual(wanted);
    const pumpSigs = [...chain.byAddress.get(program.toBase58())!].reverse().filter((sig) => chain.bySignature.get(sig)!.slot <= wanted[29]);
    await until(() => logs.length === pumpSigs.length);
    expect(logs).toEqual(pumpSigs);
    // The HTTP side is the same node: its tip is the clock's slot, the next block not there yet.
    expect(await conn.getSlot()).toBe(wanted[29]);
    expect((await http(s.url, 'getBlock', [chain.produced[30], { maxSupportedTransactionVersion: 0 }])).error.code).toBe(-32004);

    await conn.removeSlotChangeListener(slotId);
    await conn.removeOnLogsListener(logsId);
    s.live.step(5);
    await new Promise((r) => setTimeout(r, 100));
    expect(slots).toHaveLength(30);
  });

  it('after a dropped connection a client reconnects, and the gap is exactly what getBlocks returns', async () => {
    const s = await start({ copies: 3, live: { slotMs: 5 } });
    const { chain } = s;
    const received: number[] = [];
    let c = await connect(s.live.wsUrl);
    await c.request('slotSubscribe');
    const take = (client: typeof c) => () => received.push(...client.notes.splice(0).map((n) => n.params.result.slot));
    const drain1 = take(c);
    await until(() => (drain1(), received.length >= 20));
    s.live.dropAll();
    // Dropped without a close frame: 1006 on the client.
    expect(await c.closed).toBe(1006);
    drain1();
    const lastBefore = received[received.length - 1];
    await new Promise((r) => setTimeout(r, 60)); // the chain moves on meanwhile
    c = await connect(s.live.wsUrl);
    await c.request('slotSubscribe');
    const drain2 = take(c);
    await until(() => (drain2(), s.live.finished && received[received.length - 1] === chain.lastSlot));
    c.ws.close();
    const firstAfter = received.find((x) => x > lastBefore)!;
    expect(firstAfter).toBeGreaterThan(chain.produced[chain.produced.indexOf(lastBefore) + 1]); // something was missed
    // Strictly increasing across the reconnect: the clock did not restart.
    expect(received.every((x, i) => i === 0 || x > received[i - 1])).toBe(true);
    const gap = (await http(s.url, 'getBlocks', [lastBefore + 1, firstAfter - 1])).result as number[];
    expect([...received, ...gap].sort((a, b) => a - b)).toEqual(chain.produced);
  });

  it('web3.js resubscribes on its own after a drop and carries on', async () => {
    const s = await start({ live: { slotMs: 0 } });
    const conn = new Connection(s.url, { wsEndpoint: s.live.wsUrl });
    const slots: number[] = [];
    conn.onSlotChange((info) => slots.push(info.slot));
    await until(() => s.live.stats.subscriptions === 1);
    s.live.step(3);
    await until(() => slots.length === 3);
    s.live.dropAll();
    // web3.js reconnects after a second and subscribes again.
    await until(() => s.live.stats.subscriptions === 2 && s.live.stats.connections === 1, 8000);
    s.live.step(3);
    await until(() => slots.length === 6);
    expect(slots).toEqual(s.chain.produced.slice(0, 6));
  });

  it('adds latency, truncates frames and drops connections when told, and caps connections', async () => {
    const s = await start({ live: { slotMs: 0 }, faults: { wsLatencyMs: 80 } });
    const c = await connect(s.live.wsUrl);
    const t0 = Date.now();
    await c.request('slotSubscribe');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(75);

    s.setFaults({ wsMalformedRate: 0.3, seed: 5 });
    s.live.step(30);
    await until(() => c.notes.length + c.bad.length === 30);
    expect(c.bad.length).toBe(s.live.stats.malformed);
    expect(c.bad.length).toBeGreaterThan(3);
    // The frames that did parse are still in order.
    const ok = c.notes.map((n) => n.params.result.slot);
    expect(ok.every((x, i) => i === 0 || x > ok[i - 1])).toBe(true);

    s.setFaults({ wsDropRate: 1 });
    s.live.step(1);
    expect(await c.closed).toBe(1006);
    expect(s.live.stats.drops).toBe(1);

    s.setFaults({ wsMaxConnections: 1 });
    const first = await connect(s.live.wsUrl);
    const refused = await new Promise<number>((resolve) => {
      const ws = new WebSocket(s.live.wsUrl);
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('error', () => {});
    });
    expect(refused).toBe(429);
    expect(s.live.stats.refused).toBe(1);
    first.ws.close();
  });

  it('outage refuses upgrades for a while, silent mode sends nothing, blockSubscribe can be withheld, getTransaction can lag', async () => {
    const s = await start({ live: { slotMs: 0, blockSubscribe: false } });
    const upgrade = () =>
      new Promise<number | 'open' | 'reset'>((resolve) => {
        const ws = new WebSocket(s.live.wsUrl);
        ws.on('open', () => (ws.close(), resolve('open')));
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.on('error', () => resolve('reset'));
      });
    const c = await connect(s.live.wsUrl);
    expect((await c.request('blockSubscribe', ['all'])).error.code).toBe(-32601);
    s.live.outage(300, 429);
    expect(await c.closed).toBe(1006);
    expect(await upgrade()).toBe(429);
    await new Promise((r) => setTimeout(r, 350));
    expect(await upgrade()).toBe('open');
    s.live.outage(200, 'reset');
    expect(await upgrade()).toBe('reset');
    expect(s.live.stats.refused).toBe(2);
    await new Promise((r) => setTimeout(r, 250));

    const d = await connect(s.live.wsUrl);
    await d.request('slotSubscribe');
    s.setFaults({ wsSilent: true });
    s.live.step(3);
    await new Promise((r) => setTimeout(r, 100));
    expect(d.notes).toHaveLength(0);
    expect(d.ws.readyState).toBe(WebSocket.OPEN);
    s.setFaults({});
    s.live.step(1);
    await until(() => d.notes.length === 1);
    expect(d.notes[0].params.result.slot).toBe(s.chain.produced[3]);
    d.ws.close();

    const [sig] = [...s.chain.bySignature.keys()];
    s.setFaults({ nullTransactions: { [sig]: 2 } });
    const get = async () => (await http(s.url, 'getTransaction', [sig, { maxSupportedTransactionVersion: 0 }])).result;
    expect(await get()).toBeNull();
    expect(await get()).toBeNull();
    expect((await get()).transaction.signatures[0]).toBe(sig);
  });
});
