/**
 * One normalised view of a transaction, whatever encoding it came in: every instruction (outer
 * and inner) in execution order with its depth and parent, the full account list (static keys
 * plus lookup-table keys), signers, and what the balances say about token accounts.
 */
import { base58Decode } from './base58.js';
import { u64At } from './borsh.js';
import type {
  RawCompiledInstruction,
  RawInstruction,
  RawMessage,
  RawParsedAccountKey,
  RawParsedInstruction,
  RawTokenBalance,
  RawTransaction,
} from './rawtx.js';
import { WSOL_MINT } from '../trade.js';
import { validateTransaction } from './validate.js';
import { wholeNumber } from './whole-number.js';

export { MalformedTransactionError } from './errors.js';

export interface Ix {
  /** Position in execution order over the whole transaction. */
  id: number;
  programId: string;
  accounts: string[];
  /** base58 instruction data, null when the RPC gave a parsed form instead. */
  data: string | null;
  parsed: { type: string; info: Record<string, unknown> } | null;
  outer: number;
  /** 0 for the top-level instruction, k for the k-th entry of its inner list. */
  inner: number;
  depth: number;
  parent: number;
  /** Ids of the instructions this one invoked directly, ascending. Never mutate: leaves share one empty array. */
  children: number[];
  bytes: Uint8Array | null;
}

export interface TokenAccountInfo {
  mint: string;
  owner: string | null;
}

export interface TxView {
  signature: string;
  slot: number | null;
  blockTime: number | null;
  txIndex: number | null;
  keys: string[];
  signers: string[];
  signerSet: Set<string>;
  feePayer: string;
  ixs: Ix[];
  tokenAccounts: Map<string, TokenAccountInfo>;
  mintDecimals: Map<string, number>;
  /** Mints owned by the Token-2022 program (their transfers may withhold a fee). */
  token2022Mints: Set<string>;
  /** Lamport change per account key (post − pre), only for accounts that changed. */
  lamportDelta: Map<string, number>;
  /** Token balance change per token account (raw), only for accounts that changed. */
  tokenDelta: Map<string, bigint>;
  logs: string[];
  /** `Program data:` events by instruction id, read from the logs on first use (events.ts). */
  logEvents: Map<number, Array<{ disc: string; body: Uint8Array }>> | null;
  fee: number;
  computeUnitPrice: number;
}

export function ixPath(ix: Ix): string {
  return `${ix.outer}.${ix.inner}`;
}

export function ixBytes(ix: Ix): Uint8Array {
  if (ix.bytes === null) ix.bytes = ix.data ? base58Decode(ix.data) : new Uint8Array(0);
  return ix.bytes;
}

function isParsedKey(k: string | RawParsedAccountKey): k is RawParsedAccountKey {
  return typeof k === 'object' && k !== null;
}

