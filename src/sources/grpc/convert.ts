/**
 * A Yellowstone transaction update → the getTransaction result ("json" encoding) the decoder
 * takes, so a trade decoded from the gRPC stream is the trade backfill decodes from HTTP.
 *
 * The update is protobuf (Uint8Array keys and data, u64 as decimal strings, an error as bincode)
 * and carries no block time: the caller passes the slot's time from its `blocksMeta` update.
 * The output follows what an Agave RPC node returns for `getTransaction(sig, {encoding: "json",
 * maxSupportedTransactionVersion: 0})`, field for field, including the quirks of its own
 * protobuf→JSON conversion (a zero `uiAmount` is null, an empty token owner is absent).
 */
import {
  txErrDecode,
  type SubscribeUpdateTransactionInfo,
} from '@triton-one/yellowstone-grpc';
import type { RawTransaction } from '../../core/decode/index.js';
import { base58Encode } from '../../core/decode/base58.js';
import { base58Key } from './base58.js';

type Info = SubscribeUpdateTransactionInfo;
type Meta = NonNullable<Info['meta']>;
type Message = NonNullable<NonNullable<Info['transaction']>['message']>;
type ProtoTokenBalance = Meta['preTokenBalances'][number];
type ProtoReward = Meta['rewards'][number];

export class GrpcConversionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GrpcConversionError';
  }
}

/** Indexed by the protobuf RewardType enum (0 = unspecified). */
const REWARD_TYPES: ReadonlyArray<string | null> = [null, 'Fee', 'Rent', 'Staking', 'Voting'];

export function toRawTransaction(info: Info, slot: number, blockTime: number | null): RawTransaction {
  const tx = info.transaction;
  const message = tx?.message;
  const meta = info.meta;
  if (!tx || !message) throw new GrpcConversionError('transaction update without a message');
  if (!meta) throw new GrpcConversionError('transaction update without meta');
  if (!message.header) throw new GrpcConversionError('message without a header');
  if (tx.signatures.length === 0) throw new GrpcConversionError('transaction without signatures');

  const signatures = tx.signatures.map((s) => encodeFixed(s, 64, 'signature'));
  const accountKeys = message.accountKeys.map((k) => encodeFixed(k, 32, 'account key'));
  const writable = meta.loadedWritableAddresses.map((k) => encodeFixed(k, 32, 'loaded address'));
  const readonly = meta.loadedReadonlyAddresses.map((k) => encodeFixed(k, 32, 'loaded address'));
  // Instructions index the static keys, then the loaded writable, then the loaded readonly ones.
  const keyCount = accountKeys.length + writable.length + readonly.length;
  if (meta.preBalances.length !== keyCount || meta.postBalances.length !== keyCount) {
    throw new GrpcConversionError(
      `balances for ${meta.preBalances.length}/${meta.postBalances.length} accounts, but ${keyCount} account keys`,
    );
  }

  const err = meta.err ? decodeError(meta.err.err) : null;
  const out: Record<string, unknown> = {
    slot,
    blockTime,
    version: message.versioned ? 0 : 'legacy',
    transaction: { signatures, message: convertMessage(message, accountKeys, keyCount) },
    meta: {
      err,
      status: err === null ? { Ok: null } : { Err: err },
      fee: u64(meta.fee, 'fee'),
      preBalances: meta.preBalances.map((b) => u64(b, 'balance')),
      postBalances: meta.postBalances.map((b) => u64(b, 'balance')),
      innerInstructions: meta.innerInstructionsNone
        ? null
        : meta.innerInstructions.map((group) => ({
            index: group.index,
            instructions: group.instructions.map((ix) =>
              instruction(ix.programIdIndex, ix.accounts, ix.data, ix.stackHeight ?? null, keyCount),
            ),
          })),
      logMessages: meta.logMessagesNone ? null : meta.logMessages,
      preTokenBalances: meta.preTokenBalances.map((b) => tokenBalance(b, keyCount)),
      postTokenBalances: meta.postTokenBalances.map((b) => tokenBalance(b, keyCount)),
      rewards: meta.rewards.map(reward),
      loadedAddresses: { writable, readonly },
      ...returnData(meta),
      ...(meta.computeUnitsConsumed !== undefined
        ? { computeUnitsConsumed: u64(meta.computeUnitsConsumed, 'computeUnitsConsumed') }
        : {}),
      ...(meta.costUnits !== undefined ? { costUnits: u64(meta.costUnits, 'costUnits') } : {}),
    },
  };
  return out as unknown as RawTransaction;
}

