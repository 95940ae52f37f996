/**
 * Mutated copies of real transactions, for the decoder's totality property (property.test.ts)
 * and its bench (test/bench/decode-property.ts). A mutation is plain data — which fixture, which
 * node, what to do to it — so fast-check can generate, replay and shrink it from a seed.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { decodeTransaction, MalformedTransactionError } from '../../src/core/decode/index.js';
import type { RawTransaction } from '../../src/core/decode/rawtx.js';
import { buildTxView } from '../../src/core/decode/txview.js';
import type { Trade } from '../../src/core/trade.js';
import { FIXTURES } from './support.js';

const CORPUS_TX = '/work/shared/corpus/tx';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Path = Array<string | number>;

export interface Fixture {
  name: string;
  tx: Json;
  /** Paths to mutate, by pool: every node; the ones at most three levels down (meta.*,
   * message.*); the byte-carrying strings (instruction data, `Program data:` log lines), where
   * a damaged payload reaches the venue decoders. */
  pools: Record<Pool, Path[]>;
}

function collectPaths(node: Json, path: Path, out: Path[]): void {
  out.push(path);
  if (Array.isArray(node)) node.forEach((v, i) => collectPaths(v, [...path, i], out));
  else if (node !== null && typeof node === 'object') for (const k of Object.keys(node)) collectPaths(node[k], [...path, k], out);
}

/** Every bundled real and constructed transaction, plus the shared corpus ones not bundled. */
export function loadFixtures(): Fixture[] {
  const files = new Map<string, string>();
  for (const dir of ['tx', 'constructed', 'fills', 'malformed']) {
    for (const f of readdirSync(join(FIXTURES, dir))) if (f.endsWith('.json')) files.set(f, join(FIXTURES, dir, f));
  }
  let corpus: string[] = [];
  try {
    corpus = readdirSync(CORPUS_TX);
  } catch {
    // the shared corpus is a machine-local extra; the bundled fixtures are enough
  }
  for (const f of corpus) if (f.endsWith('.json') && !files.has(f)) files.set(f, join(CORPUS_TX, f));
  return [...files.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([name, file]) => {
      const tx = JSON.parse(readFileSync(file, 'utf8')) as Json;
      const paths: Path[] = [];
      collectPaths(tx, [], paths);
      const all = paths.slice(1);
      const valueAt = (p: Path) => p.reduce<Json>((n, k) => (n as Record<string | number, Json>)[k], tx);
      const bytes = all.filter((p) => p[p.length - 1] === 'data' || (p[p.length - 2] === 'logMessages' && String(valueAt(p)).startsWith('Program data: ')));
      return { name, tx, pools: { all, shallow: all.filter((p) => p.length <= 3), bytes } };
    });
}

export const MUTATION_KINDS = ['delete', 'null', 'wrongType', 'negative', 'huge', 'cut', 'grow', 'corrupt'] as const;
export type MutationKind = (typeof MUTATION_KINDS)[number];

export const POOLS = ['all', 'shallow', 'bytes'] as const;
export type Pool = (typeof POOLS)[number];

export interface Step {
  kind: MutationKind;
  /** Index into the pool's paths (taken modulo their count). */
  at: number;
  pool: Pool;
  /** Chooses among a kind's variants (which wrong type, where to cut …). */
  k: number;
}

export interface Plan {
  fixture: number;
  steps: Step[];
}

export const planArb = fc.record({
  fixture: fc.nat(),
  steps: fc.array(
    fc.record({ kind: fc.constantFrom(...MUTATION_KINDS), at: fc.nat(), pool: fc.constantFrom(...POOLS), k: fc.nat() }),
    { minLength: 1, maxLength: 3 },
  ),
});

