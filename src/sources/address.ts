/**
 * The address source: one account's history (wallet, mint or pool) through
 * getSignaturesForAddress pages, then getTransaction for each signature.
 *
 * Signatures come newest first and can only be paged backwards (`before`), but the pipeline
 * wants the history oldest first. Holding a busy account's whole history to reverse it would
 * not fit in memory, so the listing takes two passes: the first walks down from the tip until
 * it passes the range start and keeps one cursor per page (and counts); the second fetches
 * the pages again, oldest first, and hands them over one at a time. That costs one extra
 * getSignaturesForAddress call per 1000 signatures (against 1000 getTransaction calls) and
 * holds one page plus a cursor per page. Entries repeated across a page boundary (providers
 * have been seen to do that) are dropped. Failed transactions are left out: they carry no
 * trades.
 */
import type { RpcClient } from './rpc/client.js';
import { inOrderAhead, type Ahead } from './lookahead.js';
import type { Commitment, SourceTx } from './types.js';

export interface SignatureInfo {
  signature: string;
  slot: number;
  blockTime: number | null;
}

export interface ListOptions {
  commitment?: Commitment;
  /** Page size, ≤ 1000. */
  pageSize?: number;
  /** Told after each page (progress while listing a long history). */
  onPage?: (listed: number, oldestSlot: number) => void;
}

type Page = Array<{ signature: string; slot: number; err: unknown; blockTime?: number | null }>;

export interface SignatureListing {
  /** Successful signatures in the range the first pass counted (the second may drop repeats). */
  planned: number;
  /** Failed transactions in the range (left out). */
  failed: number;
  /** Pages of successful signatures with slot in [start, end], oldest first, each ascending. */
  pages(): AsyncGenerator<SignatureInfo[]>;
}

/**
 * The first pass: walk `address`'s history down from the tip to `start`, keeping the cursor
 * of each page. The answer's `pages()` is the second pass.
 */
export async function listSignaturePages(client: RpcClient, address: string, start: number, end: number, opts: ListOptions = {}): Promise<SignatureListing> {
  const limit = Math.min(1000, Math.max(1, opts.pageSize ?? 1000));
  const commitment = opts.commitment ?? 'finalized';
  const fetchPage = (before: string | undefined) =>
    client.call<Page>('getSignaturesForAddress', [address, before ? { limit, commitment, before } : { limit, commitment }]);
  // The `before` each page was fetched with (undefined: the tip), newest page first.
  const cursors: Array<string | undefined> = [];
  let planned = 0;
  let failed = 0;
  let before: string | undefined;
  for (;;) {
    const page = await fetchPage(before);
    if (page.length === 0) break;
    const inRange = page.filter((e) => e.slot >= start && e.slot <= end);
    if (inRange.length > 0) cursors.push(before);
    for (const e of inRange) {
      if (e.err !== null && e.err !== undefined) failed++;
      else planned++;
    }
    const last = page[page.length - 1];
    opts.onPage?.(planned, last.slot);
    if (last.slot < start || page.length < limit) break;
    before = last.signature;
  }
  return {
    planned,
    failed,
    async *pages() {
      // A repeat across a page boundary sits in the neighbouring page: remembering the last
      // page's signatures is enough to drop it.
      let previous = new Set<string>();
      for (let i = cursors.length - 1; i >= 0; i--) {
        const page = await fetchPage(cursors[i]);
        const out: SignatureInfo[] = [];
        const seen = new Set<string>();
        // Newest first → oldest first; within a slot, reverse page order is block order.
        for (let j = page.length - 1; j >= 0; j--) {
          const e = page[j];
          if (e.slot > end || e.slot < start || e.err !== null && e.err !== undefined) continue;
          if (previous.has(e.signature) || seen.has(e.signature)) continue;
          seen.add(e.signature);
          out.push({ signature: e.signature, slot: e.slot, blockTime: e.blockTime ?? null });
        }
        out.sort((x, y) => x.slot - y.slot);
        previous = seen;
        if (out.length > 0) yield out;
      }
    },
  };
}

export type SignatureOutcome =
  | { kind: 'tx'; info: SignatureInfo; tx: SourceTx }
  /** The endpoint does not have it (null result): recorded as a gap, like a failure. */
  | { kind: 'gap'; info: SignatureInfo; error: string };

export interface FetchOptions {
  commitment?: Commitment;
  /** Transactions requested ahead of the consumer; default 200. */
  lookahead?: number;
}

/**
 * getTransaction for each signature, batched and concurrent, handed over in input order. The
 * input may be a stream (pages of a listing): it is read only `lookahead` signatures ahead.
 */
export async function* fetchTransactions(
  client: RpcClient,
  sigs: Iterable<SignatureInfo> | AsyncIterable<SignatureInfo>,
  opts: FetchOptions = {},
): AsyncGenerator<SignatureOutcome> {
  const cfg = { encoding: 'json', maxSupportedTransactionVersion: 1, commitment: opts.commitment ?? 'finalized' };
  const group = Math.max(1, client.batchSize('getTransaction'));
  const fetch = (slice: SignatureInfo[]): Ahead<SignatureOutcome> => ({
    weight: slice.length,
    result: client.callMany<any>('getTransaction', slice.map((s) => [s.signature, cfg])).then((results) =>
      results.map((r, i): SignatureOutcome => {
        const info = slice[i];
        if (r.ok && r.value) return { kind: 'tx', info, tx: { tx: r.value, txIndex: null } };
        return { kind: 'gap', info, error: r.ok ? 'transaction not found' : r.error.message };
      }),
    ),
  });
  // One batch per `group` signatures, read from the input only as the window has room.
  async function* work(): AsyncGenerator<Ahead<SignatureOutcome>> {
    let slice: SignatureInfo[] = [];
    for await (const s of sigs) {
      slice.push(s);
      if (slice.length < group) continue;
      yield fetch(slice);
      slice = [];
    }
    if (slice.length > 0) yield fetch(slice);
  }
  yield* inOrderAhead(work(), Math.max(group, opts.lookahead ?? 200));
}
