/**
 * What every source hands to the pipeline: a getTransaction-shaped object, plus the
 * transaction's position in its block when the source knows it (getBlock does, getTransaction
 * does not). Structurally the pipeline's TxEnvelope.
 */
import type { RawTransaction } from '../core/decode/index.js';
import type { DecodedTx } from '../core/decode/outcome.js';

export interface SourceTx {
  tx: RawTransaction;
  txIndex: number | null;
}

/** A transaction decoded where its block was read (a frame worker): the pipeline's DecodedEnvelope. */
export interface DecodedSourceTx {
  decoded: DecodedTx;
  txIndex: number | null;
}

/** What a block-reading source hands on: raw, or decoded where it was read. */
export type BlockTx = SourceTx | DecodedSourceTx;

/** An inclusive slot interval. */
export type SlotRange = readonly [number, number];

export type Commitment = 'confirmed' | 'finalized';
