/**
 * A count the RPC sends as a JSON number, which some recorders and providers write as a decimal
 * string instead (slot, blockTime, fee). Both mean the same number; anything else means "not
 * given", so a string fee no longer reads as a zero fee.
 */
export function wholeNumber(v: unknown): number | null {
  if (typeof v === 'number') return Number.isSafeInteger(v) && v >= 0 ? v : null;
  if (typeof v !== 'string' || !/^\d{1,15}$/.test(v)) return null;
  return Number(v);
}
