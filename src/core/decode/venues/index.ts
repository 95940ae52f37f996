/** Venue decoders for programs that emit exact trade events, by the name labels.json uses. */
import type { DecodeContext, Leg } from '../context.js';
import type { Movement } from '../movements.js';
import type { Ix } from '../txview.js';
import { decodePumpfun, decodePumpswap } from './pump.js';
import { decodeBoop, decodeLaunchlab, decodeMeteoraDbc, decodeMoonit } from './launchpads.js';

/**
 * Returns the swaps of one instruction, [] when the instruction is this venue's but no swap
 * (create, add liquidity), or null to fall back to the vault-delta decoder.
 */
export type VenueDecoder = (ctx: DecodeContext, ix: Ix, moves: Movement[]) => Leg[] | null;

export const VENUE_DECODERS: Record<string, VenueDecoder> = {
  pumpfun: decodePumpfun,
  pumpswap: decodePumpswap,
  launchlab: decodeLaunchlab,
  'meteora-dbc': decodeMeteoraDbc,
  moonit: decodeMoonit,
  boop: decodeBoop,
};
