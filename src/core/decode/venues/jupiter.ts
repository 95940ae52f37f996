/**
 * Jupiter v6 routes. Each hop is decoded at its own pool by the walk; Jupiter's per-hop
 * `SwapEvent` describes the same hops, so it is used only for a hop the walk could not read
 * (a stake-pool or perps hop that mints instead of transferring): never a second report of a
 * hop, never the route's total.
 */
import { ByteReader } from '../borsh.js';
import type { DecodeContext, Leg } from '../context.js';
import { readEvent } from '../events.js';

const JUPITER_V6 = 'JUP6LkbZbjS1jKKwapdHNy74zcZ3tLUZoi5QNyVTaV4';
const SWAP_EVENT = '40c6cde8260871e2';

export function fillJupiterHops(ctx: DecodeContext, legs: Leg[]): Leg[] {
  const { view, labels } = ctx;
  const added: Leg[] = [];
  for (const route of view.ixs) {
    if (route.programId !== JUPITER_V6 || route.children.length === 0) continue;
    // A hop is everything between one SwapEvent and the next (an order-book hop places and
    // settles in two instructions).
    let segmentStart = -1;
    let prevHop = -1;
    for (const c of route.children) {
      const child = view.ixs[c];
      const ev = child.programId === JUPITER_V6 ? readEvent(child) : null;
      if (!ev) {
        if (segmentStart < 0) segmentStart = c;
        prevHop = c;
        continue;
      }
      const start = segmentStart;
      segmentStart = -1;
      if (ev.disc !== SWAP_EVENT || prevHop < 0 || start < 0) continue;
      const hop = view.ixs[prevHop];
      if (legs.some((l) => l.ix.id >= start && l.ix.id < c)) continue;
      const r = new ByteReader(ev.body);
      const amm = r.pubkey();
      const inMint = r.pubkey();
      const inAmount = r.u64();
      const outMint = r.pubkey();
      const outAmount = r.u64();
      if (inAmount === 0n || outAmount === 0n || inMint === outMint) continue;
      const label = labels.programs.get(amm);
      added.push({
        ix: hop,
        venue: label?.name ?? 'unknown',
        programId: amm,
        pool: label?.pool !== undefined ? (hop.accounts[label.pool] ?? null) : null,
        actor: view.feePayer,
        inMint,
        inAmount,
        outMint,
        outAmount,
      });
    }
  }
  if (added.length === 0) return legs;
  return [...legs, ...added].sort((a, b) => a.ix.id - b.ix.id);
}
