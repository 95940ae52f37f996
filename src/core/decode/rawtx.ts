/**
 * The shapes a `getTransaction` (or one entry of `getBlock`) result arrives in: "json" and
 * "jsonParsed" encodings, legacy / v0 / v1 messages. Only the fields the decoder reads are typed.
 */

export interface RawCompiledInstruction {
  programIdIndex: number;
  accounts: number[];
  data: string;
  stackHeight?: number | null;
}

export interface RawParsedInstruction {
  programId: string;
  program?: string;
  /** Present when the RPC parsed the instruction (system, spl-token, ata …). */
  parsed?: { type?: string; info?: Record<string, unknown> } | string;
  /** Present when it did not. */
  accounts?: string[];
  data?: string;
  stackHeight?: number | null;
}

export type RawInstruction = RawCompiledInstruction | RawParsedInstruction;

export interface RawParsedAccountKey {
  pubkey: string;
  signer: boolean;
  writable: boolean;
  source?: string;
}

export interface RawMessage {
  accountKeys: Array<string | RawParsedAccountKey>;
  header?: {
    numRequiredSignatures: number;
    numReadonlySignedAccounts: number;
    numReadonlyUnsignedAccounts: number;
  };
  instructions: RawInstruction[];
  recentBlockhash?: string;
  addressTableLookups?: unknown[] | null;
  /** v1 messages carry compute-budget settings inline instead of ComputeBudget instructions. */
  transactionConfig?: Record<string, unknown> | null;
}

export interface RawTokenBalance {
  accountIndex: number;
  mint: string;
  owner?: string;
  programId?: string;
  uiTokenAmount: { amount: string; decimals: number };
}

export interface RawMeta {
  err: unknown;
  fee: number;
  preBalances: number[];
  postBalances: number[];
  preTokenBalances?: RawTokenBalance[] | null;
  postTokenBalances?: RawTokenBalance[] | null;
  innerInstructions?: Array<{ index: number; instructions: RawInstruction[] }> | null;
  logMessages?: string[] | null;
  loadedAddresses?: { writable: string[]; readonly: string[] } | null;
  computeUnitsConsumed?: number;
}

export interface RawTransaction {
  slot?: number | null;
  blockTime?: number | null;
  version?: 'legacy' | number | string | null;
  meta: RawMeta | null;
  transaction: { signatures: string[]; message: RawMessage } | [string, string] | unknown;
  /** Position in the block, when the source (getBlock) knows it. */
  txIndex?: number | null;
}

/**
 * The transaction's first signature (its id) as the input spells it, or null when the input has
 * none: for naming a transaction in a log line or a failure row, before or without decoding it.
 */
export function firstSignature(tx: unknown): string | null {
  const sigs = (tx as { transaction?: { signatures?: unknown } } | null)?.transaction?.signatures;
  return Array.isArray(sigs) && typeof sigs[0] === 'string' ? sigs[0] : null;
}
