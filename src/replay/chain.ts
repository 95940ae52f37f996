/**
 * A synthetic ledger built from recorded real transactions, so a slot range holds real trades.
 *
 * The recorded transactions come from many eras (some lack slot/blockTime), so the chain
 * assigns its own: transactions are dealt into blocks in a fixed order, some slots are left
 * empty the way a leader skips its slot, and block times advance 400 ms per slot. Everything is
 * deterministic for given options, so two servers built alike serve byte-identical answers.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { base58Encode } from '../core/decode/base58.js';
import { versionAbove, type Block, type BlockHeader, type BlockTx } from './block.js';
import { createCopier } from './copies.js';

export type { Block, BlockHeader, BlockTx } from './block.js';

/**
 * A block's full transactions (all, or those mentioning an account) as JSON bytes, written
 * without building them as objects: what blockSubscribe and getBlock send, thousands a block.
 */
export interface TxBytes {
  count: number;
  /** The first transaction's version above `limit` (the one a node names refusing the block), or null. */
  versionAbove(limit: number): number | null;
  /** At least the bytes write() writes. */
  maxBytes: number;
  /** The transactions' JSON, comma-separated, at `out[at]` (each exactly JSON.stringify(tx)); returns the end. */
  write(out: Buffer, at: number): number;
}

export interface ChainOptions {
  /** First slot of the chain; default 312_000_000. */
  firstSlot?: number;
  /** Transactions per produced block; default 4. */
  txPerBlock?: number;
  /** Every Nth slot is skipped by its leader (0 = none); default 5. */
  skipEvery?: number;
  /** Unix seconds of firstSlot; default 2025-06-01T00:00:00Z. */
  genesisTime?: number;
  /** Milliseconds per slot for block times; default 400. */
  slotMs?: number;
  /**
   * Serve the recorded set this many times over (default 1). Copies after the first get a
   * derived signature so they are distinct transactions to every consumer; the bench uses this
   * to get thousands of blocks out of a hundred-odd recordings.
   */
  copies?: number;
  /**
   * Empty blocks produced after the last transaction (default 0): a live consumer seals a slot
   * and releases held trades only once later slots arrive, so a replay that should show every
   * trade keeps its clock going a little past them, as a real chain does.
   */
  trailingEmptySlots?: number;
}

export interface Chain {
  firstSlot: number;
  /** Last slot the chain has reached (the tip); always a produced slot. */
  lastSlot: number;
  /** Produced slots, ascending. */
  produced: number[];
  /** Built on each get (see buildChain): treat a block as a value, not an identity. */
  blocks: ReadonlyMap<number, Block>;
  bySignature: ReadonlyMap<string, { slot: number; index: number }>;
  /** Signatures mentioning an account, newest first (as getSignaturesForAddress pages them). */
  byAddress: ReadonlyMap<string, readonly string[]>;
  blockTimeOf(slot: number): number;
  /** A produced slot's header, without building its transactions (blocks.get does). */
  header(slot: number): BlockHeader | undefined;
  /** One transaction of a produced slot, without building the others. */
  txAt(slot: number, index: number): BlockTx | undefined;
  /** A produced slot's transactions as bytes (only those mentioning `mentions` when it is given). */
  txBytes(slot: number, mentions: string | null): TxBytes | undefined;
}

/** Read getTransaction results from a directory of *.json files, in file-name order. */
export function loadTransactions(dir: string): BlockTx[] {
  const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  return files.map((f) => loadTransaction(join(dir, f)));
}

export function loadTransaction(file: string): BlockTx {
  return toBlockTx(JSON.parse(readFileSync(file, 'utf8')));
}

function toBlockTx(raw: any): BlockTx {
  const version = raw.version === undefined || raw.version === null ? 'legacy' : raw.version === 'legacy' ? 'legacy' : Number(raw.version);
  return { transaction: raw.transaction, meta: raw.meta, version };
}

