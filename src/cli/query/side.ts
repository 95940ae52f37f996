/**
 * The side of a stored leg as people read it. A leg between two quote assets (SOL ↔ USDC, USDC ↔
 * USDT) has no token whose point of view "buy" or "sell" could take: "sell EPjF…Dt1v" for a
 * wallet that sold SOL for USDC reads backwards. Such a leg is shown as the conversion it is,
 * gave → got ("SOL→USDC"); every other leg keeps buy/sell of its token. JSON and CSV keep the
 * stored side.
 */
import { isQuoteMint } from '../../core/quote-mints.js';
import type { Side } from '../../core/trade.js';
import { mintLabel } from '../format.js';

export function sideCell(t: { side: Side; baseMint: string; quoteMint: string }): string {
  if (!isQuoteMint(t.baseMint) || !isQuoteMint(t.quoteMint)) return t.side;
  const [gave, got] = t.side === 'buy' ? [t.quoteMint, t.baseMint] : [t.baseMint, t.quoteMint];
  return `${mintLabel(gave)}→${mintLabel(got)}`;
}
