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
import type { Leg, DecodeContext } from './context.js';
import type { Movement } from './movements.js';
import type { Ix } from './txview.js';

export interface FlowSummary {
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

/** Largest per-counterparty sum of one mint in one direction relative to `actor`. */
function largestGroup(moves: Movement[], actor: string, mint: string, paying: boolean): { amount: bigint; counterparty: string } {
  const sums = new Map<string, bigint>();
  for (const m of moves) {
    if (m.mint !== mint) continue;
    if (paying && m.fromOwner === actor && m.toOwner !== actor) {
      sums.set(m.toOwner, (sums.get(m.toOwner) ?? 0n) + m.amount);
    } else if (!paying && m.toOwner === actor && m.fromOwner !== actor) {
      sums.set(m.fromOwner, (sums.get(m.fromOwner) ?? 0n) + m.amount);
    }
  }
  let best = { amount: 0n, counterparty: '' };
  for (const [cp, amount] of sums) if (amount > best.amount) best = { amount, counterparty: cp };
  return best;
}

function summarizeFor(moves: Movement[], actor: string): FlowSummary | null {
  // Net per mint from the actor's point of view: positive = actor paid.
  const net = new Map<string, bigint>();
  for (const m of moves) {
    if (m.fromOwner === actor && m.toOwner !== actor) net.set(m.mint, (net.get(m.mint) ?? 0n) + m.amount);
    else if (m.toOwner === actor && m.fromOwner !== actor) net.set(m.mint, (net.get(m.mint) ?? 0n) - m.amount);
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
  const paid = largestGroup(moves, actor, inMint, true);
  const got = largestGroup(moves, actor, outMint, false);
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

/** Who acted for the trader among these movements, and what flowed. */
export function summarizeSwap(ctx: DecodeContext, moves: Movement[]): FlowSummary | null {
  if (moves.length < 2) return null;
  let mintsDiffer = false;
  for (let i = 1; i < moves.length; i++) if (moves[i].mint !== moves[0].mint) mintsDiffer = true;
  if (!mintsDiffer) return null;
  const tried = new Set<string>();
  for (const m of moves) {
    for (const owner of [m.fromOwner, m.toOwner]) {
      if (tried.has(owner) || !isUserSide(ctx, owner)) continue;
      tried.add(owner);
      const s = summarizeFor(moves, owner);
      if (s) return s;
    }
  }
  // Behind an unknown router PDA: the payer of the first transfer is the trader side.
  const first = moves[0].fromOwner;
  if (!tried.has(first)) return summarizeFor(moves, first);
  return null;
}

export function decodeByVaultDelta(
  ctx: DecodeContext,
  ix: Ix,
  moves: Movement[],
  venue: string,
  poolIndex: number | undefined,
): Leg | null {
  const s = summarizeSwap(ctx, moves);
  if (!s) return null;
  const pool = poolIndex !== undefined && ix.accounts[poolIndex] ? ix.accounts[poolIndex] : s.outCounterparty || null;
  return {
    ix,
    venue,
    programId: ix.programId,
    pool,
    actor: s.actor,
    inMint: s.inMint,
    inAmount: s.inAmount,
    outMint: s.outMint,
    outAmount: s.outAmount,
  };
}
