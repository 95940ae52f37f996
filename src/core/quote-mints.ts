/**
 * The quote assets — SOL and the stablecoins — as one list, from the shipped labels
 * (labels.json quoteMints, the single place they are named). Flow rankings leave them out by
 * default: a SOL ↔ USDC swap moves money between two quotes, it is no flow into a token.
 */
import { defaultLabels, type Labels } from './labels.js';

export function quoteMints(labels: Labels = defaultLabels): string[] {
  return [...labels.quoteRank.keys()];
}

export function isQuoteMint(mint: string, labels: Labels = defaultLabels): boolean {
  return labels.quoteRank.has(mint);
}
