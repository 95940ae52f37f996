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
import { wholeNumber } from './whole-number.js';

/** The runtime allows a call depth of 5; leave room, but a depth is never in the thousands. */
const MAX_STACK_HEIGHT = 64;
const U64_LIMIT = 2 ** 64;

type Obj = Record<string, unknown>;
/** Where a value sits, built only when something is wrong (the happy path builds no strings). */
type Where = () => string;

function fail(where: Where, problem: string): never {
  throw new MalformedTransactionError(`${where()}: ${problem}`);
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
const at = (where: Where, key: string): Where => () => `${where()}.${key}`;
const item = (where: Where, i: number): Where => () => `${where()}[${i}]`;
const named = (path: string): Where => () => path;

function object(v: unknown, where: Where): Obj {
  if (!isObj(v)) fail(where, `expected an object, got ${shown(v)}`);
  return v;
}

function array(v: unknown, where: Where): unknown[] {
  if (!Array.isArray(v)) fail(where, `expected an array, got ${shown(v)}`);
  return v;
}

function optionalArray(v: unknown, where: Where): unknown[] {
  return absent(v) ? [] : array(v, where);
}

function string(v: unknown, where: Where): string {
  if (typeof v !== 'string') fail(where, `expected a string, got ${shown(v)}`);
  return v;
}

const isIndex = (v: unknown, limit: number) => Number.isInteger(v) && (v as number) >= 0 && (v as number) < limit;

/** A u64 given as a JSON number or a decimal string. */
function isU64(v: unknown): boolean {
  if (typeof v === 'number') return Number.isInteger(v) && v >= 0 && v < U64_LIMIT;
  return typeof v === 'string' && DECIMAL.test(v) && (v.length < 20 || BigInt(v) < 1n << 64n);
}
const DECIMAL = /^\d{1,20}$/;
const BASE58 = /^[1-9A-HJ-NP-Za-km-z]*$/;

function base58(v: unknown, where: Where): void {
  const s = string(v, where);
  if (BASE58.test(s)) return;
  let i = 0;
  while (base58Digit(s.charCodeAt(i)) >= 0) i++;
  fail(where, `invalid base58 character ${JSON.stringify(s[i])} at ${i}`);
}

function optionalUnsigned(v: unknown, where: Where): void {
  if (typeof v === 'number' && !(Number.isSafeInteger(v) && v >= 0)) fail(where, `${shown(v)} is not a non-negative integer`);
  if (typeof v === 'string' && wholeNumber(v) === null) fail(where, `${shown(v)} is not a non-negative integer`);
}

function instruction(v: unknown, where: Where, keyCount: number, inner: boolean): void {
  const ix = object(v, where);
  if ('programIdIndex' in ix) {
    if (!isIndex(ix.programIdIndex, keyCount)) fail(at(where, 'programIdIndex'), `index ${shown(ix.programIdIndex)} out of range (0-${keyCount - 1})`);
    const accounts = array(ix.accounts, at(where, 'accounts'));
    for (let i = 0; i < accounts.length; i++) {
      if (!isIndex(accounts[i], keyCount)) fail(item(at(where, 'accounts'), i), `index ${shown(accounts[i])} out of range (0-${keyCount - 1})`);
    }
  } else {
    string(ix.programId, at(where, 'programId'));
    if (!absent(ix.accounts)) {
      const accounts = array(ix.accounts, at(where, 'accounts'));
      for (let i = 0; i < accounts.length; i++) if (typeof accounts[i] !== 'string') string(accounts[i], item(at(where, 'accounts'), i));
    }
    if (isObj(ix.parsed) && !absent(ix.parsed.info) && typeof ix.parsed.info !== 'object') {
      fail(at(where, 'parsed.info'), `expected an object, got ${shown(ix.parsed.info)}`);
    }
  }
  if (!absent(ix.data)) base58(ix.data, at(where, 'data'));
  const h = ix.stackHeight;
  if (!absent(h) && (!Number.isInteger(h) || (h as number) < (inner ? 2 : 1) || (h as number) > MAX_STACK_HEIGHT)) {
    fail(at(where, 'stackHeight'), `${shown(h)} is not a call depth`);
  }
}

function tokenBalances(v: unknown, where: Where): void {
  const list = optionalArray(v, where);
  for (let i = 0; i < list.length; i++) {
    const w = item(where, i);
    const b = object(list[i], w);
    if (!Number.isInteger(b.accountIndex) || (b.accountIndex as number) < 0) fail(at(w, 'accountIndex'), `${shown(b.accountIndex)} is not an index`);
    string(b.mint, at(w, 'mint'));
    if (!absent(b.owner)) string(b.owner, at(w, 'owner'));
    if (!absent(b.programId)) string(b.programId, at(w, 'programId'));
    const ui = object(b.uiTokenAmount, at(w, 'uiTokenAmount'));
    if (typeof ui.amount !== 'string' || !isU64(ui.amount)) fail(at(w, 'uiTokenAmount.amount'), `${shown(ui.amount)} is not a u64 decimal string`);
    const d = ui.decimals;
    if (!Number.isInteger(d) || (d as number) < 0 || (d as number) > 255) fail(at(w, 'uiTokenAmount.decimals'), `${shown(d)} is not a decimals count`);
  }
}

function strings(v: unknown, where: Where): void {
  const list = optionalArray(v, where);
  for (let i = 0; i < list.length; i++) if (typeof list[i] !== 'string') string(list[i], item(where, i));
}

export function validateTransaction(raw: unknown): asserts raw is RawTransaction {
  if (!isObj(raw)) throw new MalformedTransactionError(`not an object (${shown(raw)})`);
  if (!isObj(raw.meta)) throw new MalformedTransactionError('missing meta');
  const meta = raw.meta;
  const tx = raw.transaction;
  if (!isObj(tx)) throw new MalformedTransactionError('transaction is not in json or jsonParsed encoding');
  for (const f of ['slot', 'blockTime', 'txIndex'] as const) optionalUnsigned(raw[f], named(f));
  optionalUnsigned(meta.fee, named('meta.fee'));

  const signatures = array(tx.signatures, named('transaction.signatures'));
  if (typeof signatures[0] !== 'string' || signatures[0].length === 0) fail(named('transaction.signatures[0]'), `expected a signature, got ${shown(signatures[0])}`);
  const message = object(tx.message, named('transaction.message'));
  const keysAt = named('transaction.message.accountKeys');
  const keys = array(message.accountKeys, keysAt);
  if (keys.length === 0) fail(keysAt, 'empty');
  let keyCount = keys.length;
  if (isObj(keys[0])) {
    for (let i = 0; i < keys.length; i++) string(object(keys[i], item(keysAt, i)).pubkey, at(item(keysAt, i), 'pubkey'));
  } else {
    for (let i = 0; i < keys.length; i++) if (typeof keys[i] !== 'string') string(keys[i], item(keysAt, i));
    if (!absent(message.header)) {
      const header = object(message.header, named('transaction.message.header'));
      optionalUnsigned(header.numRequiredSignatures, named('transaction.message.header.numRequiredSignatures'));
    }
    if (!absent(meta.loadedAddresses)) {
      const loaded = object(meta.loadedAddresses, named('meta.loadedAddresses'));
      for (const side of ['writable', 'readonly'] as const) {
        strings(loaded[side], named(`meta.loadedAddresses.${side}`));
        keyCount += Array.isArray(loaded[side]) ? (loaded[side] as unknown[]).length : 0;
      }
    }
  }

  const outerAt = named('transaction.message.instructions');
  const outer = array(message.instructions, outerAt);
  for (let i = 0; i < outer.length; i++) instruction(outer[i], item(outerAt, i), keyCount, false);
  const groupsAt = named('meta.innerInstructions');
  const groups = optionalArray(meta.innerInstructions, groupsAt);
  for (let g = 0; g < groups.length; g++) {
    const groupAt = item(groupsAt, g);
    const group = object(groups[g], groupAt);
    if (!Number.isInteger(group.index) || (group.index as number) < 0) fail(at(groupAt, 'index'), `${shown(group.index)} is not an instruction index`);
    const listAt = at(groupAt, 'instructions');
    const list = array(group.instructions, listAt);
    for (let i = 0; i < list.length; i++) instruction(list[i], item(listAt, i), keyCount, true);
  }

  for (const side of ['preBalances', 'postBalances'] as const) {
    const list = array(meta[side], named(`meta.${side}`));
    for (let i = 0; i < list.length; i++) if (!isU64(list[i])) fail(named(`meta.${side}[${i}]`), `${shown(list[i])} is not a u64 amount`);
  }
  tokenBalances(meta.preTokenBalances, named('meta.preTokenBalances'));
  tokenBalances(meta.postTokenBalances, named('meta.postTokenBalances'));
  strings(meta.logMessages, named('meta.logMessages'));
}