/** The first signature of an update, base58, for skip reports; null when it has none usable. */
export function signatureOf(info: Info | undefined): string | null {
  const sig = info?.signature?.length === 64 ? info.signature : info?.transaction?.signatures[0];
  return sig && sig.length === 64 ? base58Encode(sig) : null;
}

function convertMessage(message: Message, accountKeys: string[], keyCount: number): Record<string, unknown> {
  const header = message.header!;
  const out: Record<string, unknown> = {
    header: {
      numRequiredSignatures: header.numRequiredSignatures,
      numReadonlySignedAccounts: header.numReadonlySignedAccounts,
      numReadonlyUnsignedAccounts: header.numReadonlyUnsignedAccounts,
    },
    accountKeys,
    recentBlockhash: encodeFixed(message.recentBlockhash, 32, 'recent blockhash'),
    instructions: message.instructions.map((ix) => instruction(ix.programIdIndex, ix.accounts, ix.data, null, keyCount)),
  };
  // Legacy messages have no lookup tables, and the RPC leaves the field out for them.
  if (message.versioned) {
    out.addressTableLookups = message.addressTableLookups.map((l) => ({
      accountKey: encodeFixed(l.accountKey, 32, 'lookup table'),
      writableIndexes: [...l.writableIndexes],
      readonlyIndexes: [...l.readonlyIndexes],
    }));
  }
  return out;
}

function instruction(
  programIdIndex: number,
  accounts: Uint8Array,
  data: Uint8Array,
  stackHeight: number | null,
  keyCount: number,
): { programIdIndex: number; accounts: number[]; data: string; stackHeight: number | null } {
  if (programIdIndex >= keyCount) throw new GrpcConversionError(`programIdIndex ${programIdIndex} out of range`);
  const accs = new Array<number>(accounts.length);
  for (let i = 0; i < accounts.length; i++) {
    const a = accounts[i];
    if (a >= keyCount) throw new GrpcConversionError(`account index ${a} out of range`);
    accs[i] = a;
  }
  return { programIdIndex, accounts: accs, data: base58Encode(data), stackHeight };
}

function tokenBalance(b: ProtoTokenBalance, keyCount: number): Record<string, unknown> {
  if (b.accountIndex >= keyCount) throw new GrpcConversionError(`token balance for account ${b.accountIndex} out of range`);
  const ui = b.uiTokenAmount;
  if (!ui || !/^\d+$/.test(ui.amount)) throw new GrpcConversionError('token balance without an amount');
  return {
    accountIndex: b.accountIndex,
    mint: b.mint,
    uiTokenAmount: {
      // Agave's own protobuf→JSON conversion turns a zero uiAmount into null.
      uiAmount: ui.uiAmount === 0 ? null : ui.uiAmount,
      decimals: ui.decimals,
      amount: ui.amount,
      uiAmountString: ui.uiAmountString,
    },
    ...(b.owner ? { owner: b.owner } : {}),
    ...(b.programId ? { programId: b.programId } : {}),
  };
}

function reward(r: ProtoReward): Record<string, unknown> {
  return {
    pubkey: r.pubkey,
    lamports: Number(r.lamports),
    postBalance: u64(r.postBalance, 'reward balance'),
    rewardType: REWARD_TYPES[r.rewardType] ?? null,
    commission: r.commission === '' ? null : Number(r.commission),
  };
}

function returnData(meta: Meta): { returnData?: { programId: string; data: [string, 'base64'] } } {
  const rd = meta.returnData;
  if (meta.returnDataNone || !rd) return {};
  return {
    returnData: {
      programId: encodeFixed(rd.programId, 32, 'return data program'),
      data: [Buffer.from(rd.data.buffer, rd.data.byteOffset, rd.data.byteLength).toString('base64'), 'base64'],
    },
  };
}

function decodeError(bytes: Uint8Array): unknown {
  try {
    return txErrDecode.decode(bytes);
  } catch {
    throw new GrpcConversionError(`undecodable transaction error (${bytes.length} bytes)`);
  }
}

function encodeFixed(bytes: Uint8Array | undefined, length: number, what: string): string {
  if (!bytes || bytes.length !== length) {
    throw new GrpcConversionError(`${what} of ${bytes?.length ?? 0} bytes (expected ${length})`);
  }
  return length === 32 ? base58Key(bytes) : base58Encode(bytes);
}

function u64(value: string, what: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n)) throw new GrpcConversionError(`${what} is not a u64: ${value.slice(0, 24)}`);
  return n;
}
