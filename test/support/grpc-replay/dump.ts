/**
 * Read the corpus's recorded Yellowstone transaction updates (`SubscribeUpdateTransactionInfo`
 * as JSON) back into the protobuf message the client library hands a consumer.
 *
 * The recordings come from three tools, and each wrote the protobuf `bytes` fields its own way:
 * - canonical proto3 JSON (protobuf's toJSON): bytes as base64, u64 as decimal strings;
 * - Vixen's fixtures: bytes as arrays of numbers, signatures and blockhash as base58;
 * - solana-dex-parser's dumps: every bytes field as base58.
 * So a string in a bytes field is base64 when the recording's 32-byte keys are (44 characters
 * ending in "="; base58 never contains "="), base58 otherwise. Every decoded key and signature
 * is then length-checked by the conversion itself.
 */
import { readFileSync } from 'node:fs';
import { SubscribeUpdateTransactionInfo } from '@triton-one/yellowstone-grpc';
import { base58Decode } from '../../../src/core/decode/base58.js';

/** Paths of the protobuf `bytes` fields; `[]` steps into every element of an array. */
const BYTES_FIELDS = [
  'signature',
  'transaction.signatures[]',
  'transaction.message.accountKeys[]',
  'transaction.message.recentBlockhash',
  'transaction.message.instructions[].accounts',
  'transaction.message.instructions[].data',
  'transaction.message.addressTableLookups[].accountKey',
  'transaction.message.addressTableLookups[].writableIndexes',
  'transaction.message.addressTableLookups[].readonlyIndexes',
  'meta.err.err',
  'meta.innerInstructions[].instructions[].accounts',
  'meta.innerInstructions[].instructions[].data',
  'meta.loadedWritableAddresses[]',
  'meta.loadedReadonlyAddresses[]',
  'meta.returnData.programId',
  'meta.returnData.data',
].map((p) => p.split('.'));

export function loadDump(file: string): SubscribeUpdateTransactionInfo {
  return dumpToInfo(JSON.parse(readFileSync(file, 'utf8')));
}

export function dumpToInfo(json: any): SubscribeUpdateTransactionInfo {
  const base64 = usesBase64(json);
  const canonical = structuredClone(json);
  for (const path of BYTES_FIELDS) rewrite(canonical, path, (v) => toBase64(v, base64));
  return SubscribeUpdateTransactionInfo.fromJSON(canonical);
}

function usesBase64(json: any): boolean {
  const key = (json?.transaction?.message?.accountKeys ?? []).find((k: unknown) => typeof k === 'string');
  return typeof key === 'string' && key.length === 44 && key.endsWith('=');
}

function toBase64(value: unknown, base64: boolean): unknown {
  if (Array.isArray(value)) return Buffer.from(value as number[]).toString('base64');
  if (typeof value === 'string') return base64 ? value : Buffer.from(base58Decode(value)).toString('base64');
  return value;
}

function rewrite(node: any, path: string[], fn: (v: unknown) => unknown): void {
  if (node === null || node === undefined || path.length === 0) return;
  const [head, ...rest] = path;
  const each = head.endsWith('[]');
  const name = each ? head.slice(0, -2) : head;
  const value = node[name];
  if (value === null || value === undefined) return;
  if (each) {
    if (!Array.isArray(value)) return;
    for (let i = 0; i < value.length; i++) {
      if (rest.length === 0) value[i] = fn(value[i]);
      else rewrite(value[i], rest, fn);
    }
  } else if (rest.length === 0) node[name] = fn(value);
  else rewrite(value, rest, fn);
}
