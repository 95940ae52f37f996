/**
 * A getTransaction result (json encoding) → the Yellowstone `SubscribeUpdateTransactionInfo` a
 * Geyser node would have streamed for it, so the replay server can serve the bundled fixtures.
 * The inverse of src/sources/grpc/convert.ts; jsonParsed results cannot be inverted (parsed
 * instructions drop their bytes), so `isGrpcServable` tells which fixtures qualify.
 *
 * A transaction error travels as bincode. Its encoder here is built by asking the client
 * library's own decoder which variant number decodes to which name, so the two cannot disagree.
 */
import { txErrDecode, type SubscribeUpdateTransactionInfo } from '@triton-one/yellowstone-grpc';
import { base58Decode } from '../../../src/core/decode/base58.js';
import type { BlockTx } from '../replay/chain.js';

export function isGrpcServable(tx: BlockTx): boolean {
  const keys = tx.transaction?.message?.accountKeys;
  return Array.isArray(keys) && keys.every((k: unknown) => typeof k === 'string');
}

export function toTransactionInfo(tx: BlockTx, index: number): SubscribeUpdateTransactionInfo {
  if (!isGrpcServable(tx)) throw new Error('only json-encoded transactions can be served over gRPC');
  const msg = tx.transaction.message;
  const meta = tx.meta;
  const versioned = tx.version !== 'legacy';
  const ix = (i: any) => ({
    programIdIndex: i.programIdIndex,
    accounts: Uint8Array.from(i.accounts),
    data: base58Decode(i.data),
  });
  const tokenBalance = (b: any) => ({
    accountIndex: b.accountIndex,
    mint: b.mint,
    uiTokenAmount: {
      uiAmount: b.uiTokenAmount.uiAmount ?? 0,
      decimals: b.uiTokenAmount.decimals,
      amount: b.uiTokenAmount.amount,
      uiAmountString: b.uiTokenAmount.uiAmountString ?? '',
    },
    owner: b.owner ?? '',
    programId: b.programId ?? '',
  });
  const signatures = tx.transaction.signatures.map((s) => base58Decode(s));
  return {
    signature: signatures[0],
    isVote: false,
    index: String(index),
    transaction: {
      signatures,
      message: {
        header: msg.header,
        accountKeys: msg.accountKeys.map((k: string) => base58Decode(k)),
        recentBlockhash: base58Decode(msg.recentBlockhash),
        instructions: msg.instructions.map(ix),
        versioned,
        addressTableLookups: (msg.addressTableLookups ?? []).map((l: any) => ({
          accountKey: base58Decode(l.accountKey),
          writableIndexes: Uint8Array.from(l.writableIndexes ?? []),
          // A few fixtures were recorded by a tool that spells it `readableIndexes`.
          readonlyIndexes: Uint8Array.from(l.readonlyIndexes ?? l.readableIndexes ?? []),
        })),
      },
    },
    meta: {
      err: meta.err === null || meta.err === undefined ? undefined : { err: encodeTxError(meta.err) },
      fee: String(meta.fee),
      preBalances: meta.preBalances.map(String),
      postBalances: meta.postBalances.map(String),
      innerInstructions: (meta.innerInstructions ?? []).map((g: any) => ({
        index: g.index,
        instructions: g.instructions.map((i: any) => ({ ...ix(i), stackHeight: i.stackHeight ?? undefined })),
      })),
      innerInstructionsNone: meta.innerInstructions === null || meta.innerInstructions === undefined,
      logMessages: meta.logMessages ?? [],
      logMessagesNone: meta.logMessages === null || meta.logMessages === undefined,
      preTokenBalances: (meta.preTokenBalances ?? []).map(tokenBalance),
      postTokenBalances: (meta.postTokenBalances ?? []).map(tokenBalance),
      rewards: [],
      loadedWritableAddresses: (meta.loadedAddresses?.writable ?? []).map((k: string) => base58Decode(k)),
      loadedReadonlyAddresses: (meta.loadedAddresses?.readonly ?? []).map((k: string) => base58Decode(k)),
      returnData: meta.returnData
        ? { programId: base58Decode(meta.returnData.programId), data: Buffer.from(meta.returnData.data[0], 'base64') }
        : undefined,
      returnDataNone: !meta.returnData,
      computeUnitsConsumed: meta.computeUnitsConsumed === undefined ? undefined : String(meta.computeUnitsConsumed),
      costUnits: meta.costUnits === undefined ? undefined : String(meta.costUnits),
    },
  };
}

let variants: { tx: Map<string, number>; ix: Map<string, number> } | null = null;

/** Variant numbers by name, read off the library's decoder (unit variants, and the few with a u8). */
function errorVariants(): { tx: Map<string, number>; ix: Map<string, number> } {
  if (variants) return variants;
  const tx = new Map<string, number>();
  const ix = new Map<string, number>();
  const nameOf = (bytes: number[]): string | null => {
    try {
      const e = txErrDecode.decode(Uint8Array.from(bytes)) as unknown;
      return typeof e === 'string' ? e : Object.keys(e as object)[0];
    } catch {
      return null;
    }
  };
  for (let v = 0; v < 64; v++) {
    const name = nameOf([v, 0, 0, 0]) ?? nameOf([v, 0, 0, 0, 0]);
    if (name) tx.set(name, v);
    const inner = nameOf([8, 0, 0, 0, 0, v, 0, 0, 0]) ?? nameOf([8, 0, 0, 0, 0, v, 0, 0, 0, 0, 0, 0, 0]);
    if (inner) ix.set(inner, v);
  }
  tx.set('InstructionError', 8);
  const custom = nameOf([8, 0, 0, 0, 0, 25, 0, 0, 0, 1, 0, 0, 0]);
  if (custom === 'InstructionError') ix.set('Custom', 25);
  return (variants = { tx, ix });
}

const u32 = (n: number) => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];

export function encodeTxError(err: unknown): Uint8Array {
  const { tx, ix } = errorVariants();
  const fail = () => new Error(`replay: cannot bincode-encode transaction error ${JSON.stringify(err)}`);
  if (typeof err === 'string') {
    if (!tx.has(err)) throw fail();
    return Uint8Array.from(u32(tx.get(err)!));
  }
  const [name, body] = Object.entries(err as object)[0] ?? [];
  if (name === 'InstructionError' && Array.isArray(body)) {
    const [index, inner] = body as [number, unknown];
    if (typeof inner === 'string' && ix.has(inner)) return Uint8Array.from([...u32(8), index, ...u32(ix.get(inner)!)]);
    if (inner && typeof inner === 'object' && 'Custom' in inner) {
      return Uint8Array.from([...u32(8), index, ...u32(25), ...u32((inner as { Custom: number }).Custom)]);
    }
  }
  if (name && tx.has(name)) {
    const arg = typeof body === 'number' ? body : (body as { account_index?: number })?.account_index;
    if (typeof arg === 'number') return Uint8Array.from([...u32(tx.get(name)!), arg]);
  }
  throw fail();
}

/**
 * One fixture (2pfnv4dr…) was recorded with its fee, balances and compute units as strings, which
 * no RPC returns (the decoder reads such a fee as 0, the gRPC path gives the number). Tests that
 * compare the two paths compare against the numbers an RPC would have sent.
 */
export function numericMeta(meta: any): any {
  if (typeof meta.fee !== 'string') return meta;
  return {
    ...meta,
    fee: Number(meta.fee),
    computeUnitsConsumed: Number(meta.computeUnitsConsumed),
    preBalances: meta.preBalances.map(Number),
    postBalances: meta.postBalances.map(Number),
  };
}
