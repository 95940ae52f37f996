/**
 * Jupiter DCA (recurring) and limit-order fills. A keeper signs the fill and routes the swap
 * through Jupiter; the order's owner is the trader. A fill the decoder can read becomes one
 * trade credited to the owner (DCA `FilledEvent.user_key`, the order's `maker`) in place of the
 * keeper's route legs; a fill it cannot read keeps those legs, so a fill never vanishes.
 *
 * Programs report a fill in different ways over their versions: an Anchor self-CPI event, a
 * `Program data:` log line (limit orders v1), or only the token transfers (order vault → keeper,
 * keeper → maker). All three are read, in that order.
 */
import { ByteReader } from '../borsh.js';
import type { DecodeContext, Leg } from '../context.js';
import { eventsOf, ixDisc, readEvent, TRADE_EVENT } from '../events.js';
import type { Ix } from '../txview.js';

const DCA_PROGRAM = 'DCA265Vj8a9CEuX1eb1LWRnDT7uK6q1xMipnNyatn23M';
const DCA_FILLED = '8604113fdd2db1ad';
const LIMIT_V2 = 'j1o2qRpjcyUwEvwtcfhEQefh773ZgjxcVRry7LDqg5X';
const LIMIT_V1 = 'jupoNjAxXgZ4rjzxzPMP4oxduvQsQtZzyknqvzYNrNu';
const FLASH_FILL_ORDER = 'fc681286a44e128c';
const PRE_FLASH_FILL_ORDER = 'f02f99440dbee12a';

interface Fill {
  /** The instruction that completes the fill (its route runs before it). */
  ix: Ix;
  owner: string;
  inMint: string;
  outMint: string;
  /** 0n when the transaction does not say. */
  inAmount: bigint;
  outAmount: bigint;
  fee: bigint | null;
  feeMint: string | null;
  kind: 'dca' | 'limit';
  venue: string;
}

/** The program's own instructions (not its self-CPI event records). */
function programIxs(ctx: DecodeContext, programId: string): Ix[] {
  return ctx.view.ixs.filter((ix) => ix.programId === programId && ix.data !== null && readEvent(ix) === null);
}

function dcaFills(ctx: DecodeContext): Fill[] {
  const fills: Fill[] = [];
  for (const ix of programIxs(ctx, DCA_PROGRAM)) {
    for (const ev of eventsOf(ctx.view, ix)) {
      if (ev.disc !== DCA_FILLED || ev.body.length < 32 * 4 + 16) continue;
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
      fills.push({ ix, owner, inMint, inAmount, outMint, outAmount, fee, feeMint, kind: 'dca', venue: 'jupiter-dca' });
    }
  }
  return fills;
}

/** TradeEvent: order, taker, remaining in, remaining out, then what this fill moved. */
function limitEventAmounts(ctx: DecodeContext, ix: Ix): { inAmount: bigint; outAmount: bigint } | null {
  for (const ev of eventsOf(ctx.view, ix)) {
    if (ev.disc !== TRADE_EVENT || ev.body.length < 32 + 32 + 8 * 4) continue;
    const r = new ByteReader(ev.body);
    r.skip(32 + 32 + 8 + 8);
    const inAmount = r.u64(); // making amount: the maker's input spent
    const outAmount = r.u64(); // taking amount: what the maker received
    return { inAmount, outAmount };
  }
  return null;
}

/**
 * Without an event: the order's vault pays the keeper the input (under pre_flash_fill_order,
 * or the fill itself) and the keeper pays the maker the output (under flash_fill_order).
 */
function limitTransferAmounts(ctx: DecodeContext, fill: Ix, pre: Ix | null, maker: string, inMint: string, outMint: string): { inAmount: bigint; outAmount: bigint } {
  const keeper = ctx.view.feePayer;
  let inAmount = 0n;
  let outAmount = 0n;
  for (const root of pre ? [pre, fill] : [fill]) {
    for (const id of descendants(ctx, root)) {
      const m = ctx.movements.get(id);
      if (!m) continue;
      if (m.mint === inMint && m.fromOwner !== keeper && m.fromOwner !== maker && m.toOwner !== maker) inAmount += m.amount;
      if (m.mint === outMint && m.toOwner === maker && m.fromOwner !== maker) outAmount += m.received;
    }
  }
  return { inAmount, outAmount };
}

