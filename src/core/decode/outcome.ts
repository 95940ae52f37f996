/**
 * A transaction decoded where it was read (the WebSocket source's frame worker), handed on as
 * its trades or its error instead of the raw transaction: plain data, so it crosses a thread
 * as a small structured clone where the raw transaction would cost what parsing it did.
 */
import type { Trade } from '../trade.js';
import { firstSignature } from './rawtx.js';
import { decodeTransaction, type RawTransaction } from './index.js';

export type DecodedTx =
  | { signature: string; trades: Trade[] }
  | { signature: string; error: { name: string; message: string } };

/** decodeTransaction's result or error, as data. */
export function decodeOutcome(tx: RawTransaction): DecodedTx {
  const signature = firstSignature(tx) ?? '?';
  try {
    return { signature, trades: decodeTransaction(tx) };
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    return { signature, error: { name: e.name, message: e.message } };
  }
}

/** The error a DecodedTx carries, as an Error again (its name kept: callers sort by it). */
export function outcomeError(d: DecodedTx): Error | null {
  if (!('error' in d)) return null;
  const e = new Error(d.error.message);
  e.name = d.error.name;
  return e;
}
