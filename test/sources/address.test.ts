/**
 * The address source against the replay server: the listing streams (a page in memory, not
 * the history), comes out oldest first and complete, drops entries a provider repeats across
 * page boundaries, and a resumed run lists only what lies above its cursor.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchTransactions, listSignaturePages, type SignatureInfo } from '../../src/sources/address.js';
import { runAddressBackfill, type BackfillSink } from '../../src/sources/backfill.js';
import { RpcClient } from '../../src/sources/rpc/client.js';
import { startReplay, type ReplayServer } from '../support/replay/index.js';

let server: ReplayServer;
let address: string;
/** The address's successful transactions, oldest first, as the chain holds them. */
let history: string[];

beforeAll(async () => {
  server = await startReplay({ copies: 3 });
  const { chain } = server;
  [address] = [...chain.byAddress.entries()]
    .filter(([k]) => !/^(11111111111111111111111111111111|ComputeBudget|Token|So1111|ATokenGP)/.test(k))
    .sort((x, y) => y[1].length - x[1].length)[0];
  const failed = (sig: string) => {
    const at = chain.bySignature.get(sig)!;
    return chain.blocks.get(at.slot)!.transactions[at.index].meta?.err != null;
  };
  history = [...chain.byAddress.get(address)!].reverse().filter((s) => !failed(s));
});
afterAll(async () => {
  await server.close();
});

const client = () => new RpcClient({ url: server.url, initialRps: 1000, concurrency: 8 });
/** Every slot: the listing's own range filter is not what these tests are about. */
const [firstSlot, lastSlot] = [0, Number.MAX_SAFE_INTEGER];

describe('address listing', { timeout: 20_000 }, () => {
  it('pages oldest first, one page at a time, and all of it', async () => {
    expect(history.length).toBeGreaterThan(30);
    server.setFaults({});
    const listing = await listSignaturePages(client(), address, firstSlot, lastSlot, { pageSize: 10 });
    expect(listing.planned).toBe(history.length);
    const pages: SignatureInfo[][] = [];
    for await (const p of listing.pages()) pages.push(p);
    expect(pages.every((p) => p.length <= 10)).toBe(true);
    const flat = pages.flat();
    expect(flat.map((s) => s.signature)).toEqual(history);
    expect(flat.every((s, i) => i === 0 || s.slot >= flat[i - 1].slot)).toBe(true);
  });

  it('streams into getTransaction: later pages are fetched only as the consumer gets there', async () => {
    server.setFaults({});
    const c = client();
    const listing = await listSignaturePages(c, address, firstSlot, lastSlot, { pageSize: 10 });
    server.resetStats();
    async function* sigs() {
      for await (const p of listing.pages()) yield* p;
    }
    const got: string[] = [];
    for await (const o of fetchTransactions(c, sigs(), { lookahead: 10 })) if (o.kind === 'tx') got.push(o.info.signature);
    expect(got).toEqual(history);
    // Pass two's page fetches are spread among the getTransaction calls, not all up front.
    const methods = server.stats.log.map((e) => e.method);
    const lastPage = methods.lastIndexOf('getSignaturesForAddress');
    expect(methods.slice(0, lastPage).filter((m) => m === 'getTransaction').length).toBeGreaterThan(history.length / 2);
  });

  it('drops entries repeated across page boundaries', async () => {
    server.setFaults({ pageOverlap: 3 });
    const listing = await listSignaturePages(client(), address, firstSlot, lastSlot, { pageSize: 10 });
    const flat: string[] = [];
    for await (const p of listing.pages()) flat.push(...p.map((s) => s.signature));
    expect(flat).toEqual(history);
  });

  it('a resumed run lists and fetches only what lies above its cursor', async () => {
    server.setFaults({});
    const { chain } = server;
    const slots = history.map((s) => chain.bySignature.get(s)!.slot);
    const cursor = slots[Math.floor(slots.length / 2)];
    const ingested: number[] = [];
    const sink: BackfillSink = {
      async ingest(txs, at) {
        ingested.push(...txs.map(() => at.slot));
        return 0;
      },
      checkpoint() {},
    };
    server.resetStats();
    const r = await runAddressBackfill(client(), address, [chain.firstSlot, chain.lastSlot], [], cursor, sink, { pageSize: 10 });
    expect(ingested).toEqual(slots.filter((s) => s > cursor));
    expect(r.checkpoint.pos).toBe(chain.lastSlot);
    expect(r.checkpoint.counts.planned).toBe(ingested.length);
    // Listing stopped near the cursor: about half the pages of a full listing, twice over.
    const pages = server.stats.byMethod.getSignaturesForAddress;
    expect(pages).toBeLessThanOrEqual(2 * Math.ceil(ingested.length / 10) + 3);
  });
});
