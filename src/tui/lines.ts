/**
 * Off a terminal, no screen: one line per trade and never an escape code. `plainLine` is for
 * people reading logs (full keys so they can be grepped); `ndjsonLine` is the `decode --json`
 * record (tradeToJson, the one serializer) with the stored flags after it.
 */
import type { ClassifiedTrade } from '../core/flow/types.js';
import { tradeToJson } from '../core/trade.js';
import { flagsOf, flagsText } from './flags.js';
import { amountText } from './text.js';
import { sideText } from '../format/side.js';
import { isoTime } from '../format/text.js';

/** time venue side token amount unit trader signature ixPath [flags…]; side is `SOL→USDC` for a quote ↔ quote leg. */
export function plainLine(t: ClassifiedTrade, symbolOf?: (mint: string) => string | null): string {
  const token = symbolOf?.(t.baseMint) ?? t.baseMint;
  // Selected: the reasons are wanted in a log line, there is no cursor to ask for them.
  const flags = flagsText(flagsOf(t, true));
  return `${isoTime(t.blockTime)} ${t.venue} ${sideText(t)} ${token} ${amountText(t)} ${t.trader} ${t.signature} ${t.ixPath}${flags ? ' ' + flags : ''}`;
}

export function ndjsonLine(t: ClassifiedTrade): string {
  // tradeToJson spreads the trade, so the classified fields would ride along in whatever order
  // they were added; set them explicitly after the decode fields instead.
  const { isBot: _b, botReasons: _r, ...decoded } = tradeToJson(t) as ReturnType<typeof tradeToJson> & Partial<ClassifiedTrade>;
  return JSON.stringify({ ...decoded, isBot: t.isBot, botReasons: t.botReasons });
}
