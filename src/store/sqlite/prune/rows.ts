/**
 * Retention: deleting what is older than its age while `ingest` keeps writing. This file: what goes
 * (cutoffs, counts) and the deletes; space.ts gives the room back; paced.ts paces both.
 *
 * Why it is shaped like this:
 *  - WAL allows one writer, and the ingest writer needs the same lock as our DELETEs (its
 *    busy timeout is 5 s). So every delete is a short IMMEDIATE transaction sized to a time
 *    budget (maxTransactionMs), and after each one we sleep at least as long as it took: the
 *    writer, polling through its busy timeout, finds the lock free at least half the time.
 *    One big DELETE would hold the lock for as long as it runs (seconds per 100k trades).
 *    Readers are never blocked by a writer in WAL mode.
 *  - Trades and signals go oldest first through their block_time indexes, so each batch is an
 *    index range scan from the start: O(batch), whatever the table size. token_metrics and
 *    tokens (text keys, no time index) are walked once in key order, page by page.
 *  - Every DELETE re-checks its condition in the same statement, so a row the writer has just
 *    refreshed (token_metrics with a newer as_of, a token that traded again) is never taken.
 *  - Space: SQLite reuses freed pages for new rows, so after a prune the file does not grow
 *    until ingest has refilled them. Files created with auto_vacuum=INCREMENTAL (open.ts sets it
 *    on new files) are also shrunk: incremental_vacuum in short transactions, then a WAL
 *    checkpoint truncates the file. A full VACUUM rewrites the whole file (transiently twice the
 *    data on disk) while holding the write lock, so it only runs when asked (fullVacuum).
 *
 * Clocks: block_time and as_of are the chain clock (unix seconds). Ages count back either from
 * the newest block time stored ('newest', safe for a historical database) or from the wall clock
 * ('now'). Trades with no block time are never pruned by age.
 */
import type Database from 'better-sqlite3';
import type { Cutoffs, PruneCounts, PruneOptions, PruneResult, PruneTable, RelativeTo, Retention } from '../../../core/store/prune.js';
import { cutoffsAt, pacedDeletes, zeroCounts, type DeleteBatch, type TableBatches } from '../../paced-deletes.js';
import { breathe, transact, withManualCheckpoints } from './paced.js';

/**
 * The newest chain time stored: the newest trade, else the newest signal, else the newest metric.
 * Metrics come last because a quiet token's last row is stamped hours after its last trade.
 */
export function newestChainTime(sqlite: Database.Database): number | null {
  for (const sql of [
    'SELECT max(block_time) FROM trade_rows',
    'SELECT max(block_time) FROM signals',
    'SELECT max(as_of) FROM token_metrics',
  ]) {
    const t = sqlite.prepare(sql).pluck().get() as number | null;
    if (t !== null) return t;
  }
  return null;
}

export function cutoffsFor(sqlite: Database.Database, retention: Retention, relativeTo: RelativeTo, nowMs: number): Cutoffs {
  return cutoffsAt(retention, relativeTo, relativeTo === 'now' ? Math.floor(nowMs / 1000) : newestChainTime(sqlite));
}

// ---------------------------------------------------------------------------------------------
// What would go (the dry run, and the totals progress lines count against)

/**
 * Rows each table would lose. tokens counts the rows that nothing would refer to once the other
 * tables are pruned: the same rule the delete applies afterwards, stated in cutoffs.
 */
