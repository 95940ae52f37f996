/**
 * Trades packed for the hop to the writer thread. Structured clone of trade objects (or of an
 * array of their strings) costs ~4–5 µs a trade, about a third of what the flow engine spends
 * on it; packed, the hop costs ~1 µs. Numbers go in a Float64Array, u64 amounts in a
 * BigUint64Array (both transferred, not copied), and strings as indexes:
 *
 *  - signatures and bot reasons into the batch's own joined string;
 *  - everything that repeats across batches (addresses, venue, side, ix path, router, platform)
 *    into a string table both sides keep: each string crosses once, and the thread gets the same
 *    string object every time it recurs. That matters to the writer's address → id cache: a
 *    string it has hashed before is found at once, where a fresh copy per batch was hashed and
 *    compared again, which made id lookups ~2.5x slower on the thread than beside the engine.
 *
 * Only valid trades are packed (see invalidTrade in rows.ts): amounts must fit u64.
 */
import type { ClassifiedTrade } from '../../core/flow/types.js';
import type { Trade } from '../../core/trade.js';

export interface PackedTrades {
  count: number;
  /** The batch's signatures and reason lists, joined by SEP. */
  text: string;
  /** Strings new to the table, joined by SEP, in the order they take its next indexes. */
  known: string;
  knownCount: number;
  /** The sender's table was full and started over: the receiver's must too, before `known`. */
  resetKnown: boolean;
  /**
   * STRING_FIELDS.length indexes per trade: into text's parts for signature and reasons, into
   * the table for the rest; -1 for null.
   */
  refs: Int32Array;
  /** NUMBER_FIELDS.length per trade; NaN for null. */
  numbers: Float64Array;
  /** AMOUNT_FIELDS.length per trade; nulls are marked in the flags number. */
  amounts: BigUint64Array;
}

/** Never inside a base58 address, a signature, a label or JSON text (JSON escapes control characters). */
const SEP = '\u0000';

const STRING_FIELDS = ['signature', 'ixPath', 'venue', 'programId', 'pool', 'trader', 'side', 'baseMint', 'quoteMint', 'router', 'platform', 'feeMint', 'signer', 'reasons'] as const;
const S = STRING_FIELDS.length;
const N = 9; // slot, blockTime, txIndex, baseDecimals, quoteDecimals, txFee, priorityFee, jitoTip, flags
const A = 4; // baseAmount, quoteAmount, solAmount, fee

const IS_DCA = 1;
const IS_LIMIT = 2;
const IS_BOT = 4;
const SOL_NULL = 8;
const FEE_NULL = 16;

/** The packing side's string table: string → index. */
export interface SentStrings {
  index: Map<string, number>;
  /** Start over past this many strings (memory stays bounded on a long backfill). */
  limit: number;
}

/** The unpacking side's: index → string, in the order the sender numbered them. */
export interface ReceivedStrings {
  strings: string[];
}

export const sentStrings = (limit = 1_000_000): SentStrings => ({ index: new Map(), limit });
export const receivedStrings = (): ReceivedStrings => ({ strings: [] });

const orNaN = (v: number | null): number => (v === null ? NaN : v);
const orNull = (v: number): number | null => (Number.isNaN(v) ? null : v);