const WRONG_TYPES: Json[] = ['x', 7, -1, {}, [], true, 'So11111111111111111111111111111111111111112', [1, 2], { a: 1 }];
const HUGE: number[] = [2 ** 53, 2 ** 64, 1e300, Number.MAX_SAFE_INTEGER + 2, 1.5, 4294967296];
// Characters outside the base58 alphabet, then ones inside it (valid base58, different bytes).
const BAD_CHARS = ['0', 'O', 'I', 'l', '!', 'é', ' ', '+', '/', 'z', '1', '9', 'A'];

function parentOf(root: Json, path: Path): { parent: Json; key: string | number } | null {
  let node: Json = root;
  for (let i = 0; i < path.length - 1; i++) {
    if (node === null || typeof node !== 'object') return null;
    node = (node as Record<string | number, Json>)[path[i]];
  }
  if (node === null || typeof node !== 'object') return null;
  return { parent: node, key: path[path.length - 1] };
}

function mutated(value: Json, kind: MutationKind, k: number): Json | undefined {
  switch (kind) {
    case 'null':
      return null;
    case 'wrongType':
      return WRONG_TYPES[k % WRONG_TYPES.length];
    case 'negative':
      if (typeof value === 'number') return value === 0 ? -1 : -Math.abs(value);
      if (typeof value === 'string' && /^\d+$/.test(value)) return `-${value}`;
      return -1 - (k % 3);
    case 'huge':
      if (typeof value === 'string') return k % 2 ? '99999999999999999999999999' : value.repeat(2 + (k % 3));
      return HUGE[k % HUGE.length];
    case 'cut':
      if (Array.isArray(value)) return value.slice(0, value.length ? k % value.length : 0);
      if (typeof value === 'string') return value.slice(0, value.length ? k % value.length : 0);
      return undefined;
    case 'grow':
      if (Array.isArray(value)) {
        const extra = value.length ? [structuredClone(value[k % value.length])] : [WRONG_TYPES[k % WRONG_TYPES.length]];
        return k % 2 ? [...value, ...extra, ...extra] : [...extra, ...value];
      }
      if (typeof value === 'string') return value + value.slice(0, 1 + (k % 8));
      return undefined;
    case 'corrupt':
      if (typeof value === 'string' && value.length > 0) {
        const i = k % value.length;
        return value.slice(0, i) + BAD_CHARS[k % BAD_CHARS.length] + value.slice(i + 1);
      }
      return undefined;
    case 'delete':
      return undefined;
  }
}

/** A deep copy of the plan's fixture with every step applied. */
export function applyPlan(fixtures: Fixture[], plan: Plan): unknown {
  const fx = fixtures[plan.fixture % fixtures.length];
  const tx = structuredClone(fx.tx);
  for (const step of plan.steps) {
    const pool = fx.pools[step.pool];
    if (pool.length === 0) continue;
    const loc = parentOf(tx, pool[step.at % pool.length]);
    if (!loc) continue; // an earlier step removed this node's parent
    const parent = loc.parent as Record<string | number, Json>;
    if (!(loc.key in parent)) continue;
    const next = mutated(parent[loc.key], step.kind, step.k);
    if (next !== undefined) parent[loc.key] = next;
    else if (Array.isArray(parent)) (parent as Json[]).splice(loc.key as number, 1);
    else delete parent[loc.key];
  }
  return tx;
}

/** A named mutation (fixture by file-name prefix, node by dotted path), as a plan. */
export interface Targeted {
  fixture: string;
  path: string;
  kind: MutationKind;
  k: number;
}

export function planFor(fixtures: Fixture[], t: Targeted): Plan {
  const fixture = fixtures.findIndex((f) => f.name.startsWith(t.fixture));
  if (fixture < 0) throw new Error(`no fixture ${t.fixture}`);
  const at = fixtures[fixture].pools.all.findIndex((p) => p.join('.') === t.path);
  if (at < 0) throw new Error(`${t.fixture} has no ${t.path}`);
  return { fixture, steps: [{ kind: t.kind, at, pool: 'all', k: t.k }] };
}