export function buildTxView(raw: RawTransaction): TxView {
  // Everything below reads only what this check has vouched for.
  validateTransaction(raw);
  const meta = raw.meta!;
  const tx = raw.transaction as { signatures: string[]; message: RawMessage };
  const message = tx.message;

  const keys: string[] = [];
  const signers: string[] = [];
  const parsedKeys = isParsedKey(message.accountKeys[0]);
  if (parsedKeys) {
    // jsonParsed already lists lookup-table addresses among the keys.
    for (const k of message.accountKeys as RawParsedAccountKey[]) {
      keys.push(k.pubkey);
      if (k.signer) signers.push(k.pubkey);
    }
  } else {
    for (const k of message.accountKeys as string[]) keys.push(k);
    const nSig = message.header?.numRequiredSignatures ?? tx.signatures.length;
    for (let i = 0; i < nSig && i < keys.length; i++) signers.push(keys[i]);
    const loaded = meta.loadedAddresses;
    if (loaded) {
      for (const k of loaded.writable ?? []) keys.push(k);
      for (const k of loaded.readonly ?? []) keys.push(k);
    }
  }

  const ixs = flattenInstructions(message, meta.innerInstructions ?? [], keys, meta.logMessages ?? []);

  const view: TxView = {
    signature: tx.signatures[0],
    slot: wholeNumber(raw.slot),
    blockTime: wholeNumber(raw.blockTime),
    txIndex: wholeNumber(raw.txIndex),
    keys,
    signers,
    signerSet: new Set(signers),
    feePayer: signers[0] ?? keys[0],
    ixs,
    tokenAccounts: new Map(),
    mintDecimals: new Map([[WSOL_MINT, 9]]),
    token2022Mints: new Set(),
    lamportDelta: new Map(),
    tokenDelta: new Map(),
    logs: meta.logMessages ?? [],
    fee: wholeNumber(meta.fee) ?? 0,
    computeUnitPrice: 0,
    logEvents: null,
  };

  const pre = meta.preBalances;
  const post = meta.postBalances;
  for (let i = 0; i < keys.length && i < pre.length && i < post.length; i++) {
    // Some sources write lamports as decimal strings.
    const d = Number(post[i]) - Number(pre[i]);
    if (d !== 0) view.lamportDelta.set(keys[i], (view.lamportDelta.get(keys[i]) ?? 0) + d);
  }
  readTokenBalances(view, meta.preTokenBalances ?? [], -1);
  readTokenBalances(view, meta.postTokenBalances ?? [], 1);
  readComputeUnitPrice(view, message);
  return view;
}

const COMPUTE_BUDGET = 'ComputeBudget111111111111111111111111111111';

/** Compute-unit price: a ComputeBudget instruction, or inline in a v1 message's config. */
function readComputeUnitPrice(view: TxView, message: RawMessage): void {
  for (const ix of view.ixs) {
    if (ix.programId !== COMPUTE_BUDGET || ix.inner !== 0) continue;
    const b = ixBytes(ix);
    if (b[0] === 3 && b.length >= 9) view.computeUnitPrice = Number(u64At(b, 1));
  }
  const cfg = message.transactionConfig;
  if (cfg && typeof cfg === 'object') {
    const p = cfg.priorityFee ?? cfg.computeUnitPrice ?? cfg.priority_fee;
    if (typeof p === 'number' && Number.isSafeInteger(p) && p >= 0) view.computeUnitPrice = p;
    else if (typeof p === 'string' && /^\d{1,15}$/.test(p)) view.computeUnitPrice = Number(p);
  }
}

function readTokenBalances(view: TxView, balances: RawTokenBalance[], sign: 1 | -1): void {
  for (const b of balances) {
    const key = view.keys[b.accountIndex];
    if (key === undefined) continue;
    const known = view.tokenAccounts.get(key);
    if (!known) view.tokenAccounts.set(key, { mint: b.mint, owner: b.owner ?? null });
    else if (b.owner && !known.owner) known.owner = b.owner;
    view.mintDecimals.set(b.mint, b.uiTokenAmount.decimals);
    if (b.programId === 'TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb') view.token2022Mints.add(b.mint);
    const amount = BigInt(b.uiTokenAmount.amount);
    const prev = view.tokenDelta.get(key);
    view.tokenDelta.set(key, prev === undefined ? (sign === 1 ? amount : -amount) : sign === 1 ? prev + amount : prev - amount);
  }
  if (sign === 1) {
    for (const [k, v] of view.tokenDelta) if (v === 0n) view.tokenDelta.delete(k);
  }
}

/** Most instructions invoke nothing: they all share this array instead of each owning an empty one. */
const NO_CHILDREN: number[] = [];

function isCompiled(ix: RawInstruction): ix is RawCompiledInstruction {
  return typeof (ix as RawCompiledInstruction).programIdIndex === 'number';
}

