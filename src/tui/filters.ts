/**
 * Which trades watch shows. Two layers: the command-line filters, fixed for the session and
 * applied as trades arrive (so they also bound what the tape keeps), and the screen's toggles
 * (b, d, /), applied when the tape is drawn so turning one off brings the rows back.
 */
import type { ClassifiedTrade } from '../core/flow/types.js';

export interface WatchFilters {
  /** Base token mint. */
  mint?: string;
  /** Trader (the wallet whose funds moved) or fee payer. */
  wallet?: string;
  /** Venue name as stored (`raydium-amm-v4`). */
  venue?: string;
  /** Minimum SOL amount, in SOL; trades with no SOL leg do not pass. */
  minSol?: number;
  botsOnly?: boolean;
  noBots?: boolean;
  dcaOnly?: boolean;
}

const LAMPORTS_PER_SOL = 1_000_000_000;

/** The command-line filters as one predicate (built once, called per trade). */
export function tradeFilter(f: WatchFilters): (t: ClassifiedTrade) => boolean {
  if (f.minSol !== undefined && !(Number.isFinite(f.minSol) && f.minSol >= 0)) throw new RangeError(`--min-sol must be a number >= 0, got ${f.minSol}`);
  if (f.botsOnly && f.noBots) throw new RangeError('--bots-only and --no-bots exclude each other');
  const minLamports = f.minSol === undefined ? null : BigInt(Math.ceil(f.minSol * LAMPORTS_PER_SOL));
  return (t) =>
    (f.mint === undefined || t.baseMint === f.mint) &&
    (f.wallet === undefined || t.trader === f.wallet || t.signer === f.wallet) &&
    (f.venue === undefined || t.venue === f.venue) &&
    (minLamports === null || (t.solAmount !== null && t.solAmount >= minLamports)) &&
    (!f.botsOnly || t.isBot) &&
    (!f.noBots || !t.isBot) &&
    (!f.dcaOnly || t.isDca);
}

/** The screen's toggles: `b` bots only, `d` DCA only, `/` text found in the mint or a wallet. */
export interface ViewFilter {
  botsOnly: boolean;
  dcaOnly: boolean;
  query: string;
}

export function viewMatches(t: ClassifiedTrade, v: ViewFilter): boolean {
  if (v.botsOnly && !t.isBot) return false;
  if (v.dcaOnly && !t.isDca) return false;
  if (v.query === '') return true;
  return t.baseMint.includes(v.query) || t.trader.includes(v.query) || t.signer.includes(v.query);
}

export const tradeKey = (t: { signature: string; ixPath: string }): string => `${t.signature}#${t.ixPath}`;
