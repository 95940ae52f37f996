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

/** One transaction as it sits inside a getBlock result (full details, json encoding). */
export interface BlockTx {
  transaction: { signatures: string[]; message: any };
  meta: any;
  version: 'legacy' | number;
}

export interface Block {
  slot: number;
  parentSlot: number;
  blockhash: string;
  previousBlockhash: string;
  blockHeight: number;
  blockTime: number;
  transactions: BlockTx[];
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
  blocks: Map<number, Block>;
  bySignature: Map<string, { slot: number; index: number }>;
  /** Signatures mentioning an account, newest first (as getSignaturesForAddress pages them). */
  byAddress: Map<string, string[]>;
  blockTimeOf(slot: number): number;
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

export function buildChain(txs: BlockTx[], opts: ChainOptions = {}): Chain {
  const firstSlot = opts.firstSlot ?? 312_000_000;
  const perBlock = Math.max(1, opts.txPerBlock ?? 4);
  const skipEvery = opts.skipEvery ?? 5;
  const genesisTime = opts.genesisTime ?? Date.UTC(2025, 5, 1) / 1000;
  const slotMs = opts.slotMs ?? 400;
  const copies = Math.max(1, opts.copies ?? 1);

  const all: BlockTx[] = [];
  for (let c = 0; c < copies; c++) for (const tx of txs) all.push(c === 0 ? tx : copyOf(tx, c));

  const blockTimeOf = (slot: number) => genesisTime + Math.floor(((slot - firstSlot) * slotMs) / 1000);
  const blocks = new Map<number, Block>();
  const produced: number[] = [];
  const bySignature = new Map<string, { slot: number; index: number }>();
  const byAddressAsc = new Map<string, string[]>();

  let slot = firstSlot;
  let prev = firstSlot - 1;
  let height = 280_000_000;
  for (let i = 0; i < all.length; slot++) {
    // The first slot is always produced so a range starting there is never empty.
    if (skipEvery > 0 && slot !== firstSlot && (slot - firstSlot) % skipEvery === skipEvery - 1) continue;
    const chunk = all.slice(i, i + perBlock);
    i += chunk.length;
    const block: Block = {
      slot,
      parentSlot: prev,
      blockhash: fakeHash(`block:${slot}`),
      previousBlockhash: fakeHash(`block:${prev}`),
      blockHeight: height++,
      blockTime: blockTimeOf(slot),
      transactions: chunk,
    };
    blocks.set(slot, block);
    produced.push(slot);
    chunk.forEach((tx, index) => {
      const sig = tx.transaction.signatures[0];
      bySignature.set(sig, { slot, index });
      for (const key of accountKeys(tx)) {
        let list = byAddressAsc.get(key);
        if (!list) byAddressAsc.set(key, (list = []));
        if (list[list.length - 1] !== sig) list.push(sig);
      }
    });
    prev = slot;
  }
  for (let k = 0; k < (opts.trailingEmptySlots ?? 0); k++, slot++) {
    const block: Block = {
      slot,
      parentSlot: prev,
      blockhash: fakeHash(`block:${slot}`),
      previousBlockhash: fakeHash(`block:${prev}`),
      blockHeight: height++,
      blockTime: blockTimeOf(slot),
      transactions: [],
    };
    blocks.set(slot, block);
    produced.push(slot);
    prev = slot;
  }
  const byAddress = new Map<string, string[]>();
  for (const [k, v] of byAddressAsc) byAddress.set(k, v.reverse());
  return { firstSlot, lastSlot: prev, produced, blocks, bySignature, byAddress, blockTimeOf };
}

/** Every account a transaction mentions: its static keys and the ones its lookup tables loaded. */
export function accountKeys(tx: BlockTx): string[] {
  const msg = tx.transaction.message;
  const keys: string[] = (msg.accountKeys ?? []).map((k: any) => (typeof k === 'string' ? k : k.pubkey));
  const loaded = tx.meta?.loadedAddresses;
  if (loaded) keys.push(...(loaded.writable ?? []), ...(loaded.readonly ?? []));
  return keys;
}

/** A distinct but stable signature for copy `c` of a transaction (base58 of 64 bytes). */
function copyOf(tx: BlockTx, c: number): BlockTx {
  const [first, ...rest] = tx.transaction.signatures;
  const sig = base58Encode(createHash('sha512').update(`${first}#${c}`).digest());
  return { ...tx, transaction: { ...tx.transaction, signatures: [sig, ...rest] } };
}

function fakeHash(seed: string): string {
  return base58Encode(createHash('sha256').update(seed).digest());
}
