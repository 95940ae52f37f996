/**
 * The report registry: every named read written once against Kysely<DB>, for every backend. A
 * backend builds its Reports from these plus its own pieces (storeStats, the hot
 * analyze reads); where the dialects' SQL differs, the report asks the backend's ReportSql.
 *
 * Adding a report: a file here, one line below and its name in names.ts, one method in
 * core/store/reports.ts.
 */
import { mostActiveWallet } from './active-wallet.js';
import { botWallets } from './bots.js';
import { storeClock } from './clock.js';
import { dcaByToken } from './dca.js';
import { findSignals, signalTypes } from './signals.js';
import { flowSlices } from './flow-slices.js';
import { flowsOverSpan } from './span-flows.js';
import { tokenInfo, tokenWindows, topTraders } from './token.js';
import { topFlows } from './top-flows.js';
import { findTrades } from './trades.js';
import type { SharedReports } from './names.js';
import type { Db, ReportSql } from './sql.js';

export type { BackendReports, SharedReports } from './names.js';
export type { ReportSql } from './sql.js';

/** `dialect`: the backend's spellings where SQLite and Postgres differ (sqlite/report-sql.ts, postgres/report-sql.ts). */
export function sharedReports(db: Db, dialect: ReportSql): SharedReports {
  return {
    storeClock: () => storeClock(db),
    topFlows: (q) => topFlows(db, q),
    flowsOverSpan: (q) => flowsOverSpan(db, dialect, q),
    flowSlices: (q) => flowSlices(db, q),
    mostActiveWallet: () => mostActiveWallet(db),
    tokenInfo: (mint) => tokenInfo(db, mint),
    tokenWindows: (mint, opts) => tokenWindows(db, mint, opts),
    topTraders: (q) => topTraders(db, q),
    findTrades: (f) => findTrades(db, f),
    botWallets: (q) => botWallets(db, dialect, q),
    dcaByToken: (q) => dcaByToken(db, dialect, q),
    findSignals: (q) => findSignals(db, q),
    signalTypes: () => signalTypes(db),
  };
}
