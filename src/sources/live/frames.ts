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

/** The block's transactions that mention a followed program and did not fail, with their positions; and how many failed. */
export function venueTransactions(block: BlockNote, programs: ReadonlySet<string>): { txs: Array<{ txIndex: number; tx: RawTransaction }>; failed: number } {
  const txs: Array<{ txIndex: number; tx: RawTransaction }> = [];
  let failed = 0;
  block.transactions.forEach((t, txIndex) => {
    if (!t?.transaction?.message || !t.meta) return;
    if (!mentionsAny(t.transaction.message, t.meta, programs)) return;
    if (t.meta.err !== null && t.meta.err !== undefined) {
      failed++;
      return;
    }
    txs.push({ txIndex, tx: { slot: block.slot, blockTime: block.blockTime, transaction: t.transaction, meta: t.meta, version: t.version } as RawTransaction });
  });
  return { txs, failed };
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
