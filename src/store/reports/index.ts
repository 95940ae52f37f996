/**
 * The report registry: every named read written once against Kysely<DB>, for any backend whose
 * SQL agrees. A backend builds its Reports from these plus its own pieces (storeStats, the hot
 * analyze reads) and may replace any entry whose SQL differs on its dialect.
 *
 * Adding a report: a file here, one line below and its name in names.ts, one method in
 * core/store/reports.ts.
 */
import { mostActiveWallet } from './active-wallet.js';
import { botWallets } from './bots.js';
import { storeClock } from './clock.js';
import { dcaByToken } from './dca.js';
import { findSignals, signalTypes } from './signals.js';
import { flowsOverSpan } from './span-flows.js';
import { tokenInfo, tokenWindows, topTraders } from './token.js';
import { topFlows } from './top-flows.js';
import { findTrades } from './trades.js';
import type { SharedReports } from './names.js';
import type { Db } from './sql.js';

export type { BackendReports, SharedReports } from './names.js';

export function sharedReports(db: Db): SharedReports {
  return {
    storeClock: () => storeClock(db),
    topFlows: (q) => topFlows(db, q),
    flowsOverSpan: (q) => flowsOverSpan(db, q),
    mostActiveWallet: () => mostActiveWallet(db),
    tokenInfo: (mint) => tokenInfo(db, mint),
    tokenWindows: (mint, opts) => tokenWindows(db, mint, opts),
    topTraders: (q) => topTraders(db, q),
    findTrades: (f) => findTrades(db, f),
    botWallets: (q) => botWallets(db, q),
    dcaByToken: (q) => dcaByToken(db, q),
    findSignals: (q) => findSignals(db, q),
    signalTypes: () => signalTypes(db),
  };
}