function toIx(
  raw: RawInstruction,
  keys: string[],
  id: number,
  outer: number,
  inner: number,
): Ix {
  if (isCompiled(raw)) {
    // validate.ts has checked every index against the keys.
    const programId = keys[raw.programIdIndex];
    const accounts = new Array<string>(raw.accounts.length);
    for (let i = 0; i < raw.accounts.length; i++) accounts[i] = keys[raw.accounts[i]];
    return { id, programId, accounts, data: raw.data ?? '', parsed: null, outer, inner, depth: 0, parent: -1, children: NO_CHILDREN, bytes: null };
  }
  const p = raw as RawParsedInstruction;
  const parsed =
    p.parsed && typeof p.parsed === 'object' && typeof p.parsed.type === 'string'
      ? { type: p.parsed.type, info: (p.parsed.info ?? {}) as Record<string, unknown> }
      : null;
  return {
    id,
    programId: p.programId,
    accounts: Array.isArray(p.accounts) ? p.accounts : [],
    data: typeof p.data === 'string' ? p.data : null,
    parsed,
    outer,
    inner,
    depth: 0,
    parent: -1,
    children: NO_CHILDREN,
    bytes: null,
  };
}

const NO_INNER: RawInstruction[] = [];

function flattenInstructions(
  message: RawMessage,
  innerGroups: Array<{ index: number; instructions: RawInstruction[] }>,
  keys: string[],
  logs: string[],
): Ix[] {
  const innerByOuter = new Map<number, RawInstruction[]>();
  for (const g of innerGroups) innerByOuter.set(g.index, g.instructions);
  const ixs: Ix[] = [];
  const heights: Array<number | null> = [];
  for (let o = 0; o < message.instructions.length; o++) {
    ixs.push(toIx(message.instructions[o], keys, ixs.length, o, 0));
    heights.push(1);
    const inner = innerByOuter.get(o) ?? NO_INNER;
    for (let k = 0; k < inner.length; k++) {
      ixs.push(toIx(inner[k], keys, ixs.length, o, k + 1));
      const h = inner[k].stackHeight;
      heights.push(typeof h === 'number' ? h : null);
    }
  }
  if (heights.some((h) => h === null)) fillHeightsFromLogs(ixs, heights, logs);
  // Parent = the latest earlier instruction one level up within the same outer instruction.
  const stack: number[] = [];
  for (let i = 0; i < ixs.length; i++) {
    const ix = ixs[i];
    ix.depth = heights[i] ?? 2;
    if (ix.inner === 0) {
      ix.depth = 1;
      stack.length = 0;
      stack.push(i);
      continue;
    }
    // Bounded by the stack itself: a depth read from damaged logs (0, say) empties it and stops.
    while (stack.length > 0 && stack.length >= ix.depth) stack.pop();
    const parent = stack.length > 0 ? stack[stack.length - 1] : -1;
    ix.parent = parent;
    if (parent >= 0) {
      const p = ixs[parent];
      if (p.children === NO_CHILDREN) p.children = [i];
      else p.children.push(i);
    }
    stack.push(i);
  }
  return ixs;
}

/**
 * Older transactions carry no stackHeight. The "Program X invoke [d]" log lines list every
 * invocation in the same order as the instructions, so they give the depths back — as long as
 * the logs were not truncated; where they run out the instruction is taken as a direct child.
 */
function fillHeightsFromLogs(ixs: Ix[], heights: Array<number | null>, logs: string[]): void {
  const invokes: Array<{ program: string; depth: number }> = [];
  for (const line of logs) {
    if (!line.startsWith('Program ') || !line.endsWith(']')) continue;
    const m = /^Program (\S+) invoke \[(\d+)\]$/.exec(line);
    if (m) invokes.push({ program: m[1], depth: Number(m[2]) });
  }
  let cursor = 0;
  for (let i = 0; i < ixs.length; i++) {
    let found = -1;
    for (let j = cursor; j < invokes.length; j++) {
      if (invokes[j].program === ixs[i].programId) {
        found = j;
        break;
      }
      // Only skip log entries we cannot match (precompiles log nothing; truncation drops lines).
      if (j - cursor > 8) break;
    }
    if (found >= 0) {
      if (heights[i] === null) heights[i] = invokes[found].depth;
      cursor = found + 1;
    }
  }
}
