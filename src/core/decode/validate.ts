/**
 * The shape check at the decoder's edge: one pass over every field of a getTransaction result the
 * decoder reads, before it reads any. Whatever passes is safe to walk — indices in range, amounts
 * that are u64 integers, call depths that are depths, strings where strings are expected, base58
 * where bytes are decoded — so the decoder proper holds no defensive checks of its own and no
 * input can make it throw anything else or loop without end. Whatever fails is a
 * MalformedTransactionError naming the field.
 *
 * Lenient where the decoder already is: optional fields may be absent or null, and numbers that
 * some sources write as decimal strings (balances, fee, slot) may be strings.
 */
import { base58Digit } from './base58.js';
import { MalformedTransactionError } from './errors.js';
import type { RawTransaction } from './rawtx.js';

/** The runtime allows a call depth of 5; leave room, but a depth is never in the thousands. */
const MAX_STACK_HEIGHT = 64;
const U64_LIMIT = 2 ** 64;

type Obj = Record<string, unknown>;

function fail(path: string, problem: string): never {
  throw new MalformedTransactionError(`${path}: ${problem}`);
}

/** A short, single-line picture of a bad value for the reason text. */
function shown(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return JSON.stringify(v.length > 24 ? `${v.slice(0, 24)}…` : v);
  if (typeof v === 'object') return 'an object';
  return String(v);
}

const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const absent = (v: unknown) => v === undefined || v === null;

function object(v: unknown, path: string): Obj {
  if (!isObj(v)) fail(path, `expected an object, got ${shown(v)}`);
  return v;
}

function array(v: unknown, path: string): unknown[] {
  if (!Array.isArray(v)) fail(path, `expected an array, got ${shown(v)}`);
  return v;
}

function optionalArray(v: unknown, path: string): unknown[] {
  return absent(v) ? [] : array(v, path);
}

function string(v: unknown, path: string): string {
  if (typeof v !== 'string') fail(path, `expected a string, got ${shown(v)}`);
  return v;
}

function index(v: unknown, path: string, limit: number): number {
  if (!Number.isInteger(v) || (v as number) < 0 || (v as number) >= limit) fail(path, `index ${shown(v)} out of range (0-${limit - 1})`);
  return v as number;
}

/** A u64 given as a JSON number or a decimal string. */
function u64(v: unknown, path: string): void {
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < U64_LIMIT) return;
  if (typeof v === 'string' && /^\d{1,20}$/.test(v) && BigInt(v) < 1n << 64n) return;
  fail(path, `${shown(v)} is not a u64 amount`);
}

function base58(v: unknown, path: string): void {
  const s = string(v, path);
  for (let i = 0; i < s.length; i++) {
    if (base58Digit(s.charCodeAt(i)) < 0) fail(path, `invalid base58 character ${JSON.stringify(s[i])} at ${i}`);
  }
}

function optionalUnsigned(v: unknown, path: string): void {
  if (typeof v === 'number' && !(Number.isSafeInteger(v) && v >= 0)) fail(path, `${shown(v)} is not a non-negative integer`);
}

function instruction(v: unknown, path: string, keyCount: number, inner: boolean): void {
  const ix = object(v, path);
  if ('programIdIndex' in ix) {
    index(ix.programIdIndex, `${path}.programIdIndex`, keyCount);
    const accounts = array(ix.accounts, `${path}.accounts`);
    for (let i = 0; i < accounts.length; i++) index(accounts[i], `${path}.accounts[${i}]`, keyCount);
    if (!absent(ix.data)) base58(ix.data, `${path}.data`);
  } else {
    string(ix.programId, `${path}.programId`);
    if (!absent(ix.accounts)) {
      const accounts = array(ix.accounts, `${path}.accounts`);
      for (let i = 0; i < accounts.length; i++) string(accounts[i], `${path}.accounts[${i}]`);
    }
    if (!absent(ix.data)) base58(ix.data, `${path}.data`);
    if (isObj(ix.parsed) && !absent(ix.parsed.info) && typeof ix.parsed.info !== 'object') {
      fail(`${path}.parsed.info`, `expected an object, got ${shown(ix.parsed.info)}`);
    }
  }
  const h = ix.stackHeight;
  if (!absent(h) && (!Number.isInteger(h) || (h as number) < (inner ? 2 : 1) || (h as number) > MAX_STACK_HEIGHT)) {
    fail(`${path}.stackHeight`, `${shown(h)} is not a call depth`);
  }
}

