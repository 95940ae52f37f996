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
  return absent(v) ? EMPTY : array(v, where);
}
const EMPTY: unknown[] = [];

function string(v: unknown, where: Where): string {
  if (typeof v !== 'string') fail(where, `expected a string, got ${shown(v)}`);
  return v;
}

const isIndex = (v: unknown, limit: number) => Number.isInteger(v) && (v as number) >= 0 && (v as number) < limit;

/** A u64 given as a JSON number or a decimal string. */
function isU64(v: unknown): boolean {
  if (typeof v === 'number') return Number.isInteger(v) && v >= 0 && v < U64_LIMIT;
  return typeof v === 'string' && isDecimal(v) && (v.length < 20 || BigInt(v) < 1n << 64n);
}

/** /^\d{1,20}$/ without the regex: balances hold dozens of these per transaction. */
function isDecimal(s: string): boolean {
  const n = s.length;
  if (n === 0 || n > 20) return false;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** The position of the first character outside the alphabet; else -1. */
function firstNonBase58(s: string): number {
  for (let i = 0; i < s.length; i++) if (base58Digit(s.charCodeAt(i)) < 0) return i;
  return -1;
}

/** The regex (compiled to native code) clears a valid payload of hundreds of characters fastest. */
const BASE58 = /^[1-9A-HJ-NP-Za-km-z]*$/;

function base58(v: unknown, where: Where): void {
  const s = string(v, where);
  if (BASE58.test(s)) return;
  const i = firstNonBase58(s);
  fail(where, `invalid base58 character ${JSON.stringify(s[i])} at ${i}`);
}

function optionalUnsigned(v: unknown, where: Where): void {
  if (typeof v === 'number' && !(Number.isSafeInteger(v) && v >= 0)) fail(where, `${shown(v)} is not a non-negative integer`);
  if (typeof v === 'string' && wholeNumber(v) === null) fail(where, `${shown(v)} is not a non-negative integer`);
}

/**
 * Instruction `i` of the outer list (`group` -1) or of inner group `group`. Every check is made
 * inline and its path built only when it fails: a transaction has dozens of instructions.
 */
function instruction(v: unknown, group: number, i: number, keyCount: number): void {
  const inner = group >= 0;
  if (!isObj(v)) object(v, ixWhere(group, i));
  const ix = v as Obj;
  if ('programIdIndex' in ix) {
    if (!isIndex(ix.programIdIndex, keyCount)) fail(at(ixWhere(group, i), 'programIdIndex'), `index ${shown(ix.programIdIndex)} out of range (0-${keyCount - 1})`);
    const accounts = ix.accounts;
    if (!Array.isArray(accounts)) array(accounts, at(ixWhere(group, i), 'accounts'));
    const list = accounts as unknown[];
    for (let a = 0; a < list.length; a++) {
      if (!isIndex(list[a], keyCount)) fail(item(at(ixWhere(group, i), 'accounts'), a), `index ${shown(list[a])} out of range (0-${keyCount - 1})`);
    }
  } else {
    if (typeof ix.programId !== 'string') string(ix.programId, at(ixWhere(group, i), 'programId'));
    if (!absent(ix.accounts)) {
      const accounts = ix.accounts;
      if (!Array.isArray(accounts)) array(accounts, at(ixWhere(group, i), 'accounts'));
      const list = accounts as unknown[];
      for (let a = 0; a < list.length; a++) if (typeof list[a] !== 'string') string(list[a], item(at(ixWhere(group, i), 'accounts'), a));
    }
    if (isObj(ix.parsed) && !absent(ix.parsed.info) && typeof ix.parsed.info !== 'object') {
      fail(at(ixWhere(group, i), 'parsed.info'), `expected an object, got ${shown(ix.parsed.info)}`);
    }
  }
  const data = ix.data;
  if (!absent(data) && (typeof data !== 'string' || !BASE58.test(data))) base58(data, at(ixWhere(group, i), 'data'));
  const h = ix.stackHeight;
  if (!absent(h) && (!Number.isInteger(h) || (h as number) < (inner ? 2 : 1) || (h as number) > MAX_STACK_HEIGHT)) {
    fail(at(ixWhere(group, i), 'stackHeight'), `${shown(h)} is not a call depth`);
  }
}

function ixWhere(group: number, i: number): Where {
  return group < 0 ? item(named('transaction.message.instructions'), i) : item(at(item(named('meta.innerInstructions'), group), 'instructions'), i);
}

function tokenBalances(v: unknown, where: Where): void {
  const list = optionalArray(v, where);
  for (let i = 0; i < list.length; i++) {
    const b = list[i];
    if (!isObj(b)) object(b, item(where, i));
    tokenBalance(b as Obj, where, i);
  }
}

/** One token balance; paths are built only for a field that fails. */
function tokenBalance(b: Obj, where: Where, i: number): void {
  if (!Number.isInteger(b.accountIndex) || (b.accountIndex as number) < 0) fail(at(item(where, i), 'accountIndex'), `${shown(b.accountIndex)} is not an index`);
  if (typeof b.mint !== 'string') string(b.mint, at(item(where, i), 'mint'));
  if (!absent(b.owner) && typeof b.owner !== 'string') string(b.owner, at(item(where, i), 'owner'));
  if (!absent(b.programId) && typeof b.programId !== 'string') string(b.programId, at(item(where, i), 'programId'));
  const ui = b.uiTokenAmount;
  if (!isObj(ui)) object(ui, at(item(where, i), 'uiTokenAmount'));
  const { amount, decimals } = ui as Obj;
  if (typeof amount !== 'string' || !isU64(amount)) fail(at(item(where, i), 'uiTokenAmount.amount'), `${shown(amount)} is not a u64 decimal string`);
  if (!Number.isInteger(decimals) || (decimals as number) < 0 || (decimals as number) > 255) fail(at(item(where, i), 'uiTokenAmount.decimals'), `${shown(decimals)} is not a decimals count`);
}

function strings(v: unknown, where: Where): void {
  const list = optionalArray(v, where);
  for (let i = 0; i < list.length; i++) if (typeof list[i] !== 'string') string(list[i], item(where, i));
}

const KEYS_AT = named('transaction.message.accountKeys');
const WHERE = {
  slot: named('slot'),
  blockTime: named('blockTime'),
  txIndex: named('txIndex'),
  fee: named('meta.fee'),
  signatures: named('transaction.signatures'),
  signature0: named('transaction.signatures[0]'),
  message: named('transaction.message'),
  header: named('transaction.message.header'),
  numRequiredSignatures: named('transaction.message.header.numRequiredSignatures'),
  loadedAddresses: named('meta.loadedAddresses'),
  writable: named('meta.loadedAddresses.writable'),
  readonly: named('meta.loadedAddresses.readonly'),
  instructions: named('transaction.message.instructions'),
  innerInstructions: named('meta.innerInstructions'),
  preBalances: named('meta.preBalances'),
  postBalances: named('meta.postBalances'),
  preTokenBalances: named('meta.preTokenBalances'),
  postTokenBalances: named('meta.postTokenBalances'),
  logMessages: named('meta.logMessages'),
};

export function validateTransaction(raw: unknown): asserts raw is RawTransaction {
  if (!isObj(raw)) throw new MalformedTransactionError(`not an object (${shown(raw)})`);
  if (!isObj(raw.meta)) throw new MalformedTransactionError('missing meta');
  const meta = raw.meta;
  const tx = raw.transaction;
  if (!isObj(tx)) throw new MalformedTransactionError('transaction is not in json or jsonParsed encoding');
  optionalUnsigned(raw.slot, WHERE.slot);
  optionalUnsigned(raw.blockTime, WHERE.blockTime);
  optionalUnsigned(raw.txIndex, WHERE.txIndex);
  optionalUnsigned(meta.fee, WHERE.fee);

  const signatures = array(tx.signatures, WHERE.signatures);
  if (typeof signatures[0] !== 'string' || signatures[0].length === 0) fail(WHERE.signature0, `expected a signature, got ${shown(signatures[0])}`);
  const message = object(tx.message, WHERE.message);
  const keys = array(message.accountKeys, KEYS_AT);
  if (keys.length === 0) fail(KEYS_AT, 'empty');
  let keyCount = keys.length;
  if (isObj(keys[0])) {
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i];
      if (!isObj(k) || typeof k.pubkey !== 'string') string(object(k, item(KEYS_AT, i)).pubkey, at(item(KEYS_AT, i), 'pubkey'));
    }
  } else {
    for (let i = 0; i < keys.length; i++) if (typeof keys[i] !== 'string') string(keys[i], item(KEYS_AT, i));
    if (!absent(message.header)) {
      const header = object(message.header, WHERE.header);
      optionalUnsigned(header.numRequiredSignatures, WHERE.numRequiredSignatures);
    }
    if (!absent(meta.loadedAddresses)) {
      const loaded = object(meta.loadedAddresses, WHERE.loadedAddresses);
      strings(loaded.writable, WHERE.writable);
      keyCount += Array.isArray(loaded.writable) ? loaded.writable.length : 0;
      strings(loaded.readonly, WHERE.readonly);
      keyCount += Array.isArray(loaded.readonly) ? loaded.readonly.length : 0;
    }
  }

  const outer = array(message.instructions, WHERE.instructions);
  for (let i = 0; i < outer.length; i++) instruction(outer[i], -1, i, keyCount);
  const groups = optionalArray(meta.innerInstructions, WHERE.innerInstructions);
  for (let g = 0; g < groups.length; g++) {
    const group = groups[g];
    if (!isObj(group)) object(group, item(WHERE.innerInstructions, g));
    const { index, instructions } = group as Obj;
    if (!Number.isInteger(index) || (index as number) < 0) fail(at(item(WHERE.innerInstructions, g), 'index'), `${shown(index)} is not an instruction index`);
    if (!Array.isArray(instructions)) array(instructions, at(item(WHERE.innerInstructions, g), 'instructions'));
    const list = instructions as unknown[];
    for (let i = 0; i < list.length; i++) instruction(list[i], g, i, keyCount);
  }

  balances(meta.preBalances, WHERE.preBalances, 'preBalances');
  balances(meta.postBalances, WHERE.postBalances, 'postBalances');
  tokenBalances(meta.preTokenBalances, WHERE.preTokenBalances);
  tokenBalances(meta.postTokenBalances, WHERE.postTokenBalances);
  strings(meta.logMessages, WHERE.logMessages);
}

function balances(v: unknown, where: Where, side: string): void {
  const list = array(v, where);
  for (let i = 0; i < list.length; i++) {
    // Lamports are mostly numbers past 2^31: tested here, not boxed for a call.
    const n = list[i];
    const ok = typeof n === 'number' ? Number.isInteger(n) && n >= 0 && n < U64_LIMIT : isU64(n);
    if (!ok) fail(named(`meta.${side}[${i}]`), `${shown(n)} is not a u64 amount`);
  }
}
