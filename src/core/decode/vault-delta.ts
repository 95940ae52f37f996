/**
 * The generic swap decoder: from the tokens a pool's vaults receive and send under one swap
 * instruction. It decodes the closed prop AMMs (HumidiFi, SolFi, Tessera, …), every
 * transfer-based AMM (Raydium, Orca, Meteora DLMM/DAMM, Lifinity, Phoenix, …) and any unknown
 * program that clearly swaps.
 *
 * A swap is: the trader side pays mint X to the pool side and the pool side pays mint Y ≠ X
 * back. The trader side is found by ownership (a signer, or a known router authority); failing
 * that, the payer of the first transfer. Amounts are what the pool itself took and gave: per
 * mint, the movements between the trader and the counterparty that took (or gave) the most, so
 * a side payment to a fee or referral account does not inflate the leg.
 */
import type { ProgramLabel } from '../labels.js';
import type { Leg, DecodeContext } from './context.js';
import type { Movement } from './movements.js';
import type { Ix } from './txview.js';

interface FlowSummary {
  actor: string;
  inMint: string;
  inAmount: bigint;
  inCounterparty: string;
  outMint: string;
  outAmount: bigint;
  outCounterparty: string;
}

function isUserSide(ctx: DecodeContext, owner: string): boolean {
  return ctx.view.signerSet.has(owner) || ctx.labels.routerAuthorities.has(owner);
}

type IsActor = (owner: string) => boolean;

/** Largest per-counterparty sum of one mint in one direction relative to the actor side. */
function largestGroup(moves: Movement[], isActor: IsActor, mint: string, paying: boolean): { amount: bigint; counterparty: string } {
  const sums = new Map<string, bigint>();
  for (const m of moves) {
    if (m.mint !== mint) continue;
    const fromActor = isActor(m.fromOwner);
    const toActor = isActor(m.toOwner);
    if (paying && fromActor && !toActor) sums.set(m.toOwner, (sums.get(m.toOwner) ?? 0n) + m.received);
    else if (!paying && toActor && !fromActor) sums.set(m.fromOwner, (sums.get(m.fromOwner) ?? 0n) + m.amount);
  }
  let best = { amount: 0n, counterparty: '' };
  for (const [cp, amount] of sums) if (amount > best.amount) best = { amount, counterparty: cp };
  return best;
}

function summarizeFor(moves: Movement[], isActor: IsActor, actor: string): FlowSummary | null {
  // Net per mint from the actor side's point of view: positive = actor paid.
  const net = new Map<string, bigint>();
  for (const m of moves) {
    const fromActor = isActor(m.fromOwner);
    const toActor = isActor(m.toOwner);
    if (fromActor && !toActor) net.set(m.mint, (net.get(m.mint) ?? 0n) + m.amount);
    else if (toActor && !fromActor) net.set(m.mint, (net.get(m.mint) ?? 0n) - m.amount);
  }
  let inMint = '';
  let inNet = 0n;
  let outMint = '';
  let outNet = 0n;
  for (const [mint, v] of net) {
    if (v > inNet) {
      inNet = v;
      inMint = mint;
    } else if (-v > outNet) {
      outNet = -v;
      outMint = mint;
    }
  }
  if (!inMint || !outMint || inMint === outMint) return null;
  const paid = largestGroup(moves, isActor, inMint, true);
  const got = largestGroup(moves, isActor, outMint, false);
  if (paid.amount === 0n || got.amount === 0n) return null;
  return {
    actor,
    inMint,
    inAmount: paid.amount,
    inCounterparty: paid.counterparty,
    outMint,
    outAmount: got.amount,
    outCounterparty: got.counterparty,
  };
}

/**
 * Pool-centric reading, for when the trader side is not one recognisable owner (paid from one
 * account, paid out to another wallet): the first transfer pays the pool; the pool's payment of
 * another mint is the other leg.
 */
function summarizeByPool(moves: Movement[], first: Movement): FlowSummary | null {
  const pool = first.toOwner;
  const payer = first.fromOwner;
  let inAmount = 0n;
  const outs = new Map<string, { amount: bigint; to: string }>();
  for (const m of moves) {
    if (m.mint === first.mint && m.toOwner === pool && m.fromOwner !== pool) inAmount += m.received;
    else if (m.fromOwner === pool && m.mint !== first.mint && m.toOwner !== pool) {
      const cur = outs.get(m.mint) ?? { amount: 0n, to: m.toOwner };
      cur.amount += m.amount;
      outs.set(m.mint, cur);
    }
  }
  let best: { mint: string; amount: bigint } | null = null;
  for (const [mint, o] of outs) if (!best || o.amount > best.amount) best = { mint, amount: o.amount };
  if (!best || inAmount === 0n) return null;
  return { actor: payer, inMint: first.mint, inAmount, inCounterparty: pool, outMint: best.mint, outAmount: best.amount, outCounterparty: pool };
}