function tokenBalances(v: unknown, path: string): void {
  const list = optionalArray(v, path);
  for (let i = 0; i < list.length; i++) {
    const p = `${path}[${i}]`;
    const b = object(list[i], p);
    if (!Number.isInteger(b.accountIndex) || (b.accountIndex as number) < 0) fail(`${p}.accountIndex`, `${shown(b.accountIndex)} is not an index`);
    string(b.mint, `${p}.mint`);
    if (!absent(b.owner)) string(b.owner, `${p}.owner`);
    if (!absent(b.programId)) string(b.programId, `${p}.programId`);
    const ui = object(b.uiTokenAmount, `${p}.uiTokenAmount`);
    if (typeof ui.amount !== 'string') fail(`${p}.uiTokenAmount.amount`, `expected a decimal string, got ${shown(ui.amount)}`);
    u64(ui.amount, `${p}.uiTokenAmount.amount`);
    const d = ui.decimals;
    if (!Number.isInteger(d) || (d as number) < 0 || (d as number) > 255) fail(`${p}.uiTokenAmount.decimals`, `${shown(d)} is not a decimals count`);
  }
}

function strings(v: unknown, path: string): void {
  const list = optionalArray(v, path);
  for (let i = 0; i < list.length; i++) string(list[i], `${path}[${i}]`);
}

export function validateTransaction(raw: unknown): asserts raw is RawTransaction {
  if (!isObj(raw)) throw new MalformedTransactionError(`not an object (${shown(raw)})`);
  if (!isObj(raw.meta)) throw new MalformedTransactionError('missing meta');
  const meta = raw.meta;
  const tx = raw.transaction;
  if (!isObj(tx)) throw new MalformedTransactionError('transaction is not in json or jsonParsed encoding');
  for (const f of ['slot', 'blockTime', 'txIndex'] as const) optionalUnsigned(raw[f], f);
  optionalUnsigned(meta.fee, 'meta.fee');

  const signatures = array(tx.signatures, 'transaction.signatures');
  if (typeof signatures[0] !== 'string' || signatures[0].length === 0) fail('transaction.signatures[0]', `expected a signature, got ${shown(signatures[0])}`);
  const message = object(tx.message, 'transaction.message');
  const keys = array(message.accountKeys, 'transaction.message.accountKeys');
  if (keys.length === 0) fail('transaction.message.accountKeys', 'empty');
  let keyCount = keys.length;
  if (isObj(keys[0])) {
    for (let i = 0; i < keys.length; i++) string(object(keys[i], `transaction.message.accountKeys[${i}]`).pubkey, `transaction.message.accountKeys[${i}].pubkey`);
  } else {
    for (let i = 0; i < keys.length; i++) string(keys[i], `transaction.message.accountKeys[${i}]`);
    if (!absent(message.header)) optionalUnsigned(object(message.header, 'transaction.message.header').numRequiredSignatures, 'transaction.message.header.numRequiredSignatures');
    if (!absent(meta.loadedAddresses)) {
      const loaded = object(meta.loadedAddresses, 'meta.loadedAddresses');
      for (const side of ['writable', 'readonly'] as const) {
        strings(loaded[side], `meta.loadedAddresses.${side}`);
        keyCount += Array.isArray(loaded[side]) ? (loaded[side] as unknown[]).length : 0;
      }
    }
  }

  const outer = array(message.instructions, 'transaction.message.instructions');
  for (let i = 0; i < outer.length; i++) instruction(outer[i], `transaction.message.instructions[${i}]`, keyCount, false);
  const groups = optionalArray(meta.innerInstructions, 'meta.innerInstructions');
  for (let g = 0; g < groups.length; g++) {
    const group = object(groups[g], `meta.innerInstructions[${g}]`);
    if (!Number.isInteger(group.index) || (group.index as number) < 0) fail(`meta.innerInstructions[${g}].index`, `${shown(group.index)} is not an instruction index`);
    const list = array(group.instructions, `meta.innerInstructions[${g}].instructions`);
    for (let i = 0; i < list.length; i++) instruction(list[i], `meta.innerInstructions[${g}].instructions[${i}]`, keyCount, true);
  }

  for (const side of ['preBalances', 'postBalances'] as const) {
    const list = array(meta[side], `meta.${side}`);
    for (let i = 0; i < list.length; i++) u64(list[i], `meta.${side}[${i}]`);
  }
  tokenBalances(meta.preTokenBalances, 'meta.preTokenBalances');
  tokenBalances(meta.postTokenBalances, 'meta.postTokenBalances');
  strings(meta.logMessages, 'meta.logMessages');
}
