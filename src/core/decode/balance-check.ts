/**
 * Cross-check decoded trades against what the transaction's own balances say happened to each
 * trader: per mint, the net of the trader's legs (intermediate hops of a route cancel out)
 * against the change of the trader's token accounts, with native SOL and WSOL as one asset.
 *
 * Token amounts must agree exactly (or within a small fee share for fee-on-transfer tokens
 * and routers that take their fee in the token). SOL must agree within what a swap legitimately
 * adds around the pool's amount: the transaction fee, account rent, tips, and venue and
 * platform fees.
 */
import { WSOL_MINT, type Trade } from '../trade.js';
import { buildTxView } from './txview.js';
import type { RawTransaction } from './rawtx.js';

export interface BalanceMismatch {
  trader: string;
  mint: string;
  expected: bigint;
  actual: bigint;
}

export interface BalanceCheckOptions {
  /** Allowed relative difference for non-SOL tokens (router/transfer fees). Default 0.02. */
  tokenTolerance?: number;
  /** Allowed relative difference for SOL on top of fees and rent (venue/platform fees). Default 0.03. */
  solTolerance?: number;
}

const RENT_TOKEN_ACCOUNT = 2_039_280n;

function abs(v: bigint): bigint {
  return v < 0n ? -v : v;
}

export function checkTradesAgainstBalances(
  raw: RawTransaction,
  trades: Trade[],
  options: BalanceCheckOptions = {},
): BalanceMismatch[] {
  const tokenTol = options.tokenTolerance ?? 0.02;
  const solTol = options.solTolerance ?? 0.03;
  const view = buildTxView(raw);
  const expected = new Map<string, Map<string, bigint>>();
  for (const t of trades) {
    if (t.isDca || t.isLimitOrder) continue; // the owner's funds sit in the order's vaults
    const m = expected.get(t.trader) ?? new Map<string, bigint>();
    const buy = t.side === 'buy';
    const add = (mint: string, v: bigint) => m.set(mint, (m.get(mint) ?? 0n) + v);
    add(t.baseMint, buy ? t.baseAmount : -t.baseAmount);
    add(t.quoteMint, buy ? -t.quoteAmount : t.quoteAmount);
    expected.set(t.trader, m);
  }
  // Accounts created in this transaction cost rent that the trader may or may not get back.
  let created = 0n;
  for (const ix of view.ixs) {
    if (ix.parsed?.type === 'createAccount' || ix.parsed?.type === 'create' || ix.parsed?.type === 'createIdempotent') created++;
    else if (ix.programId === 'ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL' && !ix.parsed) created++;
  }
  const mismatches: BalanceMismatch[] = [];
  for (const [trader, mints] of expected) {
    for (const [mint, exp] of mints) {
      if (exp === 0n) continue;
      let actual = 0n;
      for (const [acct, delta] of view.tokenDelta) {
        const info = view.tokenAccounts.get(acct);
        if (info && info.owner === trader && info.mint === mint) actual += delta;
      }
      if (mint === WSOL_MINT) {
        let lamports = BigInt(view.lamportDelta.get(trader) ?? 0);
        if (trader === view.feePayer) lamports += BigInt(view.fee);
        actual += lamports;
        const slack = BigInt(Math.ceil(Number(abs(exp)) * solTol)) + (created + 2n) * RENT_TOKEN_ACCOUNT + 5_000_000n;
        if (abs(actual - exp) > slack) mismatches.push({ trader, mint, expected: exp, actual });
      } else {
        const slack = BigInt(Math.ceil(Number(abs(exp)) * tokenTol));
        if (abs(actual - exp) > slack) mismatches.push({ trader, mint, expected: exp, actual });
      }
    }
  }
  return mismatches;
}