/** Ids of the instructions `root` invoked, directly or not. */
function descendants(ctx: DecodeContext, root: Ix): number[] {
  const out: number[] = [];
  const stack = [...root.children];
  while (stack.length > 0) {
    const id = stack.pop()!;
    out.push(id);
    // Children always come later in execution order, so this visits each instruction once.
    for (const c of ctx.view.ixs[id].children) if (c > id) stack.push(c);
  }
  return out;
}

function limitFills(ctx: DecodeContext): Fill[] {
  const fills: Fill[] = [];
  let pre: Ix | null = null;
  for (const ix of ctx.view.ixs) {
    if ((ix.programId !== LIMIT_V2 && ix.programId !== LIMIT_V1) || ix.data === null) continue;
    const disc = ixDisc(ix);
    if (disc === PRE_FLASH_FILL_ORDER) {
      pre = ix;
      continue;
    }
    if (disc !== FLASH_FILL_ORDER) continue;
    const v2 = ix.programId === LIMIT_V2;
    // v1 names both mints in the fill; v2 names the input mint in pre_flash_fill_order only.
    const maker = ix.accounts[v2 ? 1 : 2];
    const inMint = v2 ? (pre?.programId === LIMIT_V2 ? pre.accounts[4] : undefined) : ix.accounts[9];
    const outMint = ix.accounts[v2 ? 8 : 11];
    const matchingPre = pre?.programId === ix.programId ? pre : null;
    pre = null;
    if (!maker || !inMint || !outMint) continue;
    const amounts = limitEventAmounts(ctx, ix) ?? limitTransferAmounts(ctx, ix, matchingPre, maker, inMint, outMint);
    fills.push({ ix, owner: maker, inMint, outMint, ...amounts, fee: null, feeMint: null, kind: 'limit', venue: v2 ? 'jupiter-limit-v2' : 'jupiter-limit-v1' });
  }
  return fills;
}

function readable(f: Fill): boolean {
  return f.inAmount > 0n && f.outAmount > 0n && f.inMint !== f.outMint;
}

/**
 * Replace a keeper's route legs with one trade per fill, credited to the order's owner. A route
 * belongs to the fill that completes after it (the legs between the previous fill and this one).
 * With one route leg the trade keeps that leg's pool and venue; a multi-hop route has no single
 * pool, so the trade sits at the fill instruction.
 */
export function applyJupiterOrders(ctx: DecodeContext, legs: Leg[]): Leg[] {
  let present = false;
  for (const ix of ctx.view.ixs) {
    if (ix.programId === DCA_PROGRAM || ix.programId === LIMIT_V2 || ix.programId === LIMIT_V1) present = true;
  }
  if (!present) return legs;
  const fills = [...dcaFills(ctx), ...limitFills(ctx)].sort((a, b) => a.ix.id - b.ix.id);
  if (fills.length === 0) return legs;
  const out: Leg[] = [];
  let next = 0;
  for (const f of fills) {
    const route: Leg[] = [];
    while (next < legs.length && legs[next].ix.id < f.ix.id) route.push(legs[next++]);
    if (!readable(f)) {
      out.push(...route);
      continue;
    }
    const hop = route.length === 1 ? route[0] : null;
    out.push({
      ix: hop ? hop.ix : f.ix,
      venue: hop ? hop.venue : f.venue,
      programId: hop ? hop.programId : f.ix.programId,
      pool: hop ? hop.pool : null,
      actor: f.owner,
      traderOverride: f.owner,
      inMint: f.inMint,
      inAmount: f.inAmount,
      outMint: f.outMint,
      outAmount: f.outAmount,
      fee: f.fee,
      feeMint: f.feeMint,
      isDca: f.kind === 'dca',
      isLimitOrder: f.kind === 'limit',
    });
  }
  out.push(...legs.slice(next));
  return out.sort((a, b) => a.ix.id - b.ix.id);
}
