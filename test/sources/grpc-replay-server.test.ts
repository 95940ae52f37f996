/**
 * The gRPC replay server itself, through the real napi client: it must honour the filters a
 * subscription asks for, or the source's exactly-once tests would prove nothing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import yellowstone, { SubscribeRequest, type SubscribeUpdate } from '@triton-one/yellowstone-grpc';
import { base58Decode } from '../../src/core/decode/base58.js';
import { accountKeys } from '../support/replay/chain.js';
import { startGrpcReplayFromFixtures, type GrpcReplayServer } from '../support/grpc-replay/index.js';

const Client: typeof yellowstone.default =
  (yellowstone as unknown as { default?: typeof yellowstone.default }).default ?? (yellowstone as unknown as typeof yellowstone.default);
const PUMP = '6EF8rrecthR5Dkzon8Nwu78hRvfCKubJ14M5uBEwF6P';
const TOKEN = 'TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA';

const servers: GrpcReplayServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

/** Subscribe, step the whole chain through, and return every update received. */
async function receive(request: Partial<SubscribeRequest>): Promise<{ server: GrpcReplayServer; updates: SubscribeUpdate[] }> {
  const server = await startGrpcReplayFromFixtures({ slotMs: 0, pingMs: 60_000 });
  servers.push(server);
  const client = new Client(server.url, undefined, undefined);
  await client.connect();
  const stream = await client.subscribe(SubscribeRequest.fromPartial(request as any));
  const updates: SubscribeUpdate[] = [];
  const done = new Promise<void>((resolve, reject) => {
    stream.on('data', (u: SubscribeUpdate) => {
      updates.push(u);
      if (u.blockMeta && Number(u.blockMeta.slot) === server.chain.lastSlot) resolve();
    });
    stream.on('error', reject);
  });
  while (server.stats.subscribes.length === 0) await new Promise((r) => setTimeout(r, 10));
  server.step(server.chain.lastSlot - server.chain.firstSlot + 1);
  await done;
  stream.destroy();
  return { server, updates };
}

const signatures = (updates: SubscribeUpdate[]) =>
  updates.filter((u) => u.transaction).map((u) => Buffer.from(u.transaction!.transaction!.signature).toString('hex'));
const hex = (sig: string) => Buffer.from(base58Decode(sig)).toString('hex');

function chainTxs(server: GrpcReplayServer) {
  return server.chain.produced.flatMap((slot) => server.chain.blocks.get(slot)!.transactions.map((tx) => ({ tx, keys: accountKeys(tx) })));
}

describe('gRPC replay server filters', () => {
  it('failed: true sends only failed transactions; accountRequired needs every key', async () => {
    const { server, updates } = await receive({
      transactions: { f: { failed: true, accountInclude: [], accountExclude: [], accountRequired: [] } },
      blocksMeta: { m: {} },
    });
    const failed = chainTxs(server).filter(({ tx }) => tx.meta.err);
    expect(failed.length).toBeGreaterThan(0);
    expect(signatures(updates)).toEqual(failed.map(({ tx }) => hex(tx.transaction.signatures[0])));
    for (const u of updates.filter((x) => x.transaction)) expect(u.filters).toEqual(['f']);

    const both = await receive({
      transactions: { r: { accountInclude: [], accountExclude: [], accountRequired: [PUMP, TOKEN] } },
      blocksMeta: { m: {} },
    });
    const want = chainTxs(both.server).filter(({ keys }) => keys.includes(PUMP) && keys.includes(TOKEN));
    expect(want.length).toBeGreaterThan(0);
    expect(signatures(both.updates)).toEqual(want.map(({ tx }) => hex(tx.transaction.signatures[0])));
  });

  it('accountInclude + failed: false, a block meta per produced slot after its transactions, slot updates only when asked', async () => {
    const { server, updates } = await receive({
      transactions: { p: { failed: false, vote: false, accountInclude: [PUMP], accountExclude: [], accountRequired: [] } },
      blocksMeta: { m: {} },
    });
    const want = chainTxs(server).filter(({ tx, keys }) => keys.includes(PUMP) && !tx.meta.err);
    expect(signatures(updates)).toEqual(want.map(({ tx }) => hex(tx.transaction.signatures[0])));
    const metas = updates.filter((u) => u.blockMeta).map((u) => Number(u.blockMeta!.slot));
    expect(metas).toEqual(server.chain.produced);
    expect(updates.some((u) => u.slot)).toBe(false);
    let lastMeta = -1;
    for (const u of updates) {
      if (u.blockMeta) lastMeta = Number(u.blockMeta.slot);
      if (u.transaction) expect(Number(u.transaction.slot)).toBeGreaterThan(lastMeta);
    }
    const meta = updates.find((u) => u.blockMeta)!.blockMeta!;
    expect(Number(meta.blockTime!.timestamp)).toBe(server.chain.blocks.get(Number(meta.slot))!.blockTime);
  });

  it('answers Ping, GetSlot and SubscribeReplayInfo for the clients that call them', async () => {
    const server = await startGrpcReplayFromFixtures({ slotMs: 0, retainSlots: 5 });
    servers.push(server);
    server.step(12);
    const client = new Client(server.url, undefined, undefined);
    await client.connect();
    expect(await client.ping(3)).toEqual({ count: 3 });
    expect(await client.getSlot()).toMatchObject({ slot: String(server.chain.firstSlot + 11) });
    expect(await client.subscribeReplayInfo()).toMatchObject({ firstAvailable: String(server.chain.firstSlot + 7) });
  });
});
