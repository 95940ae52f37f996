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
import { base58Encode } from './base58.js';
import { legToTrade, type DecodeContext, type Leg } from './context.js';
import { extractMovements, type Movement } from './movements.js';
import { buildTxView, ixBytes, type Ix, type TxView } from './txview.js';
import { decodeByVaultDelta } from './vault-delta.js';
import { VENUE_DECODERS } from './venues/index.js';
import { applyJupiterOrders } from './venues/jupiter-orders.js';
import { annotate } from './annotate.js';
import type { RawTransaction } from './rawtx.js';

export type { RawTransaction } from './rawtx.js';
export { MalformedTransactionError } from './txview.js';

export interface DecodeOptions {
  labels?: Labels;
}

const COMPUTE_BUDGET = 'ComputeBudget111111111111111111111111111111';

export function decodeTransaction(raw: RawTransaction, options: DecodeOptions = {}): Trade[] {
  const labels = options.labels ?? defaultLabels;
  const view = buildTxView(raw);
  const meta = raw.meta!;
  if (meta.err !== null && meta.err !== undefined) return [];
  if (!mayHoldSwap(view, labels)) return [];
  readComputeUnitPrice(view, raw);
  const ctx: DecodeContext = { view, labels, movements: extractMovements(view, base58Encode) };
  const legs = walk(ctx);
  const finalLegs = applyJupiterOrders(ctx, legs);
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

function walk(ctx: DecodeContext): Leg[] {
  const { view, labels, movements } = ctx;
  const n = view.ixs.length;
  const pending: Array<Movement[] | null> = new Array(n).fill(null);
  const swapBelow = new Uint8Array(n);
  const legsAt: Array<Leg[] | null> = new Array(n).fill(null);

  for (let i = n - 1; i >= 0; i--) {
    const ix = view.ixs[i];
    let moves: Movement[] = [];
    const own = movements.get(i);
    if (own) moves.push(own);
    let below = 0;
    for (const c of ix.children) {
      const cm = pending[c];
      if (cm && cm.length) moves = moves.length ? moves.concat(cm) : cm.slice();
      below |= swapBelow[c];
      pending[c] = null;
    }
    if (moves.length > 1) moves.sort((a, b) => a.ixId - b.ixId);

    const label = labels.programs.get(ix.programId);
    let legs: Leg[] | null = null;
    if (!label) {
      // An unknown program that routes to known pools is a router, not a swap of its own.
      if (!below && moves.length >= 2) {
        const leg = decodeByVaultDelta(ctx, ix, moves, 'unknown', undefined);
        if (leg) legs = [leg];
      }
    } else if (label.kind === 'dex') {
      const special = label.decoder ? VENUE_DECODERS[label.decoder] : undefined;
      if (special) legs = special(ctx, ix, moves);
      if (legs === null && moves.length >= 2) {
        const leg = decodeByVaultDelta(ctx, ix, moves, label.name, label.pool);
        if (leg) legs = [leg];
      } else if (legs !== null) {
        for (const l of legs) if (!l.venue) l.venue = label.name;
      }
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

function readComputeUnitPrice(view: TxView, raw: RawTransaction): void {
  for (const ix of view.ixs) {
    if (ix.programId !== COMPUTE_BUDGET || ix.inner !== 0) continue;
    const b = ixBytes(ix);
    if (b[0] === 3 && b.length >= 9) {
      let v = 0;
      for (let k = 8; k >= 1; k--) v = v * 256 + b[k];
      view.computeUnitPrice = v;
    }
  }
  // v1 messages carry it inline.
  const msg = (raw.transaction as { message?: { transactionConfig?: Record<string, unknown> | null } }).message;
  const cfg = msg?.transactionConfig;
  if (cfg && typeof cfg === 'object') {
    const p = cfg.priorityFee ?? cfg.computeUnitPrice ?? cfg.priority_fee;
    if (typeof p === 'number') view.computeUnitPrice = p;
    else if (typeof p === 'string' && /^\d+$/.test(p)) view.computeUnitPrice = Number(p);
  }
}

export type { Ix };
