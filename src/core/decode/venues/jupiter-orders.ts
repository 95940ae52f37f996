/**
 * Jupiter DCA (recurring) and limit-order fills. A keeper signs the fill and routes the swap
 * through Jupiter; the order's owner is the trader. The fill becomes one trade credited to the
 * owner (DCA `FilledEvent.user_key`, the order's `maker`), and the keeper's route legs are not
 * reported as trades of their own.
 */
import { ByteReader } from '../borsh.js';
import type { DecodeContext, Leg } from '../context.js';
import { childEvents, ixDisc, programEvents, TRADE_EVENT } from '../events.js';
import type { Ix } from '../txview.js';

const DCA_PROGRAM = 'DCA265Vj8a9CEuX1eb1LWRnDT7uK6q1xMipnNyatn23M';
const DCA_FILLED = '8604113fdd2db1ad';
const LIMIT_V2 = 'j1o2qRpjcyUwEvwtcfhEQefh773ZgjxcVRry7LDqg5X';
const LIMIT_V1 = 'jupoNjAxXgZ4rjzxzPMP4oxduvQsQtZzyknqvzYNrNu';
const FLASH_FILL_ORDER = 'fc681286a44e128c';
const PRE_FLASH_FILL_ORDER = 'f02f99440dbee12a';

interface Fill {
  ix: Ix;
  owner: string;
  inMint: string;
  inAmount: bigint;
  outMint: string;
  outAmount: bigint;
  fee: bigint | null;
  feeMint: string | null;
  kind: 'dca' | 'limit';
  venue: string;
}

function dcaFills(ctx: DecodeContext): Fill[] {
  const fills: Fill[] = [];
  for (const ev of programEvents(ctx.view, DCA_PROGRAM)) {
    if (ev.disc !== DCA_FILLED) continue;
    const r = new ByteReader(ev.body);
    const owner = r.pubkey();
    r.skip(32); // dca account
    const inMint = r.pubkey();
    const outMint = r.pubkey();
    const inAmount = r.u64();
    const outAmount = r.u64();
    let fee: bigint | null = null;
    let feeMint: string | null = null;
    if (r.remaining() >= 40) {
      feeMint = r.pubkey();
      fee = r.u64();
    }
    const parent = ctx.view.ixs[ev.ix.parent] ?? ev.ix;
    fills.push({ ix: parent, owner, inMint, inAmount, outMint, outAmount, fee, feeMint, kind: 'dca', venue: 'jupiter-dca' });
  }
  return fills;
}

function limitFills(ctx: DecodeContext): Fill[] {
  const fills: Fill[] = [];
  const { view } = ctx;
  let pendingInputMint: string | null = null;
  for (const ix of view.ixs) {
    if (ix.programId !== LIMIT_V2 && ix.programId !== LIMIT_V1) continue;
    if (ix.data === null) continue;
    const disc = ixDisc(ix);
    if (disc === PRE_FLASH_FILL_ORDER && ix.programId === LIMIT_V2) {
      pendingInputMint = ix.accounts[4] ?? null;
      continue;
    }
    if (disc !== FLASH_FILL_ORDER) continue;
    const v2 = ix.programId === LIMIT_V2;
    const maker = ix.accounts[v2 ? 1 : 2];
    const inMint = v2 ? pendingInputMint : ix.accounts[9];
    const outMint = ix.accounts[v2 ? 8 : 11];
    if (!maker || !inMint || !outMint) continue;
    let inAmount = 0n;
    let outAmount = 0n;
    for (const ev of childEvents(view, ix)) {
      if (ev.disc !== TRADE_EVENT) continue;
      const r = new ByteReader(ev.body);
      r.skip(32 + 32 + 8 + 8);
      inAmount = r.u64(); // making amount: the maker's input spent
      outAmount = r.u64(); // taking amount: what the maker received
    }
    fills.push({ ix, owner: maker, inMint, inAmount, outMint, outAmount, fee: null, feeMint: null, kind: 'limit', venue: v2 ? 'jupiter-limit-v2' : 'jupiter-limit-v1' });
    pendingInputMint = null;
  }
  return fills;
}

/** Replace a keeper's route legs with one trade per fill, credited to the order's owner. */
export function applyJupiterOrders(ctx: DecodeContext, legs: Leg[]): Leg[] {
  const progs = new Set<string>();
  for (const ix of ctx.view.ixs) progs.add(ix.programId);
  if (!progs.has(DCA_PROGRAM) && !progs.has(LIMIT_V2) && !progs.has(LIMIT_V1)) return legs;
  const fills = [...dcaFills(ctx), ...limitFills(ctx)];
  if (fills.length === 0) return legs;
  // Every swap in a fill transaction is the keeper's route for the fill: the fill replaces them.
  const kept: Leg[] = [];
  for (const f of fills) {
    const hop = legs.length === 1 ? legs[0] : null;
    // Without an event amount (v1 limit orders log theirs), the single route leg is the fill.
    const inAmount = f.inAmount > 0n ? f.inAmount : hop && hop.inMint === f.inMint ? hop.inAmount : 0n;
    const outAmount = f.outAmount > 0n ? f.outAmount : hop && hop.outMint === f.outMint ? hop.outAmount : 0n;
    if (inAmount === 0n || outAmount === 0n) continue;
    kept.push({
      ix: hop ? hop.ix : f.ix,
      venue: hop ? hop.venue : f.venue,
      programId: hop ? hop.programId : f.ix.programId,
      pool: hop ? hop.pool : null,
      actor: f.owner,
      traderOverride: f.owner,
      inMint: f.inMint,
      inAmount,
      outMint: f.outMint,
      outAmount,
      fee: f.fee,
      feeMint: f.feeMint,
      isDca: f.kind === 'dca',
      isLimitOrder: f.kind === 'limit',
    });
  }
  kept.sort((a, b) => a.ix.id - b.ix.id);
  return kept;
}