/**
 * The chain is computed, not stored: transaction g (in chain order) is copy floor(g / n) of
 * recording g % n, block k holds transactions k·perBlock onwards, and a signature names its copy
 * (see createCopier), so blocks, signature lookups and address listings are all answered on
 * demand. A chain of tens of millions of transactions (an hour of the soak at 10,000 tx/s) holds
 * only its recordings and its slot list.
 */
export function buildChain(txs: BlockTx[], opts: ChainOptions = {}): Chain {
  const firstSlot = opts.firstSlot ?? 312_000_000;
  const perBlock = Math.max(1, opts.txPerBlock ?? 4);
  const skipEvery = opts.skipEvery ?? 5;
  const genesisTime = opts.genesisTime ?? Date.UTC(2025, 5, 1) / 1000;
  const slotMs = opts.slotMs ?? 400;
  const copies = txs.length === 0 ? 0 : Math.max(1, opts.copies ?? 1);
  const n = txs.length;
  const total = n * copies;

  const blockTimeOf = (slot: number) => genesisTime + Math.floor(((slot - firstSlot) * slotMs) / 1000);
  const produced: number[] = [];
  const blockIndex = new Map<number, number>();
  for (let slot = firstSlot; produced.length * perBlock < total; slot++) {
    // The first slot is always produced so a range starting there is never empty.
    if (skipEvery > 0 && slot !== firstSlot && (slot - firstSlot) % skipEvery === skipEvery - 1) continue;
    blockIndex.set(slot, produced.length);
    produced.push(slot);
  }
  for (let k = 0, slot = (produced.at(-1) ?? firstSlot - 1) + 1; k < (opts.trailingEmptySlots ?? 0); k++, slot++) {
    blockIndex.set(slot, produced.length);
    produced.push(slot);
  }

  const copier = createCopier(txs);
  const txAt = (g: number): BlockTx => copier.copy(g % n, Math.floor(g / n));
  const locate = (g: number) => ({ slot: produced[Math.floor(g / perBlock)], index: g % perBlock });

  function header(slot: number): BlockHeader | undefined {
    const k = blockIndex.get(slot);
    if (k === undefined) return undefined;
    const prev = k === 0 ? firstSlot - 1 : produced[k - 1];
    return {
      slot,
      parentSlot: prev,
      blockhash: fakeHash(`block:${slot}`),
      previousBlockhash: fakeHash(`block:${prev}`),
      blockHeight: 280_000_000 + k,
      blockTime: blockTimeOf(slot),
    };
  }

  const recent = new Map<number, Block>();
  function blockAt(slot: number): Block | undefined {
    const k = blockIndex.get(slot);
    if (k === undefined) return undefined;
    const cached = recent.get(slot);
    if (cached) return cached;
    const transactions: BlockTx[] = [];
    for (let g = k * perBlock; g < Math.min(total, (k + 1) * perBlock); g++) transactions.push(txAt(g));
    const block: Block = { ...header(slot)!, transactions };
    // A few recent blocks are kept: getTransaction after getTransaction in one block.
    if (recent.size >= 8) recent.delete(recent.keys().next().value!);
    recent.set(slot, block);
    return block;
  }

  const blocks = lazyMap<number, Block>(produced.length, () => produced, blockAt, (slot) => blockIndex.has(slot));
  const bySignature = lazyMap<string, { slot: number; index: number }>(
    total,
    function* () {
      for (let g = 0; g < total; g++) yield txAt(g).transaction.signatures[0];
    },
    (sig) => {
      const at = copier.find(sig);
      if (at === null || at.copy >= copies) return undefined;
      return locate(at.copy * n + at.recording);
    },
  );

  // Which recordings mention each account (in first-mention order, as the listing used to be built).
  const mentionedBy = new Map<string, number[]>();
  txs.forEach((tx, i) => {
    for (const key of accountKeys(tx)) {
      let list = mentionedBy.get(key);
      if (!list) mentionedBy.set(key, (list = []));
      if (list[list.length - 1] !== i) list.push(i);
    }
  });
  const listings = new Map<string, string[]>();
  const byAddress = lazyMap<string, readonly string[]>(mentionedBy.size, () => mentionedBy.keys(), (addr) => {
    const recordings = mentionedBy.get(addr);
    if (!recordings) return undefined;
    let list = listings.get(addr);
    if (!list) {
      list = [];
      for (let c = copies - 1; c >= 0; c--) for (let j = recordings.length - 1; j >= 0; j--) list.push(copier.signature(recordings[j], c));
      listings.set(addr, list);
    }
    return list;
  });

  // Recordings mentioning an account, as a set, for block filters (copies mention what their recording does).
  const mentionSets = new Map<string, Set<number>>();
  const mentioning = (addr: string): Set<number> => {
    let set = mentionSets.get(addr);
    if (!set) mentionSets.set(addr, (set = new Set(mentionedBy.get(addr) ?? [])));
    return set;
  };

  function txBytes(slot: number, mentions: string | null): TxBytes | undefined {
    const k = blockIndex.get(slot);
    if (k === undefined) return undefined;
    const only = mentions === null ? null : mentioning(mentions);
    const gs: number[] = [];
    let maxBytes = 0;
    for (let g = k * perBlock; g < Math.min(total, (k + 1) * perBlock); g++) {
      if (only && !only.has(g % n)) continue;
      gs.push(g);
      maxBytes += copier.maxJsonBytes(g % n) + 1;
    }
    return {
      count: gs.length,
      maxBytes,
      versionAbove(limit) {
        for (const g of gs) {
          const v = versionAbove(txs[g % n], limit);
          if (v !== null) return v;
        }
        return null;
      },
      write(out, at) {
        for (let i = 0; i < gs.length; i++) {
          if (i > 0) out[at++] = 44; // ','
          at = copier.writeJson(gs[i] % n, Math.floor(gs[i] / n), out, at);
        }
        return at;
      },
    };
  }

  const lastSlot = produced.length > 0 ? produced[produced.length - 1] : firstSlot - 1;
  return {
    firstSlot,
    lastSlot,
    produced,
    blocks,
    bySignature,
    byAddress,
    blockTimeOf,
    header,
    txAt: (slot, index) => {
      const k = blockIndex.get(slot);
      const g = k === undefined ? -1 : k * perBlock + index;
      return Number.isInteger(index) && index >= 0 && index < perBlock && g >= 0 && g < total ? txAt(g) : undefined;
    },
    txBytes,
  };
}

