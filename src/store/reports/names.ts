/**
 * The reports every backend shares (./index.ts), by name: enough to offer them before their
 * code (and Kysely) is loaded.
 */
import type { Reports } from '../../core/store/reports.js';

/** What each backend supplies itself: file sizes and catalog tables, and prepared hot reads. */
export type BackendReports = Pick<Reports, 'storeStats' | 'walletTrades' | 'lastPrices'>;
export type SharedReports = Omit<Reports, keyof BackendReports>;

export const SHARED_REPORTS = [
  'storeClock', 'topFlows', 'flowsOverSpan', 'flowSlices', 'mostActiveWallet', 'tokenInfo', 'tokenWindows', 'topTraders', 'findTrades',
  'botWallets', 'dcaByToken', 'findSignals', 'signalTypes',
] as const satisfies readonly (keyof SharedReports)[];

// Every shared report is named above (a missing one would fail to compile here).
type Missing = Exclude<keyof SharedReports, (typeof SHARED_REPORTS)[number]>;
const _complete: [Missing] extends [never] ? true : Missing = true;
void _complete;
