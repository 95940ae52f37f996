/**
 * Transaction-level facts added to every trade: the router the swap came through, the
 * trading-bot platform (by its router program, or by its fee wallet receiving SOL), and Jito tips.
 */
import type { Trade } from '../trade.js';
import type { DecodeContext, Leg } from './context.js';
import type { Ix } from './txview.js';

export function annotate(ctx: DecodeContext, trades: Trade[], legs: Leg[]): void {
  if (trades.length === 0) return;
  const { view, labels } = ctx;
  /** The platform whose fee wallet `wallet` was when the transaction ran (never a signer). */
  const feeWalletOf = (wallet: string | null | undefined): string | null => {
    const fw = wallet && !view.signerSet.has(wallet) ? labels.feeWallets.get(wallet) : undefined;
    const t = view.blockTime;
    return fw && (t === null || (t >= fw.from && t < fw.until)) ? fw.platform : null;
  };
  let jitoTip = 0;
  let feePlatform: string | null = null;
  for (const [acct, delta] of view.lamportDelta) {
    if (delta <= 0) continue;
    if (labels.jitoTipAccounts.has(acct)) jitoTip += delta;
    feePlatform ??= feeWalletOf(acct);
  }
  // BullX and BonkBot also take fees in tokens.
  for (const [acct, delta] of view.tokenDelta) {
    if (feePlatform) break;
    if (delta > 0n) feePlatform = feeWalletOf(view.tokenAccounts.get(acct)?.owner);
  }
  for (let i = 0; i < trades.length; i++) {
    const t = trades[i];
    let router: string | null = null;
    let programPlatform: string | null = null;
    let routerPlatform: string | null = null;
    for (let p = legs[i].ix.parent; p >= 0; p = view.ixs[p].parent) {
      const label = labels.programs.get(view.ixs[p].programId);
      if (!label) continue;
      if (label.kind === 'router' && !router) {
        router = label.name;
        routerPlatform = label.platform ?? label.name;
      } else if (label.kind === 'platform' && !programPlatform) {
        programPlatform = label.platform ?? label.name;
      }
    }
    // A router invoked as a separate top-level instruction (e.g. a bot's wrapper) is not an
    // ancestor; the outer instruction's program still tells which platform sent the swap.
    if (!programPlatform) {
      const outer = outerIx(view.ixs, legs[i].ix.outer);
      const label = outer ? labels.programs.get(outer.programId) : undefined;
      if (label?.kind === 'platform') programPlatform = label.platform ?? label.name;
    }
    if (legs[i].isDca && !router) router = 'jupiter-dca';
    if (legs[i].isLimitOrder && !router) router = 'jupiter-limit';
    t.router = router;
    t.platform = programPlatform ?? feePlatform ?? routerPlatform;
    t.jitoTip = jitoTip;
  }
}

/** The top-level instruction `outer` (a loop, not a closure per trade). */
function outerIx(ixs: readonly Ix[], outer: number): Ix | undefined {
  for (const x of ixs) if (x.inner === 0 && x.outer === outer) return x;
  return undefined;
}