/** The `k` that makes a 'corrupt' step put BAD_CHARS[char] at `position` of a string of `length`. */
export function corruptK(length: number, position: number, char: string): number {
  const c = BAD_CHARS.indexOf(char);
  for (let k = 0; k < length * BAD_CHARS.length; k++) if (k % length === position && k % BAD_CHARS.length === c) return k;
  throw new Error(`no k puts ${char} at ${position}`);
}

export function describePlan(fixtures: Fixture[], plan: Plan): string {
  const fx = fixtures[plan.fixture % fixtures.length];
  const steps = plan.steps.map((s) => {
    const pool = fx.pools[s.pool];
    return `${s.kind}(k=${s.k}) at ${pool.length ? pool[s.at % pool.length].join('.') : '-'}`;
  });
  return `${fx.name}: ${steps.join('; ')}`;
}

const U64_LIMIT = 1n << 64n;
const isAmount = (v: unknown) => typeof v === 'bigint' && v >= 0n && v < U64_LIMIT;
const isDecimals = (v: unknown) => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 255;
const isLamports = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v >= 0;

export type Outcome = 'trades' | 'empty' | 'malformed';

/**
 * What the decoder did with one input, judged by the contract: well-formed trades, [], or a
 * MalformedTransactionError with a one-line reason. `breach` names what broke it, else null.
 */
export function judge(raw: unknown): { outcome: Outcome | null; breach: string | null } {
  let trades: unknown;
  try {
    trades = decodeTransaction(raw as RawTransaction);
  } catch (e) {
    if (e instanceof MalformedTransactionError) {
      const oneLine = e.message.length > 0 && !/[\r\n]/.test(e.message);
      return { outcome: 'malformed', breach: oneLine ? null : `MalformedTransactionError without a one-line reason: ${JSON.stringify(e.message)}` };
    }
    const err = e as Error;
    return { outcome: null, breach: `threw ${err?.name ?? typeof e}: ${err?.message ?? String(e)}` };
  }
  if (!Array.isArray(trades)) return { outcome: null, breach: 'did not return an array' };
  // The structure every walk up or down the call tree relies on to end: parents come before
  // their children, so following either link always moves one way through a finite list.
  const view = buildTxView(raw as RawTransaction);
  for (const ix of view.ixs) {
    if (ix.parent >= ix.id || ix.children.some((c) => c <= ix.id || c >= view.ixs.length)) {
      return { outcome: null, breach: `call tree out of order at instruction ${ix.id}` };
    }
  }
  for (const t of trades) {
    const bad = tradeFaults(t);
    if (bad.length) return { outcome: null, breach: `ill-formed trade at ${String(t.ixPath)}: ${bad.join(', ')}` };
  }
  return { outcome: trades.length > 0 ? 'trades' : 'empty', breach: null };
}

export function breach(raw: unknown): string | null {
  return judge(raw).breach;
}

function tradeFaults(t: Trade): string[] {
  const bad: string[] = [];
  if (t.side !== 'buy' && t.side !== 'sell') bad.push(`side ${String(t.side)}`);
  if (!isAmount(t.baseAmount)) bad.push(`baseAmount ${t.baseAmount}`);
  if (!isAmount(t.quoteAmount)) bad.push(`quoteAmount ${t.quoteAmount}`);
  if (t.solAmount !== null && !isAmount(t.solAmount)) bad.push(`solAmount ${t.solAmount}`);
  if (t.fee !== null && !isAmount(t.fee)) bad.push(`fee ${t.fee}`);
  for (const f of ['signature', 'ixPath', 'venue', 'programId', 'trader', 'baseMint', 'quoteMint', 'signer'] as const) {
    if (typeof t[f] !== 'string') bad.push(`${f} ${String(t[f])}`);
  }
  if (!isDecimals(t.baseDecimals) || !isDecimals(t.quoteDecimals)) bad.push(`decimals ${t.baseDecimals}/${t.quoteDecimals}`);
  for (const f of ['txFee', 'priorityFee', 'jitoTip'] as const) if (!isLamports(t[f])) bad.push(`${f} ${t[f]}`);
  return bad;
}
