/**
 * Totals per quote asset: realized and unrealized kept apart, win rate over fully closed
 * positions only (REFERENCE E: Birdeye counts only fully realized tokens), and the PnL
 * distribution GMGN popularised.
 */
import type { PnlBucket, Position, QuoteTotals } from './types.js';

/**
 * Buckets over a closed position's ROI (realized / cost). "0–2x" means up to doubling the
 * money (ROI 0 … +100%), "2–5x" ends at five times it (+400%). Lower bounds are inclusive.
 */
const PNL_BUCKETS: ReadonlyArray<{ label: string; minRoi: number }> = [
  { label: '<-50%', minRoi: -Infinity },
  { label: '-50–0%', minRoi: -0.5 },
  { label: '0–2x', minRoi: 0 },
  { label: '2–5x', minRoi: 1 },
  { label: '>5x', minRoi: 4 },
];

function bucketOf(roi: number): string {
  let label = PNL_BUCKETS[0].label;
  for (const b of PNL_BUCKETS) if (roi >= b.minRoi) label = b.label;
  return label;
}

export function totalsByQuote(positions: readonly Position[]): QuoteTotals[] {
  const byQuote = new Map<string, QuoteTotals>();
  for (const p of positions) {
    let t = byQuote.get(p.quoteMint);
    if (!t) {
      t = {
        quoteMint: p.quoteMint,
        quoteDecimals: p.quoteDecimals,
        positions: 0,
        cost: 0n,
        proceeds: 0n,
        realized: 0n,
        unrealized: 0n,
        unpricedPositions: 0,
        openPositions: 0,
        closedPositions: 0,
        wins: 0,
        winRate: null,
        noBuyPositions: 0,
        distribution: PNL_BUCKETS.map((b): PnlBucket => ({ label: b.label, count: 0 })),
      };
      byQuote.set(p.quoteMint, t);
    }
    t.positions++;
    t.cost += p.cost;
    t.proceeds += p.proceeds;
    t.realized += p.realized;
    if (p.unrealized === null) t.unpricedPositions++;
    else t.unrealized += p.unrealized;
    if (p.status === 'no-buy') t.noBuyPositions++;
    else if (p.status === 'open') t.openPositions++;
    else {
      t.closedPositions++;
      if (p.realized > 0n) t.wins++;
      const roi = p.realizedRoi ?? 0;
      t.distribution.find((b) => b.label === bucketOf(roi))!.count++;
    }
  }
  for (const t of byQuote.values()) t.winRate = t.closedPositions > 0 ? t.wins / t.closedPositions : null;
  return [...byQuote.values()].sort((a, b) => b.positions - a.positions || (a.quoteMint < b.quoteMint ? -1 : 1));
}
