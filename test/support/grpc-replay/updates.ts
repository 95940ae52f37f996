/**
 * The replay server's messages: which transactions filters a transaction matches, and the
 * updates it builds (block meta, an invalid transaction update, a slot's delivery order).
 */
import { createHash } from 'node:crypto';
import type { SubscribeRequest, SubscribeUpdate, SubscribeUpdateTransactionInfo } from '@triton-one/yellowstone-grpc';
import { accountKeys, type Block, type BlockTx } from '../replay/chain.js';

const VOTE_PROGRAM = 'Vote111111111111111111111111111111111111111';

/** Names of the request's transactions filters this transaction passes (static and loaded keys count). */
export function matchingFilters(request: SubscribeRequest, tx: BlockTx): string[] {
  const keys = accountKeys(tx);
  const failed = tx.meta?.err !== null && tx.meta?.err !== undefined;
  const vote = keys.includes(VOTE_PROGRAM);
  const names: string[] = [];
  for (const [name, f] of Object.entries(request.transactions)) {
    if (f.vote !== undefined && f.vote !== vote) continue;
    if (f.failed !== undefined && f.failed !== failed) continue;
    if (f.accountInclude.length && !f.accountInclude.some((k) => keys.includes(k))) continue;
    if (f.accountExclude.some((k) => keys.includes(k))) continue;
    if (!f.accountRequired.every((k) => keys.includes(k))) continue;
    names.push(name);
  }
  return names;
}

export function blockMetaUpdate(block: Block, filters: string[]): SubscribeUpdate {
  return {
    filters,
    blockMeta: {
      slot: String(block.slot),
      blockhash: block.blockhash,
      rewards: { rewards: [], numPartitions: undefined },
      blockTime: { timestamp: String(block.blockTime) },
      blockHeight: { blockHeight: String(block.blockHeight) },
      parentSlot: String(block.parentSlot),
      parentBlockhash: block.previousBlockhash,
      executedTransactionCount: String(block.transactions.length),
      entriesCount: '0',
    },
    createdAt: new Date(),
  };
}

/** A transaction update with a fresh signature and no meta: it decodes, but is no transaction. */
export function invalidUpdate(base: SubscribeUpdateTransactionInfo, slot: number, filters: string[]): SubscribeUpdate {
  const signature = createHash('sha512').update(`invalid:${slot}`).digest();
  const info: SubscribeUpdateTransactionInfo = {
    ...base,
    signature,
    transaction: { ...base.transaction!, signatures: [signature] },
    meta: undefined,
    index: '9999',
  };
  return { filters, transaction: { transaction: info, slot: String(slot) }, createdAt: new Date() };
}

/** A fixed permutation per slot (deterministic, so a replayed slot arrives the same way). */
export function shuffled(n: number, seed: number): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  let x = seed >>> 0 || 1;
  for (let i = n - 1; i > 0; i--) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    const j = (x >>> 0) % (i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}
