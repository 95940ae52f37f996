/** The flags column: what the flow engine and the decoder said about a trade, in words. */
import type { ClassifiedTrade } from '../core/flow/types.js';

export type FlagKind = 'bot' | 'sandwich' | 'dca' | 'limit' | 'via';
export interface Flag {
  kind: FlagKind;
  text: string;
}

/** Platform names as their makers write them; others get a capital first letter. */
const PLATFORM_NAMES: Record<string, string> = {
  bullx: 'BullX',
  bonkbot: 'BONKbot',
  okx: 'OKX',
  apepro: 'ApePro',
  'banana-gun': 'Banana Gun',
  lifi: 'LI.FI',
  notarb: 'NotArb',
};

export function platformName(p: string): string {
  return PLATFORM_NAMES[p] ?? p.charAt(0).toUpperCase() + p.slice(1);
}

/**
 * Flags in reading order. `BOT` carries its reasons only on the selected row (they are long);
 * a sandwich leg gets its own mark since it is the one flag a trader acts on at a glance.
 */
export function flagsOf(t: ClassifiedTrade, selected: boolean): Flag[] {
  const out: Flag[] = [];
  if (t.isBot) out.push({ kind: 'bot', text: selected && t.botReasons.length ? `BOT(${t.botReasons.join(', ')})` : 'BOT' });
  for (const r of t.botReasons) if (r.startsWith('sandwich:')) out.push({ kind: 'sandwich', text: `SW:${r.slice(9)}` });
  if (t.isDca) out.push({ kind: 'dca', text: 'DCA' });
  if (t.isLimitOrder) out.push({ kind: 'limit', text: 'LIMIT' });
  if (t.platform) out.push({ kind: 'via', text: `via ${platformName(t.platform)}` });
  return out;
}

export const flagsText = (flags: readonly Flag[]): string => flags.map((f) => f.text).join(' ');
