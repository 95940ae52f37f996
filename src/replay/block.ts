/** Blocks and transactions as the replay chain serves them (getBlock's shapes). */

/** One transaction as it sits inside a getBlock result (full details, json encoding). */
export interface BlockTx {
  transaction: { signatures: string[]; message: any };
  meta: any;
  version: 'legacy' | number;
}

export interface Block {
  slot: number;
  parentSlot: number;
  blockhash: string;
  previousBlockhash: string;
  blockHeight: number;
  blockTime: number;
  transactions: BlockTx[];
}

/** A block without its transactions. */
export type BlockHeader = Omit<Block, 'transactions'>;

/** A transaction's version when it is newer than `limit` (a client's maxSupportedTransactionVersion, -1 if none), else null. */
export function versionAbove(tx: BlockTx, limit: number): number | null {
  return tx.version !== 'legacy' && tx.version > limit ? tx.version : null;
}
