/**
 * Trades packed for the hop to the writer thread. Structured clone of trade objects (or of an
 * array of their strings) costs ~4–5 µs a trade, about a third of what the flow engine spends
 * on it; packed, the hop costs ~1 µs. Numbers go in a Float64Array, u64 amounts in a
 * BigUint64Array (both transferred, not copied), and the strings each trade refers to in one
 * joined string with every distinct value once per batch.
 *
 * Only valid trades are packed (see invalidTrade in rows.ts): amounts must fit u64.
 */
import type { ClassifiedTrade } from '../core/flow/types.js';
import type { Trade } from '../core/trade.js';

export interface PackedTrades {
  count: number;
  /** The batch's distinct strings, joined by SEP. */
  text: string;
  /** STRING_FIELDS.length indexes into text's parts per trade; -1 for null. */
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

const orNaN = (v: number | null): number => (v === null ? NaN : v);
const orNull = (v: number): number | null => (Number.isNaN(v) ? null : v);

export function packTrades(trades: readonly (Trade | ClassifiedTrade)[]): PackedTrades {
  const n = trades.length;
  const refs = new Int32Array(n * S);
  const numbers = new Float64Array(n * N);
  const amounts = new BigUint64Array(n * A);
  const index = new Map<string, number>();
  const parts: string[] = [];
  const ref = (s: string | null): number => {
    if (s === null) return -1;
    let i = index.get(s);
    if (i === undefined) {
      i = parts.length;
      parts.push(s);
      index.set(s, i);
    }
    return i;
  };
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
    refs[r] = reasons && reasons.length > 0 ? ref(JSON.stringify(reasons)) : -1;
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
  return { count: n, text: parts.join(SEP), refs, numbers, amounts };
}

/** The buffers to transfer with postMessage (the sender's copies become unusable). */
export const packedTransfer = (p: PackedTrades): ArrayBuffer[] => [p.refs.buffer as ArrayBuffer, p.numbers.buffer as ArrayBuffer, p.amounts.buffer as ArrayBuffer];

export function unpackTrades(p: PackedTrades): ClassifiedTrade[] {
  const parts = p.count === 0 ? [] : p.text.split(SEP);
  const { refs, numbers, amounts } = p;
  const str = (i: number): string | null => (i < 0 ? null : parts[i]);
  const out = new Array<ClassifiedTrade>(p.count);
  for (let i = 0; i < p.count; i++) {
    const r = i * S;
    const k = i * N;
    const a = i * A;
    const flags = numbers[k + 8];
    const reasons = str(refs[r + 13]);
    out[i] = {
      signature: parts[refs[r]],
      ixPath: parts[refs[r + 1]],
      venue: parts[refs[r + 2]],
      programId: parts[refs[r + 3]],
      pool: str(refs[r + 4]),
      trader: parts[refs[r + 5]],
      side: parts[refs[r + 6]] as 'buy' | 'sell',
      baseMint: parts[refs[r + 7]],
      quoteMint: parts[refs[r + 8]],
      router: str(refs[r + 9]),
      platform: str(refs[r + 10]),
      feeMint: str(refs[r + 11]),
      signer: parts[refs[r + 12]],
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
