/**
 * What every source hands to the pipeline: a getTransaction-shaped object, plus the
 * transaction's position in its block when the source knows it (getBlock does, getTransaction
 * does not). Structurally the pipeline's TxEnvelope.
 */
import type { RawTransaction } from '../core/decode/index.js';

export interface SourceTx {
  tx: RawTransaction;
  txIndex: number | null;
}

/** An inclusive slot interval. */
export type SlotRange = readonly [number, number];

export type Commitment = 'confirmed' | 'finalized';