/** `table` must be the one every earlier batch to the same receiver was packed with. */
export function packTrades(trades: readonly (Trade | ClassifiedTrade)[], table: SentStrings = sentStrings()): PackedTrades {
  const n = trades.length;
  const refs = new Int32Array(n * S);
  const numbers = new Float64Array(n * N);
  const amounts = new BigUint64Array(n * A);
  const resetKnown = table.index.size >= table.limit;
  if (resetKnown) table.index = new Map();
  const index = table.index;
  const fresh: string[] = [];
  const ref = (s: string | null): number => {
    if (s === null) return -1;
    let i = index.get(s);
    if (i === undefined) {
      i = index.size;
      index.set(s, i);
      fresh.push(s);
    }
    return i;
  };
  const parts: string[] = [];
  for (let i = 0; i < n; i++) {
    const t = trades[i];
    const c = t as Partial<ClassifiedTrade>;
    const reasons = c.botReasons;
    let r = i * S;
    // Signatures are unique per transaction: no point asking the map.
    refs[r++] = parts.push(t.signature) - 1;
    refs[r++] = ref(t.ixPath);
    refs[r++] = ref(t.venue);
    refs[r++] = ref(t.programId);
    refs[r++] = ref(t.pool);
    refs[r++] = ref(t.trader);
    refs[r++] = ref(t.side);
    refs[r++] = ref(t.baseMint);
    refs[r++] = ref(t.quoteMint);
    refs[r++] = ref(t.router);
    refs[r++] = ref(t.platform);
    refs[r++] = ref(t.feeMint);
    refs[r++] = ref(t.signer);
    refs[r] = reasons && reasons.length > 0 ? parts.push(JSON.stringify(reasons)) - 1 : -1;
    let k = i * N;
    numbers[k++] = orNaN(t.slot);
    numbers[k++] = orNaN(t.blockTime);
    numbers[k++] = orNaN(t.txIndex);
    numbers[k++] = t.baseDecimals;
    numbers[k++] = t.quoteDecimals;
    numbers[k++] = t.txFee;
    numbers[k++] = t.priorityFee;
    numbers[k++] = t.jitoTip;
    numbers[k] =
      (t.isDca ? IS_DCA : 0) | (t.isLimitOrder ? IS_LIMIT : 0) | (c.isBot ? IS_BOT : 0) |
      (t.solAmount === null ? SOL_NULL : 0) | (t.fee === null ? FEE_NULL : 0);
    let a = i * A;
    amounts[a++] = t.baseAmount;
    amounts[a++] = t.quoteAmount;
    amounts[a++] = t.solAmount ?? 0n;
    amounts[a] = t.fee ?? 0n;
  }
  return { count: n, text: parts.join(SEP), known: fresh.join(SEP), knownCount: fresh.length, resetKnown, refs, numbers, amounts };
}

/** The buffers to transfer with postMessage (the sender's copies become unusable). */
export const packedTransfer = (p: PackedTrades): ArrayBuffer[] => [p.refs.buffer as ArrayBuffer, p.numbers.buffer as ArrayBuffer, p.amounts.buffer as ArrayBuffer];

/** `table` must be the one every earlier batch from the same sender was unpacked with. */
export function unpackTrades(p: PackedTrades, table: ReceivedStrings = receivedStrings()): ClassifiedTrade[] {
  if (p.resetKnown) table.strings = [];
  if (p.knownCount > 0) for (const s of p.known.split(SEP)) table.strings.push(s);
  const known = table.strings;
  const parts = p.count === 0 ? [] : p.text.split(SEP);
  const { refs, numbers, amounts } = p;
  const str = (i: number): string | null => (i < 0 ? null : known[i]);
  const out = new Array<ClassifiedTrade>(p.count);
  for (let i = 0; i < p.count; i++) {
    const r = i * S;
    const k = i * N;
    const a = i * A;
    const flags = numbers[k + 8];
    const reasons = refs[r + 13] < 0 ? null : parts[refs[r + 13]];
    out[i] = {
      signature: parts[refs[r]],
      ixPath: known[refs[r + 1]],
      venue: known[refs[r + 2]],
      programId: known[refs[r + 3]],
      pool: str(refs[r + 4]),
      trader: known[refs[r + 5]],
      side: known[refs[r + 6]] as 'buy' | 'sell',
      baseMint: known[refs[r + 7]],
      quoteMint: known[refs[r + 8]],
      router: str(refs[r + 9]),
      platform: str(refs[r + 10]),
      feeMint: str(refs[r + 11]),
      signer: known[refs[r + 12]],
      slot: orNull(numbers[k]),
      blockTime: orNull(numbers[k + 1]),
      txIndex: orNull(numbers[k + 2]),
      baseDecimals: numbers[k + 3],
      quoteDecimals: numbers[k + 4],
      txFee: numbers[k + 5],
      priorityFee: numbers[k + 6],
      jitoTip: numbers[k + 7],
      isDca: (flags & IS_DCA) !== 0,
      isLimitOrder: (flags & IS_LIMIT) !== 0,
      isBot: (flags & IS_BOT) !== 0,
      botReasons: reasons === null ? [] : (JSON.parse(reasons) as string[]),
      baseAmount: amounts[a],
      quoteAmount: amounts[a + 1],
      solAmount: (flags & SOL_NULL) !== 0 ? null : amounts[a + 2],
      fee: (flags & FEE_NULL) !== 0 ? null : amounts[a + 3],
    };
  }
  return out;
}
