/**
 * decodeTransaction: a getTransaction-shaped object in, every swap in it out. Pure: no I/O,
 * no clock, no shared state.
 *
 * Walk: instructions are visited children-first. Each swap instruction of a pool program
 * consumes the token movements beneath it, so an enclosing router (Jupiter, OKX, a bot
 * program) never sees them again and a route's total is never reported as an extra trade.
 * Programs that emit exact trade events are decoded from the events; every other pool program
 * — and any unknown program that clearly swaps — from the tokens its vaults sent and received.
 */
import { defaultLabels, type Labels } from '../labels.js';
import type { Trade } from '../trade.js';
import { legToTrade, type DecodeContext, type Leg } from './context.js';
import { extractMovements, type Movement } from './movements.js';
import { buildTxView, type Ix, type TxView } from './txview.js';
import { decodeByVaultDelta } from './vault-delta.js';
import { VENUE_DECODERS } from './venues/index.js';
import { applyJupiterOrders } from './venues/jupiter-orders.js';
import { fillJupiterHops } from './venues/jupiter.js';
import { annotate } from './annotate.js';
import type { RawTransaction } from './rawtx.js';

export type { RawTransaction } from './rawtx.js';
export { firstSignature } from './rawtx.js';
export { MalformedTransactionError } from './txview.js';

export interface DecodeOptions {
  labels?: Labels;
}

export function decodeTransaction(raw: RawTransaction, options: DecodeOptions = {}): Trade[] {
  const labels = options.labels ?? defaultLabels;
  const view = buildTxView(raw);
  const meta = raw.meta!;
  if (meta.err !== null && meta.err !== undefined) return [];
  if (!mayHoldSwap(view, labels)) return [];
  const movements = extractMovements(view);
  const ctx: DecodeContext = { view, labels, movements, sharedOwners: findSharedOwners(view, labels, movements) };
  const legs = walk(ctx);
  const finalLegs = applyJupiterOrders(ctx, fillJupiterHops(ctx, legs));
  const trades = finalLegs.map((leg) => legToTrade(ctx, leg));
  annotate(ctx, trades, finalLegs);
  return trades;
}

/** Vote, transfer and other infrastructure-only transactions hold no swap: skip the work. */
function mayHoldSwap(view: TxView, labels: Labels): boolean {
  for (const ix of view.ixs) {
    const label = labels.programs.get(ix.programId);
    if (!label || label.kind !== 'infra') return true;
  }
  return false;
}

const NO_MOVES: Movement[] = [];

function walk(ctx: DecodeContext): Leg[] {
  const { view, labels, movements } = ctx;
  const n = view.ixs.length;
  const pending: Array<Movement[] | null> = new Array(n).fill(null);
  const swapBelow = new Uint8Array(n);
  const legsAt: Array<Leg[] | null> = new Array(n).fill(null);

  for (let i = n - 1; i >= 0; i--) {
    const ix = view.ixs[i];
    const own = movements.get(i);
    // Move lists are passed up, not copied: most instructions hold the shared empty NO_MOVES, and
    // the only list ever sorted in place is one this instruction built or took over from a child.
    let moves: Movement[] = own ? [own] : NO_MOVES;
    pairSplitSwaps(ctx, ix, pending, legsAt, swapBelow);
    let below = 0;
    for (const c of ix.children) {
      const cm = pending[c];
      // A child's list is handed up whole (its slot is cleared below), so it can be taken as is.
      if (cm && cm.length) moves = moves.length ? moves.concat(cm) : cm;
      below |= swapBelow[c];
      pending[c] = null;
    }
    if (!inIxOrder(moves)) moves.sort((a, b) => a.ixId - b.ixId);

    const label = labels.programs.get(ix.programId);
    let legs: Leg[] | null = null;
    if (!label) {
      // An unknown program that routes to known pools is a router, not a swap of its own.
      if (!below) legs = decodeByVaultDelta(ctx, ix, moves, undefined);
    } else if (label.kind === 'dex') {
      const special = label.decoder ? VENUE_DECODERS[label.decoder] : undefined;
      if (special) legs = special(ctx, ix, label.name);
      legs ??= decodeByVaultDelta(ctx, ix, moves, label);
    }
    if (legs && legs.length > 0) {
      legsAt[i] = legs;
      pending[i] = null;
      swapBelow[i] = 1;
    } else {
      pending[i] = moves;
      swapBelow[i] = below;
    }
  }
  const out: Leg[] = [];
  for (let i = 0; i < n; i++) if (legsAt[i]) out.push(...legsAt[i]!);
  return out;
}

/**
 * Own movement, then each child's in child order, is nearly always execution order already;
 * checking is cheaper than the sort's copy (the sort is stable, so skipping it changes nothing).
 */
function inIxOrder(moves: Movement[]): boolean {
  for (let k = 1; k < moves.length; k++) if (moves[k - 1].ixId > moves[k].ixId) return false;
  return true;
}

function findSharedOwners(view: TxView, labels: Labels, movements: Map<number, Movement>): Set<string> {
  const seen = new Map<string, number>();
  const shared = new Set<string>();
  for (const m of movements.values()) {
    // nearest enclosing pool (or unknown) program
    let p = view.ixs[m.ixId].parent;
    while (p >= 0) {
      const label = labels.programs.get(view.ixs[p].programId);
      if (!label || label.kind === 'dex') break;
      p = view.ixs[p].parent;
    }
    if (p < 0) continue;
    noteOwner(seen, shared, m.fromOwner, p);
    noteOwner(seen, shared, m.toOwner, p);
  }
  return shared;
}

/** Record that `owner` moved tokens under swap instruction `p`; a second instruction makes it shared. */
function noteOwner(seen: Map<string, number>, shared: Set<string>, owner: string, p: number): void {
  const at = seen.get(owner);
  if (at === undefined) seen.set(owner, p);
  else if (at !== p) shared.add(owner);
}

/**
 * Order-book venues reached through a router place the order in one instruction and settle in
 * the next (OpenBook/Serum new_order + settle_funds): neither moves both tokens alone. Two
 * adjacent calls of the same pool program, together a swap, are one leg.
 */
function pairSplitSwaps(
  ctx: DecodeContext,
  parent: Ix,
  pending: Array<Movement[] | null>,
  legsAt: Array<Leg[] | null>,
  swapBelow: Uint8Array,
): void {
  const kids = parent.children;
  for (let k = 0; k + 1 < kids.length; k++) {
    const a = kids[k];
    const b = kids[k + 1];
    const ia = ctx.view.ixs[a];
    if (ia.programId !== ctx.view.ixs[b].programId || legsAt[a] || legsAt[b]) continue;
    const label = ctx.labels.programs.get(ia.programId);
    if (!label || label.kind !== 'dex') continue;
    const pa = pending[a];
    const pb = pending[b];
    if (!pa?.length || !pb?.length) continue;
    const legs = decodeByVaultDelta(ctx, ia, pa.concat(pb), label);
    if (!legs) continue;
    legsAt[a] = legs;
    pending[a] = null;
    pending[b] = null;
    swapBelow[a] = 1;
    k++;
  }
}
