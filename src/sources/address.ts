/**
 * The address source: one account's history (wallet, mint or pool) through
 * getSignaturesForAddress pages, then getTransaction for each signature.
 *
 * Signatures come newest first and can only be paged backwards (`before`), so listing a slot
 * range walks down from the tip until it passes the range start. Pages are de-duplicated by
 * signature (providers have been seen to repeat entries across page boundaries). Failed
 * transactions are left out: they carry no trades. The list is then replayed oldest first so
 * the pipeline sees the history in chain order.
 */
import type { RpcClient } from './rpc/client.js';
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

/** Successful transactions mentioning `address` with slot in [start, end], oldest first. */
export async function listSignatures(client: RpcClient, address: string, start: number, end: number, opts: ListOptions = {}): Promise<{ signatures: SignatureInfo[]; failed: number }> {
  const limit = Math.min(1000, Math.max(1, opts.pageSize ?? 1000));
  const seen = new Set<string>();
  const out: SignatureInfo[] = [];
  let failed = 0;
  let before: string | undefined;
  for (;;) {
    const cfg: Record<string, unknown> = { limit, commitment: opts.commitment ?? 'finalized' };
    if (before) cfg.before = before;
    const page = await client.call<Array<{ signature: string; slot: number; err: unknown; blockTime?: number | null }>>('getSignaturesForAddress', [address, cfg]);
    if (page.length === 0) break;
    for (const e of page) {
      if (e.slot > end || e.slot < start || seen.has(e.signature)) continue;
      seen.add(e.signature);
      if (e.err !== null && e.err !== undefined) {
        failed++;
        continue;
      }
      out.push({ signature: e.signature, slot: e.slot, blockTime: e.blockTime ?? null });
    }
    const last = page[page.length - 1];
    opts.onPage?.(out.length, last.slot);
    if (last.slot < start || page.length < limit) break;
    before = last.signature;
  }
  // Newest first → oldest first; a stable sort keeps same-slot entries in reverse page order,
  // which is their order in the block.
  out.reverse();
  out.sort((a, b) => a.slot - b.slot);
  return { signatures: out, failed };
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

/** getTransaction for each signature, batched and concurrent, handed over in input order. */
export async function* fetchTransactions(client: RpcClient, sigs: readonly SignatureInfo[], opts: FetchOptions = {}): AsyncGenerator<SignatureOutcome> {
  const cfg = { encoding: 'json', maxSupportedTransactionVersion: 1, commitment: opts.commitment ?? 'finalized' };
  const group = Math.max(1, client.batchSize('getTransaction'));
  const lookahead = Math.max(group, opts.lookahead ?? 200);
  const window: Array<Promise<SignatureOutcome[]>> = [];
  let next = 0;
  let inWindow = 0;
  const fill = () => {
    while (next < sigs.length && inWindow < lookahead) {
      const slice = sigs.slice(next, next + group);
      next += slice.length;
      inWindow += slice.length;
      window.push(
        client.callMany<any>('getTransaction', slice.map((s) => [s.signature, cfg])).then((results) =>
          results.map((r, i): SignatureOutcome => {
            const info = slice[i];
            if (r.ok && r.value) return { kind: 'tx', info, tx: { tx: r.value, txIndex: null } };
            return { kind: 'gap', info, error: r.ok ? 'transaction not found' : r.error.message };
          }),
        ),
      );
    }
  };
  fill();
  while (window.length > 0) {
    const outcomes = await window.shift()!;
    inWindow -= outcomes.length;
    fill();
    yield* outcomes;
  }
}