export function countPrunable(sqlite: Database.Database, c: Cutoffs): PruneCounts {
  const out = zeroCounts();
  if (c.trades !== null) out.trades = sqlite.prepare('SELECT count(*) FROM trade_rows WHERE block_time < ?').pluck().get(c.trades) as number;
  if (c.signals !== null) out.signals = sqlite.prepare('SELECT count(*) FROM signals WHERE block_time < ?').pluck().get(c.signals) as number;
  if (c.metrics !== null) out.tokenMetrics = sqlite.prepare('SELECT count(*) FROM token_metrics WHERE as_of < ?').pluck().get(c.metrics) as number;
  if (c.trades !== null) {
    out.tokens = sqlite
      .prepare(
        `SELECT count(*) FROM tokens t WHERE t.last_seen_time < @tc
           AND NOT EXISTS (SELECT 1 FROM trade_rows WHERE base_mint_id = (SELECT id FROM addresses WHERE address = t.mint) AND (block_time IS NULL OR block_time >= @tc))
           AND NOT EXISTS (SELECT 1 FROM token_metrics WHERE mint = t.mint AND (@mc IS NULL OR as_of >= @mc))
           AND NOT EXISTS (SELECT 1 FROM signals WHERE mint = t.mint AND (@sc IS NULL OR block_time >= @sc))`,
      )
      .pluck()
      .get({ tc: c.trades, mc: c.metrics, sc: c.signals }) as number;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Deleting

/** One step: delete up to n rows (or scan n keys); `more` false when the table is done. */
type Step = (n: number) => { rows: number; more: boolean };

export async function pruneRows(sqlite: Database.Database, c: Cutoffs, opts: PruneOptions = {}): Promise<PruneResult> {
  return withManualCheckpoints(sqlite, (resetFrames) => pacedDeletes(tableBatches(sqlite, c), opts, (held) => breathe(sqlite, held, resetFrames)));
}

/** A step as one IMMEDIATE transaction, timed from when it held the write lock. */
const inTransaction = (sqlite: Database.Database, step: Step): DeleteBatch => (n) => {
  const { value, held } = transact(sqlite, () => step(n));
  return { ...value, held };
};

function tableBatches(sqlite: Database.Database, c: Cutoffs): TableBatches {
  const out: [PruneTable, DeleteBatch][] = [];
  // Trades and signals: the oldest n rows by block time (its index) per transaction.
  for (const [table, sqlTable, cut] of [['trades', 'trade_rows', c.trades], ['signals', 'signals', c.signals]] as const) {
    if (cut === null) continue;
    const del = sqlite.prepare(`DELETE FROM ${sqlTable} WHERE id IN (SELECT id FROM ${sqlTable} WHERE block_time < ? ORDER BY block_time LIMIT ?)`);
    out.push([table, inTransaction(sqlite, (n) => {
      const rows = del.run(cut, n).changes;
      return { rows, more: rows === n };
    })]);
  }
  if (c.metrics !== null) {
    // Pages of n keys in (mint, window) order; a page's rows that are old enough go.
    const pageEnd = sqlite.prepare('SELECT mint, window FROM token_metrics WHERE (mint, window) > (?, ?) ORDER BY mint, window LIMIT 1 OFFSET ?');
    const delPage = sqlite.prepare('DELETE FROM token_metrics WHERE (mint, window) > (@m, @w) AND (mint, window) <= (@em, @ew) AND as_of < @cut');
    const delRest = sqlite.prepare('DELETE FROM token_metrics WHERE (mint, window) > (@m, @w) AND as_of < @cut');
    let after = { m: '', w: '' };
    const cut = c.metrics;
    out.push(['tokenMetrics', inTransaction(sqlite, (n) => {
      const end = pageEnd.get(after.m, after.w, n - 1) as { mint: string; window: string } | undefined;
      if (end === undefined) return { rows: delRest.run({ ...after, cut }).changes, more: false };
      const rows = delPage.run({ ...after, em: end.mint, ew: end.window, cut }).changes;
      after = { m: end.mint, w: end.window };
      return { rows, more: true };
    })]);
  }
  if (c.trades !== null) {
    // A token row goes when its last trade is older than the trades cutoff and nothing refers to
    // it any more (checked against what is stored now, so a token that just traded stays).
    const unused = `last_seen_time < @cut
      AND NOT EXISTS (SELECT 1 FROM trade_rows WHERE base_mint_id = (SELECT id FROM addresses WHERE address = tokens.mint))
      AND NOT EXISTS (SELECT 1 FROM token_metrics WHERE mint = tokens.mint)
      AND NOT EXISTS (SELECT 1 FROM signals WHERE mint = tokens.mint)`;
    const pageEnd = sqlite.prepare('SELECT mint FROM tokens WHERE mint > ? ORDER BY mint LIMIT 1 OFFSET ?').pluck();
    const delPage = sqlite.prepare(`DELETE FROM tokens WHERE mint > @after AND mint <= @end AND ${unused}`);
    const delRest = sqlite.prepare(`DELETE FROM tokens WHERE mint > @after AND ${unused}`);
    let after = '';
    const cut = c.trades;
    out.push(['tokens', inTransaction(sqlite, (n) => {
      const end = pageEnd.get(after, n - 1) as string | undefined;
      if (end === undefined) return { rows: delRest.run({ after, cut }).changes, more: false };
      const rows = delPage.run({ after, end, cut }).changes;
      after = end;
      return { rows, more: true };
    })]);
  }
  return out;
}
