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
import { u64At } from './borsh.js';
import { buildTxView, ixBytes, ixPath, type TxView } from './txview.js';
import { extractMovements, SYSTEM_PROGRAM } from './movements.js';
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

/**
 * Lamports a wallet spent around its swaps rather than in them: rent for accounts it created,
 * and SOL sent outside any pool instruction (tips, platform fees, priority "bribes").
 */
function sidePayments(view: TxView, tradedPaths: Set<string>): Map<string, bigint> {
  const out = new Map<string, bigint>();
  const add = (who: string, v: bigint) => out.set(who, (out.get(who) ?? 0n) + v);
  for (const m of extractMovements(view).values()) {
    if (!m.native) continue;
    let traded = false;
    for (let p = m.ixId; p >= 0 && !traded; p = view.ixs[p].parent) traded = tradedPaths.has(ixPath(view.ixs[p]));
    if (!traded) add(m.fromOwner, m.amount);
  }
  for (const ix of view.ixs) {
    if (ix.programId !== SYSTEM_PROGRAM) continue;
    if (ix.parsed?.type === 'createAccount' || ix.parsed?.type === 'createAccountWithSeed') {
      add(String(ix.parsed.info.source), BigInt(String(ix.parsed.info.lamports)));
    } else if (!ix.parsed && ix.data) {
      const b = ixBytes(ix);
      if (b.length >= 12 && b[0] === 0 && b[1] === 0 && b[2] === 0 && b[3] === 0) {
        add(ix.accounts[0], u64At(b, 4));
      }
    }
  }
  return out;
}

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
  const gross = new Map<string, bigint>();
  for (const t of trades) {
    if (t.isDca || t.isLimitOrder) continue; // the owner's funds sit in the order's vaults
    const m = expected.get(t.trader) ?? new Map<string, bigint>();
    const buy = t.side === 'buy';
    const add = (mint: string, v: bigint) => {
      m.set(mint, (m.get(mint) ?? 0n) + v);
      gross.set(`${t.trader}:${mint}`, (gross.get(`${t.trader}:${mint}`) ?? 0n) + abs(v));
    };
    add(t.baseMint, buy ? t.baseAmount : -t.baseAmount);
    add(t.quoteMint, buy ? -t.quoteAmount : t.quoteAmount);
    expected.set(t.trader, m);
  }
  const sidePaid = sidePayments(view, new Set(trades.map((t) => t.ixPath)));
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
        const slack = BigInt(Math.ceil(Number(abs(exp)) * solTol)) + (sidePaid.get(trader) ?? 0n) + 2n * RENT_TOKEN_ACCOUNT;
        if (abs(actual - exp) > slack) mismatches.push({ trader, mint, expected: exp, actual });
      } else {
        // Token-2022 transfer fees are withheld from what the receiver gets.
        const tol = view.token2022Mints.has(mint) ? Math.max(tokenTol, 0.1) : tokenTol;
        // Relative to everything that moved: a route's hops cancel to a small net.
        const slack = BigInt(Math.ceil(Number(gross.get(`${trader}:${mint}`) ?? abs(exp)) * tol));
        if (abs(actual - exp) > slack) mismatches.push({ trader, mint, expected: exp, actual });
      }
    }
  }
  return mismatches;
}
