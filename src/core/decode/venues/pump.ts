/**
 * Pump.fun bonding curve and PumpSwap AMM: both emit exact trade events (self-CPI), so amounts
 * come from the events, never from the instruction's slippage limits.
 */
import { WSOL_MINT } from '../../trade.js';
import { ByteReader } from '../borsh.js';
import { sidedLeg, type DecodeContext, type Leg } from '../context.js';
import { eventsOf, ixDisc, TRADE_EVENT } from '../events.js';
import type { Ix } from '../txview.js';

const PUMP_POST_COMPLETE_BUY = '6fb06d8b316cd5fb';
const AMM_BUY_EVENT = '67f4521f2cf57777';
const AMM_SELL_EVENT = '3e2f370aa503dc2a';

/** Bonding-curve account position by instruction generation. */
const CURVE_INDEX: Record<string, number> = {
  '66063d1201daebea': 3, // buy
  '33e685a4017f83ad': 3, // sell
  '38fc74089edfcd5f': 3, // buy_exact_sol_in
  b817ee6167c5d33d: 10, // buy_v2
  '5df6823ce7e940b2': 10, // sell_v2
  c2ab1c46684d5b2f: 10, // buy_exact_quote_in_v2
  '07051dc4f5176550': 5, // buy_v3
  e1f7501ed5b38488: 5, // buy_exact_quote_in_v3
  '1c92de7726c469d5': 5, // sell_v3
};

interface PumpTrade {
  mint: string;
  solAmount: bigint;
  tokenAmount: bigint;
  isBuy: boolean;
  user: string;
  fee: bigint | null;
  quoteMint: string | null;
  quoteAmount: bigint | null;
}

function readPumpTrade(body: Uint8Array): PumpTrade {
  const r = new ByteReader(body);
  const t: PumpTrade = {
    mint: r.pubkey(),
    solAmount: r.u64(),
    tokenAmount: r.u64(),
    isBuy: r.bool(),
    user: r.pubkey(),
    fee: null,
    quoteMint: null,
    quoteAmount: null,
  };
  // timestamp, virtual/real reserves
  if (r.remaining() >= 8 * 5 + 32 + 16) {
    r.skip(8 * 5);
    r.skip(32); // fee_recipient
    r.u64(); // fee_basis_points
    t.fee = r.u64();
    if (r.remaining() >= 32 + 16) {
      r.skip(32); // creator
      r.u64();
      const creatorFee = r.u64();
      t.fee += creatorFee;
    }
  }
  // Quote-paired coins (v2 instructions) name their quote mint far down the tail; read it only
  // when every field before it is present.
  try {
    if (r.remaining() >= 1 + 32 + 8 && r.remaining() > 33) {
      r.skip(1 + 8 * 4); // track_volume, unclaimed, claimed, current volume, last update
      const nameLen = r.u32();
      if (nameLen < 64) {
        r.skip(nameLen);
        r.skip(1 + 8 * 4); // mayhem, cashback bps/amount, buyback bps/amount
        const holders = r.u32();
        if (holders < 64) {
          r.skip(34 * holders);
          t.quoteMint = r.pubkey();
          t.quoteAmount = r.u64();
        }
      }
    }
  } catch {
    t.quoteMint = null;
    t.quoteAmount = null;
  }
  return t;
}

export function decodePumpfun(ctx: DecodeContext, ix: Ix, venue: string): Leg[] | null {
  const events = eventsOf(ctx.view, ix);
  const trades = events.filter((e) => e.disc === TRADE_EVENT);
  if (trades.length === 0) return null;
  const curveIdx = CURVE_INDEX[ixDisc(ix)];
  const legs: Leg[] = [];
  for (const ev of trades) {
    const t = readPumpTrade(ev.body);
    let quoteMint = WSOL_MINT;
    let quoteAmount = t.solAmount;
    if (t.quoteMint && t.quoteMint !== WSOL_MINT && ctx.view.mintDecimals.has(t.quoteMint) && t.quoteAmount !== null) {
      quoteMint = t.quoteMint;
      quoteAmount = t.quoteAmount;
    }
    let baseAmount = t.tokenAmount;
    // A buy that completes the curve continues in the migrated pool; it is still one swap.
    for (const pc of events) {
      if (pc.disc !== PUMP_POST_COMPLETE_BUY || !t.isBuy) continue;
      const r = new ByteReader(pc.body);
      r.skip(32 * 4 + 8);
      baseAmount += r.u64();
      quoteAmount += r.u64();
    }
    legs.push(
      sidedLeg(ix, {
        anchor: legs.length > 0 ? ev.ix : undefined,
        venue,
        pool: curveIdx !== undefined ? (ix.accounts[curveIdx] ?? null) : null,
        actor: t.user,
        isBuy: t.isBuy,
        base: t.mint,
        baseAmount,
        quote: quoteMint,
        quoteAmount,
        fee: t.fee,
      }),
    );
  }
  return legs;
}

export function decodePumpswap(ctx: DecodeContext, ix: Ix, venue: string): Leg[] | null {
  const events = eventsOf(ctx.view, ix).filter((e) => e.disc === AMM_BUY_EVENT || e.disc === AMM_SELL_EVENT);
  if (events.length === 0) return null;
  const baseMint = ix.accounts[3];
  const quoteMint = ix.accounts[4];
  if (!baseMint || !quoteMint) return null;
  const legs: Leg[] = [];
  for (const ev of events) {
    const r = new ByteReader(ev.body);
    r.skip(8); // timestamp
    const baseAmount = r.u64();
    r.skip(8 * 5); // slippage limit, user and pool reserves
    r.skip(8); // quote_amount_in / quote_amount_out before the LP fee: the vault saw the figure below
    r.skip(8); // lp fee bps
    const lpFee = r.u64();
    r.skip(8);
    const protocolFee = r.u64();
    const quoteWithLp = r.u64(); // buy: amount into the quote vault; sell: out of it
    r.skip(8); // user_quote_amount
    const pool = r.pubkey();
    const user = r.pubkey();
    const isBuy = ev.disc === AMM_BUY_EVENT;
    legs.push(
      sidedLeg(ix, {
        anchor: legs.length > 0 ? ev.ix : undefined,
        venue,
        pool,
        actor: user,
        isBuy,
        base: baseMint,
        baseAmount,
        quote: quoteMint,
        quoteAmount: quoteWithLp,
        fee: lpFee + protocolFee,
      }),
    );
  }
  return legs;
}
