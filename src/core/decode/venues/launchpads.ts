/**
 * Launchpad bonding curves that report each trade in an event: Raydium LaunchLab, Meteora DBC,
 * Moonit and Boop. Curves often pay SOL out by debiting their own lamports (no transfer to
 * see), so the event is the only exact record of a sell.
 */
import { ByteReader } from '../borsh.js';
import { sidedLeg, type DecodeContext, type Leg } from '../context.js';
import { eventsOf, TRADE_EVENT } from '../events.js';
import type { Ix } from '../txview.js';
import { WSOL_MINT } from '../../trade.js';

/** LaunchLab: mints are accounts 9 (base) and 10 (quote), the pool is account 4. */
export function decodeLaunchlab(ctx: DecodeContext, ix: Ix, venue: string): Leg[] | null {
  const ev = eventsOf(ctx.view, ix).find((e) => e.disc === TRADE_EVENT);
  const base = ix.accounts[9];
  const quote = ix.accounts[10];
  if (!ev || !base || !quote) return null;
  const r = new ByteReader(ev.body);
  const pool = r.pubkey();
  r.skip(8 * 7);
  const amountIn = r.u64();
  const amountOut = r.u64();
  const protocolFee = r.u64();
  const platformFee = r.u64();
  // 131-byte events predate creator_fee; direction sits at 128 there, 136 after.
  const len = ev.body.length;
  const creatorFee = len >= 139 ? r.u64() : 0n;
  const dirOffset = len >= 139 ? 136 : 128;
  const isBuy = ev.body[dirOffset] === 0;
  return [
    sidedLeg(ix, {
      venue,
      pool,
      actor: ix.accounts[0],
      isBuy,
      base,
      baseAmount: isBuy ? amountOut : amountIn,
      quote,
      quoteAmount: isBuy ? amountIn : amountOut,
      fee: protocolFee + platformFee + creatorFee,
    }),
  ];
}

const DBC_SWAP = '1b3c15d58aaabb93';
const DBC_SWAP2 = 'bd4233a826507599';

/** Meteora DBC: one swap may emit both EvtSwap and EvtSwap2; it is still one trade. */
export function decodeMeteoraDbc(ctx: DecodeContext, ix: Ix, venue: string): Leg[] | null {
  const events = eventsOf(ctx.view, ix);
  const ev2 = events.find((e) => e.disc === DBC_SWAP2);
  const ev1 = events.find((e) => e.disc === DBC_SWAP);
  const base = ix.accounts[7];
  const quote = ix.accounts[8];
  if ((!ev2 && !ev1) || !base || !quote) return null;
  let pool: string;
  let dir: number;
  let inAmount: bigint;
  let outAmount: bigint;
  if (ev2) {
    const r = new ByteReader(ev2.body);
    pool = r.pubkey();
    r.skip(32);
    dir = r.u8();
    r.skip(1 + 8 + 8 + 1);
    inAmount = r.u64(); // included_fee_input_amount
    r.skip(8 + 8);
    outAmount = r.u64();
  } else {
    const r = new ByteReader(ev1!.body);
    pool = r.pubkey();
    r.skip(32);
    dir = r.u8();
    r.skip(1 + 8 + 8);
    inAmount = r.u64(); // actual_input_amount
    outAmount = r.u64();
  }
  const isBuy = dir === 1; // QuoteToBase
  return [
    sidedLeg(ix, {
      venue,
      pool,
      actor: ix.accounts[9] ?? ctx.view.feePayer,
      isBuy,
      base,
      baseAmount: isBuy ? outAmount : inAmount,
      quote,
      quoteAmount: isBuy ? inAmount : outAmount,
    }),
  ];
}

/** Moonit: TradeEvent (logged) with the token amount, SOL to the curve and the sender. */
export function decodeMoonit(ctx: DecodeContext, ix: Ix, venue: string): Leg[] | null {
  const ev = eventsOf(ctx.view, ix).find((e) => e.disc === TRADE_EVENT);
  const mint = ix.accounts[6];
  if (!ev || !mint) return null;
  const r = new ByteReader(ev.body);
  const tokens = r.u64();
  const collateral = r.u64();
  const dexFee = r.u64();
  const helioFee = r.u64();
  r.skip(8);
  const curve = r.pubkey();
  const costToken = r.pubkey();
  const sender = r.pubkey();
  const isBuy = r.u8() === 0;
  const quote = costToken === '11111111111111111111111111111111' ? WSOL_MINT : costToken;
  return [
    sidedLeg(ix, { venue, pool: curve, actor: sender, isBuy, base: mint, baseAmount: tokens, quote, quoteAmount: collateral, fee: dexFee + helioFee }),
  ];
}

const BOOP_BOUGHT = '4759de7cd7c0e68a';
const BOOP_SOLD = 'ccefb64df1334d42';

/** Boop: TokenBought/TokenSold events; the curve's SOL side is amount plus the swap fee on sells. */
export function decodeBoop(ctx: DecodeContext, ix: Ix, venue: string): Leg[] | null {
  const ev = eventsOf(ctx.view, ix).find((e) => e.disc === BOOP_BOUGHT || e.disc === BOOP_SOLD);
  if (!ev) return null;
  const r = new ByteReader(ev.body);
  const mint = r.pubkey();
  const amountIn = r.u64();
  const amountOut = r.u64();
  const fee = r.u64();
  const user = r.pubkey();
  const isBuy = ev.disc === BOOP_BOUGHT;
  return [
    sidedLeg(ix, {
      venue,
      pool: ix.accounts[1] ?? null,
      actor: user,
      isBuy,
      base: mint,
      baseAmount: isBuy ? amountOut : amountIn,
      quote: WSOL_MINT,
      // What the curve paid out on a sell: the seller's SOL plus the fee it sent to the fee vault.
      quoteAmount: isBuy ? amountIn : amountOut + fee,
      fee,
    }),
  ];
}
