/** Venue decoders for programs that emit exact trade events, by the `decoder` labels.json gives them. */
import type { DecodeContext, Leg } from '../context.js';
import type { Ix } from '../txview.js';
import { decodePumpfun, decodePumpswap } from './pump.js';
import { decodeBoop, decodeLaunchlab, decodeMeteoraDbc, decodeMoonit } from './launchpads.js';

/**
 * Returns the swaps of one instruction, [] when the instruction is this venue's but no swap
 * (create, add liquidity), or null to fall back to the vault-delta decoder. `venue` is the
 * program's label name, the same one the vault-delta fallback records.
 */
type VenueDecoder = (ctx: DecodeContext, ix: Ix, venue: string) => Leg[] | null;

export const VENUE_DECODERS: Record<string, VenueDecoder> = {
  pumpfun: decodePumpfun,
  pumpswap: decodePumpswap,
  launchlab: decodeLaunchlab,
  'meteora-dbc': decodeMeteoraDbc,
  moonit: decodeMoonit,
  boop: decodeBoop,
};