/** Who acted for the trader among these movements, and what flowed. */
function summarizeSwap(ctx: DecodeContext, moves: Movement[]): FlowSummary | null {
  if (moves.length < 2) return null;
  let mintsDiffer = false;
  for (let i = 1; i < moves.length; i++) if (moves[i].mint !== moves[0].mint) mintsDiffer = true;
  if (!mintsDiffer) return null;
  // The trader side may span a signer and a router authority (paid in by one, out to the other).
  const userSide: IsActor = (o) => isUserSide(ctx, o);
  let actor: string | null = null;
  for (const m of moves) {
    if (ctx.view.signerSet.has(m.fromOwner)) { actor = m.fromOwner; break; }
    if (ctx.view.signerSet.has(m.toOwner)) { actor = m.toOwner; break; }
  }
  if (!actor) {
    for (const m of moves) {
      if (isUserSide(ctx, m.fromOwner)) { actor = m.fromOwner; break; }
      if (isUserSide(ctx, m.toOwner)) { actor = m.toOwner; break; }
    }
  }
  if (actor) {
    const s = summarizeFor(moves, userSide, actor);
    if (s) return s;
  }
  for (const m of moves) {
    const shared = ctx.sharedOwners.has(m.fromOwner) ? m.fromOwner : ctx.sharedOwners.has(m.toOwner) ? m.toOwner : null;
    if (!shared) continue;
    const s = summarizeFor(moves, (o) => o === shared, shared);
    if (s) return s;
    break;
  }
  // Behind an unknown router PDA: the payer of the first transfer is the trader side.
  const first = moves[0].fromOwner;
  const s = summarizeFor(moves, (o) => o === first, first);
  if (s) return s;
  const firstPaid = moves.find((m) => userSide(m.fromOwner)) ?? moves[0];
  return summarizeByPool(moves, firstPaid);
}

/**
 * The swap legs of one instruction read from the movements beneath it, or null. A labelled pool
 * program names the venue and where its pool account sits; an unlabelled one counts only when
 * it clearly swaps.
 */
export function decodeByVaultDelta(ctx: DecodeContext, ix: Ix, moves: Movement[], label: ProgramLabel | undefined): Leg[] | null {
  const s = summarizeSwap(ctx, moves);
  if (!s) return null;
  const poolIndex = label?.pool;
  const leg: Leg = {
    ix,
    venue: label?.name ?? 'unknown',
    programId: ix.programId,
    pool: poolIndex !== undefined && ix.accounts[poolIndex] ? ix.accounts[poolIndex] : s.outCounterparty || null,
    actor: s.actor,
    inMint: s.inMint,
    inAmount: s.inAmount,
    outMint: s.outMint,
    outAmount: s.outAmount,
  };
  if (!label) return clearlySwaps(ctx, leg, s) ? [leg] : null;
  return splitChainedPools(ctx, leg, s, moves);
}

/**
 * An unlabelled program counts as a swap only when one counterparty both took the input and
 * paid the output (a pool), and neither side is an NFT: a marketplace sale pays the seller
 * and hands over the NFT from an escrow.
 */
function clearlySwaps(ctx: DecodeContext, leg: Leg, s: FlowSummary): boolean {
  if (!s.inCounterparty || s.inCounterparty !== s.outCounterparty) return false;
  for (const [mint, amount] of [[leg.inMint, leg.inAmount], [leg.outMint, leg.outAmount]] as const) {
    if (amount === 1n && (ctx.view.mintDecimals.get(mint) ?? 0) === 0) return false;
  }
  return true;
}

/**
 * One instruction that trades through two pools (Orca two_hop_swap and its kind) pays the first
 * pool's output straight into the second pool: each pool is its own leg.
 */
function splitChainedPools(ctx: DecodeContext, leg: Leg, s: FlowSummary, moves: Movement[]): Leg[] {
  const took = s.inCounterparty;
  const paid = s.outCounterparty;
  if (!took || !paid || took === paid) return [leg];
  let middle: Movement | null = null;
  for (const m of moves) {
    if (m.fromOwner === took && m.toOwner === paid && m.mint !== leg.inMint && m.mint !== leg.outMint) {
      if (!middle || m.amount > middle.amount) middle = m;
    }
  }
  if (!middle) return [leg];
  return [
    { ...leg, pool: took, outMint: middle.mint, outAmount: middle.amount },
    // The second leg is identified by the transfer between the pools (one key per leg).
    { ...leg, pool: paid, inMint: middle.mint, inAmount: middle.received, anchor: ctx.view.ixs[middle.ixId] },
  ];
}
