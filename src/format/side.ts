/**
 * The side of a stored leg as people read it. A leg between two quote assets (SOL ↔ USDC, USDC ↔
 * USDT) has no token whose point of view "buy" or "sell" could take: "sell EPjF…Dt1v" for a
 * wallet that sold SOL for USDC reads backwards. Such a leg is shown as the conversion it is,
 * gave → got ("SOL→USDC"); every other leg keeps buy/sell of its token. JSON and CSV keep the
 * stored side. The query tables, decode and the watch screen all print sides through here.
 */
import { isQuoteMint } from '../core/quote-mints.js';
import type { Side } from '../core/trade.js';
import { mintLabel } from './text.js';

export interface Leg {
  side: Side;
  baseMint: string;
  quoteMint: string;
}

/** "SOL→USDC" for a leg between two quote assets, null for a leg that trades a token. */
export function conversionText(t: Leg): string | null {
  if (!isQuoteMint(t.baseMint) || !isQuoteMint(t.quoteMint)) return null;
  const [gave, got] = t.side === 'buy' ? [t.quoteMint, t.baseMint] : [t.baseMint, t.quoteMint];
  return `${mintLabel(gave)}→${mintLabel(got)}`;
}

/** buy / sell of the token, or the conversion a quote ↔ quote leg is. */
export function sideText(t: Leg): string {
  return conversionText(t) ?? t.side;
}
