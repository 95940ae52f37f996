/**
 * What every venue decoder gets: the normalised transaction, the labels, the movements, and the
 * one place that turns "trader paid X, received Y at pool P" into a Trade (base/quote, side,
 * trader attribution).
 */
import type { Labels } from '../labels.js';
import { WSOL_MINT, type Trade } from '../trade.js';
import { MalformedTransactionError } from './errors.js';
import type { Movement } from './movements.js';
import { ixPath, type Ix, type TxView } from './txview.js';

export interface DecodeContext {
  view: TxView;
  labels: Labels;
  movements: Map<number, Movement>;
  /**
   * Owners whose tokens move under two or more different swap instructions: a route's holder
   * (the trader or its router PDA) takes part in every hop, while each pool's vault owner
   * shows up in its own hop only.
   */
  sharedOwners: Set<string>;
}

/** A swap as a venue decoder sees it, before orientation into base/quote. */
export interface Leg {
  ix: Ix;
  /** Instruction that names this leg when one instruction holds several (defaults to `ix`). */
  anchor?: Ix;
  venue: string;
  programId: string;
  pool: string | null;
  /** The account that acted for the trader in the instruction (may be a router PDA). */
  actor: string;
  inMint: string;
  inAmount: bigint;
  outMint: string;
  outAmount: bigint;
  fee?: bigint | null;
  feeMint?: string | null;
  /** Set when the venue names the real owner (DCA user, order maker). */
  traderOverride?: string;
  isDca?: boolean;
  isLimitOrder?: boolean;
}

/** A venue's own report of a buy or sell of `base` against `quote`, as a leg. */
export function sidedLeg(
  ix: Ix,
  r: {
    venue: string;
    pool: string | null;
    actor: string;
    isBuy: boolean;
    base: string;
    baseAmount: bigint;
    quote: string;
    quoteAmount: bigint;
    fee?: bigint | null;
    anchor?: Ix;
  },
): Leg {
  return {
    ix,
    anchor: r.anchor,
    venue: r.venue,
    programId: ix.programId,
    pool: r.pool,
    actor: r.actor,
    inMint: r.isBuy ? r.quote : r.base,
    inAmount: r.isBuy ? r.quoteAmount : r.baseAmount,
    outMint: r.isBuy ? r.base : r.quote,
    outAmount: r.isBuy ? r.baseAmount : r.quoteAmount,
    fee: r.fee ?? null,
    feeMint: r.fee != null ? r.quote : null,
  };
}

/**
 * The wallet whose funds moved. A signer acting directly is the trader; behind a router
 * authority or PDA it is the signer whose balances moved in the leg's mints (in a bundle each
 * leg belongs to its own payer), else the fee payer.
 */
function resolveTrader(ctx: DecodeContext, actor: string, inMint: string, outMint: string): string {
  const { view } = ctx;
  if (view.signerSet.has(actor)) return actor;
  if (view.signers.length === 1) return view.signers[0];
  for (const s of view.signers) {
    if (signerMoved(view, s, inMint, -1) || signerMoved(view, s, outMint, 1)) return s;
  }
  return view.feePayer;
}

function signerMoved(view: TxView, signer: string, mint: string, direction: 1 | -1): boolean {
  if (mint === WSOL_MINT) {
    const d = view.lamportDelta.get(signer) ?? 0;
    // A fee payer always loses lamports; only count more than fees and rent.
    if (direction === -1 ? d < -(view.fee + 2_100_000) : d > 0) return true;
  }
  for (const [acct, delta] of view.tokenDelta) {
    const info = view.tokenAccounts.get(acct);
    if (info && info.owner === signer && info.mint === mint && (direction === 1 ? delta > 0n : delta < 0n)) return true;
  }
  return false;
}

function decimalsOf(ctx: DecodeContext, mint: string): number {
  return ctx.view.mintDecimals.get(mint) ?? 0;
}

const U64_LIMIT = 1n << 64n;

/**
 * Venues add u64 fields of their events (fee parts, a curve's completion top-up); on chain the
 * sums fit a u64, so one that does not comes from a damaged payload.
 */
function checkU64(leg: Leg): void {
  checkAmount(leg, 'in', leg.inAmount);
  checkAmount(leg, 'out', leg.outAmount);
  checkAmount(leg, 'fee', leg.fee ?? 0n);
}

function checkAmount(leg: Leg, name: string, v: bigint): void {
  if (v < 0n || v >= U64_LIMIT) {
    throw new MalformedTransactionError(`${leg.venue} leg at ${ixPath(leg.anchor ?? leg.ix)}: ${name} amount ${v} is not a u64 (damaged event payload)`);
  }
}

/** Orient a leg: quote is the higher-ranked quote mint; neither on the list → received token is base. */
export function legToTrade(ctx: DecodeContext, leg: Leg): Trade {
  checkU64(leg);
  const { view, labels } = ctx;
  const rIn = labels.quoteRank.get(leg.inMint) ?? Infinity;
  const rOut = labels.quoteRank.get(leg.outMint) ?? Infinity;
  // Trader paid quote and received base → buy.
  const isBuy = rIn < rOut || (rIn === Infinity && rOut === Infinity);
  const baseMint = isBuy ? leg.outMint : leg.inMint;
  const baseAmount = isBuy ? leg.outAmount : leg.inAmount;
  const quoteMint = isBuy ? leg.inMint : leg.outMint;
  const quoteAmount = isBuy ? leg.inAmount : leg.outAmount;
  const trader = leg.traderOverride ?? resolveTrader(ctx, leg.actor, leg.inMint, leg.outMint);
  return {
    signature: view.signature,
    slot: view.slot,
    blockTime: view.blockTime,
    txIndex: view.txIndex,
    ixPath: ixPath(leg.anchor ?? leg.ix),
    venue: leg.venue,
    programId: leg.programId,
    pool: leg.pool,
    trader,
    side: isBuy ? 'buy' : 'sell',
    baseMint,
    baseAmount,
    baseDecimals: decimalsOf(ctx, baseMint),
    quoteMint,
    quoteAmount,
    quoteDecimals: decimalsOf(ctx, quoteMint),
    solAmount: quoteMint === WSOL_MINT ? quoteAmount : null,
    router: null,
    platform: null,
    isDca: leg.isDca ?? false,
    isLimitOrder: leg.isLimitOrder ?? false,
    fee: leg.fee ?? null,
    feeMint: leg.fee != null ? (leg.feeMint ?? null) : null,
    txFee: view.fee,
    priorityFee: view.computeUnitPrice,
    jitoTip: 0,
    signer: view.feePayer,
  };
}
