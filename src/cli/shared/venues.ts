/**
 * `--program pumpfun,pumpswap`: the venue names labels.json gives DEX programs, checked once for
 * every command that takes the option (backfill, analyze --fetch, ingest, watch --rpc); the
 * program ids a live source follows; the decoder that keeps only those venues' trades.
 */
import { defaultLabels } from '../../core/labels.js';
import { UsageError } from '../errors.js';

export interface Venues {
  /** The venues asked for; null: every DEX venue. */
  names: Set<string> | null;
  /** Their program ids, for a live source's subscriptions. */
  programIds: string[];
}

export function parseVenues(option: string | undefined): Venues {
  const dex = [...defaultLabels.programs.entries()].filter(([, p]) => p.kind === 'dex');
  if (!option) return { names: null, programIds: dex.map(([id]) => id) };
  const known = new Set(dex.map(([, p]) => p.name));
  const names = new Set(option.split(',').map((p) => p.trim()).filter(Boolean));
  const unknown = [...names].filter((n) => !known.has(n));
  if (unknown.length) throw new UsageError(`unknown --program ${unknown.join(', ')}; known: ${[...known].sort().join(', ')}`);
  return { names, programIds: dex.filter(([, p]) => names.has(p.name)).map(([id]) => id) };
}