/** A read-only Map over keys listed and values computed on demand. */
function lazyMap<K, V>(size: number, keys: () => Iterable<K>, get: (key: K) => V | undefined, has = (k: K) => get(k) !== undefined): ReadonlyMap<K, V> {
  function* entries(): IterableIterator<[K, V]> {
    for (const k of keys()) yield [k, get(k)!];
  }
  // Generators serve as the iterators (TypeScript types Map's as MapIterator, hence the cast).
  const map = {
    size,
    get,
    has,
    entries,
    *keys() {
      yield* keys();
    },
    *values() {
      for (const [, v] of entries()) yield v;
    },
    forEach(fn: (value: V, key: K, map: ReadonlyMap<K, V>) => void, self?: unknown) {
      for (const [k, v] of entries()) fn.call(self, v, k, map as unknown as ReadonlyMap<K, V>);
    },
    [Symbol.iterator]: entries,
  };
  return map as unknown as ReadonlyMap<K, V>;
}

/** Every account a transaction mentions: its static keys and the ones its lookup tables loaded. */
export function accountKeys(tx: BlockTx): string[] {
  const msg = tx.transaction.message;
  const keys: string[] = (msg.accountKeys ?? []).map((k: any) => (typeof k === 'string' ? k : k.pubkey));
  const loaded = tx.meta?.loadedAddresses;
  if (loaded) keys.push(...(loaded.writable ?? []), ...(loaded.readonly ?? []));
  return keys;
}

function fakeHash(seed: string): string {
  return base58Encode(createHash('sha256').update(seed).digest());
}
