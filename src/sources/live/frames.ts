/**
 * Reading pubsub notification payloads without trusting them: each reader answers the fields
 * the source needs or null, and a frame that did not parse at all is salvaged for what it still
 * says (which notification, which slot), so a truncated frame costs one slot, not the stream.
 */
import type { RawTransaction } from '../../core/decode/index.js';

export interface LogsNote {
  slot: number;
  signature: string;
  failed: boolean;
}

export function readSlot(result: unknown): number | null {
  const slot = (result as { slot?: unknown } | null)?.slot;
  return isSlot(slot) ? slot : null;
}

export function readLogs(result: unknown): LogsNote | null {
  const r = result as { context?: { slot?: unknown }; value?: { signature?: unknown; err?: unknown } } | null;
  const slot = r?.context?.slot;
  const signature = r?.value?.signature;
  if (!isSlot(slot) || typeof signature !== 'string' || signature.length < 32) return null;
  return { slot, signature, failed: r!.value!.err !== null && r!.value!.err !== undefined };
}

export interface BlockNote {
  slot: number;
  /** Why the node sent no block (e.g. a transaction version we did not opt into). */
  err: string | null;
  blockTime: number | null;
  transactions: Array<{ transaction: any; meta: any; version?: unknown }>;
}

export function readBlock(result: unknown): BlockNote | null {
  const r = result as { context?: { slot?: unknown }; value?: { slot?: unknown; err?: unknown; block?: any } } | null;
  const slot = r?.value?.slot ?? r?.context?.slot;
  if (!isSlot(slot)) return null;
  const v = r!.value!;
  if (v.err !== null && v.err !== undefined) return { slot, err: typeof v.err === 'string' ? v.err : JSON.stringify(v.err), blockTime: null, transactions: [] };
  if (!v.block || typeof v.block !== 'object') return { slot, err: 'notification without a block', blockTime: null, transactions: [] };
  const txs = v.block.transactions;
  if (!Array.isArray(txs)) return null;
  const blockTime = typeof v.block.blockTime === 'number' ? v.block.blockTime : null;
  return { slot, err: null, blockTime, transactions: txs };
}

/**
 * The block's transactions that mention a followed program and did not fail, with their
 * positions; and how many failed. A transaction too damaged to say which programs it calls is
 * kept too: the decoder reports it (a counted skip), as a backfill decoding the whole block
 * would, rather than it vanishing here unseen.
 */
export function venueTransactions(block: BlockNote, programs: ReadonlySet<string>): { txs: Array<{ txIndex: number; tx: RawTransaction }>; failed: number } {
  const txs: Array<{ txIndex: number; tx: RawTransaction }> = [];
  let failed = 0;
  block.transactions.forEach((t, txIndex) => {
    const message = t?.transaction?.message;
    const meta = t?.meta;
    const readable = readableCalls(message, meta);
    if (readable && !mentionsAny(message, meta, programs)) return;
    if (readable && meta.err !== null && meta.err !== undefined) {
      failed++;
      return;
    }
    txs.push({ txIndex, tx: { slot: block.slot, blockTime: block.blockTime, transaction: t?.transaction, meta, version: t?.version } as RawTransaction });
  });
  return { txs, failed };
}

/**
 * Whether the mentions test below can be trusted: a message and meta present, and every
 * top-level instruction's program among the transaction's accounts (an index past them means
 * keys are missing, and the missing one may be a venue's).
 */
function readableCalls(message: any, meta: any): boolean {
  if (!message || typeof message !== 'object' || !meta || typeof meta !== 'object') return false;
  const keys = message.accountKeys;
  const ixs = message.instructions;
  if (!Array.isArray(keys) || !Array.isArray(ixs)) return false;
  const loaded = meta.loadedAddresses;
  const accounts = keys.length + (Array.isArray(loaded?.writable) ? loaded.writable.length : 0) + (Array.isArray(loaded?.readonly) ? loaded.readonly.length : 0);
  for (const ix of ixs) {
    // jsonParsed names the program; json gives its index.
    if (typeof ix?.programId === 'string') continue;
    const at = ix?.programIdIndex;
    if (!Number.isInteger(at) || at < 0 || at >= accounts) return false;
  }
  return true;
}

/** The same test logsSubscribe's `mentions` applies: static keys and the lookup tables' loaded ones. */
function mentionsAny(message: any, meta: any, programs: ReadonlySet<string>): boolean {
  for (const k of message.accountKeys ?? []) if (programs.has(typeof k === 'string' ? k : k?.pubkey)) return true;
  const loaded = meta.loadedAddresses;
  for (const k of loaded?.writable ?? []) if (programs.has(k)) return true;
  for (const k of loaded?.readonly ?? []) if (programs.has(k)) return true;
  return false;
}

export type Salvaged =
  | { kind: 'slot' }
  | { kind: 'reply' }
  | { kind: 'slot-bearing'; method: string; slot: number }
  | { kind: 'unknown' };

/** What a frame that did not parse still tells: its method and, for logs/blocks, its slot (context comes first). */
export function salvage(text: string): Salvaged {
  const method = /"method"\s*:\s*"(\w+)"/.exec(text)?.[1];
  if (method === 'slotNotification') return { kind: 'slot' };
  if (method === 'logsNotification' || method === 'blockNotification') {
    const slot = /"context"\s*:\s*\{\s*"slot"\s*:\s*(\d+)[,}]/.exec(text)?.[1];
    if (slot !== undefined) return { kind: 'slot-bearing', method, slot: Number(slot) };
    return { kind: 'unknown' };
  }
  if (method === undefined && /^\s*\{\s*"jsonrpc"\s*:\s*"2\.0"\s*,\s*"(result|error)"/.test(text)) return { kind: 'reply' };
  return { kind: 'unknown' };
}

function isSlot(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}
