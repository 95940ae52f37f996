/**
 * Names the query subcommands accept, kept light (no database, no table renderer) so the command
 * specs can list them in --help without loading the subcommands.
 */
import { WINDOWS, type SignalType, type WindowName } from '../../core/flow/types.js';

export const WINDOW_NAMES: readonly WindowName[] = WINDOWS.map((w) => w.name);
export const SIGNAL_TYPES: Record<SignalType, true> = { BREAKOUT: true, REACCUMULATION: true, FOCUSED_BUYERS: true, PERSISTENCE: true, FLOW_REVERSAL: true };
export const TOKEN_SECTIONS = ['windows', 'buyers', 'sellers', 'trades', 'signals'] as const;
export type TokenSection = (typeof TOKEN_SECTIONS)[number];
