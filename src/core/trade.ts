/**
 * The trade record: the contract between decode, classify, metrics, the store and every output.
 *
 * Raw token amounts are u64 on chain, so they are `bigint` in code and decimal strings in JSON
 * and SQL text columns; nothing on the way converts them to floating point.
 */

export type Side = 'buy' | 'sell';

export interface Trade {
  signature: string;
  slot: number | null;
  /** Unix seconds from the transaction's block; null when the source did not carry it (gRPC). */
  blockTime: number | null;
  /** Position of the transaction in its block when the source knows it (getBlock), else null. */
  txIndex: number | null;
  /**
   * Where the swap instruction sits: "outer.inner". `outer` is the 0-based index of the
   * top-level instruction; `inner` is 0 for the top-level instruction itself and k (1-based)
   * for the k-th entry of its inner-instruction list.
   */
  ixPath: string;
  /** Short venue name from the registry (e.g. "pumpfun", "raydium-amm-v4", "unknown"). */
  venue: string;
  /** The swap program that moved the pool's tokens. */
  programId: string;
  /** Pool / market / bonding curve account, when the venue exposes one. */
  pool: string | null;
  /** The wallet whose funds moved: the signer behind a router, the DCA owner, the order maker. */
  trader: string;
  /** Of the base (non-quote) token: buy = trader paid quote and received base. */
  side: Side;
  baseMint: string;
  baseAmount: bigint;
  baseDecimals: number;
  quoteMint: string;
  quoteAmount: bigint;
  quoteDecimals: number;
  /** Lamports of SOL on the quote side when the quote is SOL/WSOL, else null. */
  solAmount: bigint | null;
  /** Aggregator or router the swap came through (e.g. "jupiter-v6", "okx"), or null. */
  router: string | null;
  /** Bot platform or router the trade came through (Photon, BullX, Jupiter …), or null. */
  platform: string | null;
  /** A Jupiter DCA (recurring) fill, credited to the order's owner. */
  isDca: boolean;
  /** A Jupiter limit-order fill, credited to the order's maker. */
  isLimitOrder: boolean;
  /** Fee reported by the venue for this leg (raw units of feeMint), when it reports one. */
  fee: bigint | null;
  feeMint: string | null;
  /** Transaction fee in lamports (base + priority). */
  txFee: number;
  /** Compute-unit price in micro-lamports, 0 when none was set. */
  priorityFee: number;
  /** Lamports sent to Jito tip accounts in this transaction. */
  jitoTip: number;
  /** First signer (fee payer) of the transaction. */
  signer: string;
}

export const WSOL_MINT = 'So11111111111111111111111111111111111111112';

/**
 * The JSON form used by `decode --json` and any program reading solflow output: the Trade with
 * every u64 (bigint) field as a decimal string, so no amount passes through a float.
 */
export type TradeJson = {
  [K in keyof Trade]: Trade[K] extends bigint ? string : Trade[K] extends bigint | null ? string | null : Trade[K];
};

export function tradeToJson(t: Trade): TradeJson {
  return {
    ...t,
    baseAmount: t.baseAmount.toString(),
    quoteAmount: t.quoteAmount.toString(),
    solAmount: t.solAmount === null ? null : t.solAmount.toString(),
    fee: t.fee === null ? null : t.fee.toString(),
  };
}

export function tradeFromJson(j: TradeJson): Trade {
  return {
    ...j,
    baseAmount: BigInt(j.baseAmount),
    quoteAmount: BigInt(j.quoteAmount),
    solAmount: j.solAmount === null ? null : BigInt(j.solAmount),
    fee: j.fee === null || j.fee === undefined ? null : BigInt(j.fee),
  };
}

/**
 * Total order of trades: (slot, position in block, instruction path). The flow engine compares
 * every trade it accepts with this, so it allocates nothing on the paths the decoder produces.
 */
export function compareTrades(a: Trade, b: Trade): number {
  const sa = a.slot ?? -1;
  const sb = b.slot ?? -1;
  if (sa !== sb) return sa - sb;
  const ia = a.txIndex ?? -1;
  const ib = b.txIndex ?? -1;
  if (ia !== ib) return ia - ib;
  if (a.signature !== b.signature) return a.signature < b.signature ? -1 : 1;
  if (a.ixPath === b.ixPath) return 0;
  return compareIxPath(a.ixPath, b.ixPath);
}

const IX_BITS = 2 ** 21;

/** "outer.inner" as one number (outer * 2^21 + inner), or -1 when it is not two small decimals. */
export function ixKey(p: string): number {
  let outer = 0;
  let inner = 0;
  let dot = -1;
  for (let i = 0; i < p.length; i++) {
    const c = p.charCodeAt(i);
    if (c === 46 && dot < 0) dot = i;
    else if (c < 48 || c > 57) return -1;
    else if (dot < 0) outer = outer * 10 + (c - 48);
    else inner = inner * 10 + (c - 48);
  }
  return dot <= 0 || dot === p.length - 1 || outer >= IX_BITS || inner >= IX_BITS ? -1 : outer * IX_BITS + inner;
}

/** Instruction paths by outer index, then inner index (see Trade.ixPath). */
export function compareIxPath(a: string, b: string): number {
  const ka = ixKey(a);
  const kb = ixKey(b);
  if (ka >= 0 && kb >= 0) return ka - kb;
  // Anything unusual (never produced by the decoder) is compared field by field.
  const [ao, ai] = a.split('.').map(Number);
  const [bo, bi] = b.split('.').map(Number);
  return ao - bo || ai - bi;
}
