/**
 * Retention on Postgres (PruneStore). The rules are the SQLite backend's; the mechanics differ:
 *
 *  - Postgres has no single write lock: the ingest writer and a prune only meet on the rows
 *    both touch. Each DELETE is still its own short transaction sized to a time budget, so no
 *    row lock, and no snapshot holding back autovacuum, lives long; and the rows are chosen
 *    FOR UPDATE SKIP LOCKED, so a batch never waits for a row the writer has locked (a flag
 *    update) — such a row is simply taken by a later batch or a later prune.
 *  - Space: a DELETE leaves dead rows; plain VACUUM (which autovacuum also runs) makes their
 *    space reusable without blocking readers or writers, and reclaimSpace runs it on the pruned
 *    tables. It does not shrink the files on disk; VACUUM FULL does, but it rewrites each table
 *    under an ACCESS EXCLUSIVE lock (readers wait too), so it only runs when asked (fullVacuum).
 *  - The lock that stops two prunes is Store.lock('prune'), an advisory lock (lock.ts).
 */
import type pg from 'pg';
import type {
  Cutoffs, FileStats, PruneOptions, PruneResult, PruneStore, PruneTable, ReclaimResult, RelativeTo, Retention,
} from '../../core/store/prune.js';
import { cutoffsAt, pacedDeletes, sleep, zeroCounts, type DeleteBatch, type TableBatches } from '../paced-deletes.js';

export { DEFAULT_BATCH_SIZE, DEFAULT_MAX_TRANSACTION_MS } from '../paced-deletes.js';

const numOrNull = (v: unknown) => (v === null || v === undefined ? null : Number(v));

/** One step: one autocommit statement (or two), so its own transaction; timed as a whole. */
const timed = (step: (n: number) => Promise<{ rows: number; more: boolean }>): DeleteBatch => async (n) => {
  const s = performance.now();
  const r = await step(n);
  return { ...r, held: performance.now() - s };
};

/** Tables prune deletes from, and so the ones VACUUM is worth running on afterwards. */
const PRUNED_TABLES = ['trade_rows', 'signals', 'token_metrics', 'tokens'];

export function pgPrune(pool: pg.Pool): PruneStore {
  const value = async (sql: string, params: unknown[] = []) => (await pool.query(sql, params)).rows[0]?.v ?? null;

  async function newestChainTime(): Promise<number | null> {
    for (const sql of [
      'SELECT max(block_time) AS v FROM trade_rows',
      'SELECT max(block_time) AS v FROM signals',
      'SELECT max(as_of) AS v FROM token_metrics',
    ]) {
      const t = numOrNull(await value(sql));
      if (t !== null) return t;
    }
    return null;
  }

  return {
    newestChainTime,
    async cutoffs(retention: Retention, relativeTo: RelativeTo, nowMs: number): Promise<Cutoffs> {
      return cutoffsAt(retention, relativeTo, relativeTo === 'now' ? Math.floor(nowMs / 1000) : await newestChainTime());
    },

    async countPrunable(c) {
      const out = zeroCounts();
      if (c.trades !== null) out.trades = Number(await value('SELECT count(*) AS v FROM trade_rows WHERE block_time < $1', [c.trades]));
      if (c.signals !== null) out.signals = Number(await value('SELECT count(*) AS v FROM signals WHERE block_time < $1', [c.signals]));
      if (c.metrics !== null) out.tokenMetrics = Number(await value('SELECT count(*) AS v FROM token_metrics WHERE as_of < $1', [c.metrics]));
      if (c.trades !== null) {
        out.tokens = Number(
          await value(
            `SELECT count(*) AS v FROM tokens t WHERE t.last_seen_time < $1
               AND NOT EXISTS (SELECT 1 FROM trade_rows WHERE base_mint_id = (SELECT id FROM addresses WHERE address = t.mint) AND (block_time IS NULL OR block_time >= $1))
               AND NOT EXISTS (SELECT 1 FROM token_metrics WHERE mint = t.mint AND ($2::int8 IS NULL OR as_of >= $2))
               AND NOT EXISTS (SELECT 1 FROM signals WHERE mint = t.mint AND ($3::int8 IS NULL OR block_time >= $3))`,
            [c.trades, c.metrics, c.signals],
          ),
        );
      }
      return out;
    },

    async deleteRows(c, opts: PruneOptions = {}): Promise<PruneResult> {
      // Let autovacuum, the writer and readers in between batches; no write lock to hand over here.
      return pacedDeletes(tableBatches(pool, c), opts, () => sleep(1));
    },

    /**
     * Plain VACUUM (ANALYZE) of the pruned tables, one at a time: the dead rows' space becomes
     * reusable and the planner's statistics follow the smaller tables. It blocks neither
     * readers nor writers. Nothing is handed back to the file system (vacuumedPages 0).
     */
    async reclaimSpace(opts: PruneOptions = {}): Promise<ReclaimResult> {
      const stop = opts.shouldStop ?? (() => false);
      for (const t of PRUNED_TABLES) {
        if (stop()) return { vacuumedPages: 0, checkpointed: false, stopped: true };
        await pool.query(`VACUUM (ANALYZE) ${t}`);
      }
      return { vacuumedPages: 0, checkpointed: false, stopped: false };
    },

    /** CHECKPOINT needs superuser or pg_checkpoint; without them the server checkpoints on its own schedule. */
    async checkpoint() {
      try {
        await pool.query('CHECKPOINT');
        return true;
      } catch (err) {
        if ((err as { code?: string }).code === '42501') return false; // insufficient_privilege
        throw err;
      }
    },

    /**
     * VACUUM FULL, on request only: each table is rewritten under an ACCESS EXCLUSIVE lock (no
     * reads or writes meanwhile) and needs room for its copy. The server's free disk space is
     * not visible through SQL, so unlike the SQLite backend this cannot refuse up front.
     */
    async fullVacuum() {
      for (const t of PRUNED_TABLES) await pool.query(`VACUUM (FULL, ANALYZE) ${t}`);
    },

    async fileStats(): Promise<FileStats> {
      const bytes = Number(await value('SELECT pg_database_size(current_database()) AS v'));
      return { bytes, walBytes: 0, pageSize: 1, pages: bytes, freePages: 0, autoVacuum: 'none' };
    },
  };
}

function tableBatches(pool: pg.Pool, c: Cutoffs): TableBatches {
  const out: [PruneTable, DeleteBatch][] = [];
  for (const [table, sqlTable, cut] of [['trades', 'trade_rows', c.trades], ['signals', 'signals', c.signals]] as const) {
    if (cut === null) continue;
    const sql = `DELETE FROM ${sqlTable} WHERE id IN (
      SELECT id FROM ${sqlTable} WHERE block_time < $1 ORDER BY block_time LIMIT $2 FOR UPDATE SKIP LOCKED)`;
    out.push([table, timed(async (n) => {
      const rows = (await pool.query(sql, [cut, n])).rowCount ?? 0;
      return { rows, more: rows === n };
    })]);
  }
  if (c.metrics !== null) {
    // Pages of n keys in (mint, window) order; a page's rows that are old enough go.
    let after = { m: '', w: '' };
    const cut = c.metrics;
    out.push(['tokenMetrics', timed(async (n) => {
      const end = (await pool.query<{ mint: string; window: string }>(
        `SELECT mint, "window" FROM token_metrics WHERE (mint, "window") > ($1, $2) ORDER BY mint, "window" LIMIT 1 OFFSET $3`,
        [after.m, after.w, n - 1],
      )).rows[0];
      if (end === undefined) {
        const rows = (await pool.query(`DELETE FROM token_metrics WHERE (mint, "window") > ($1, $2) AND as_of < $3`, [after.m, after.w, cut])).rowCount ?? 0;
        return { rows, more: false };
      }
      const rows = (await pool.query(
        `DELETE FROM token_metrics WHERE (mint, "window") > ($1, $2) AND (mint, "window") <= ($3, $4) AND as_of < $5`,
        [after.m, after.w, end.mint, end.window, cut],
      )).rowCount ?? 0;
      after = { m: end.mint, w: end.window };
      return { rows, more: true };
    })]);
  }
  if (c.trades !== null) {
    // A token row goes when its last trade is older than the trades cutoff and nothing refers
    // to it any more (checked against what is stored now, so a token that just traded stays).
    const unused = `last_seen_time < $CUT
      AND NOT EXISTS (SELECT 1 FROM trade_rows WHERE base_mint_id = (SELECT id FROM addresses WHERE address = tokens.mint))
      AND NOT EXISTS (SELECT 1 FROM token_metrics WHERE mint = tokens.mint)
      AND NOT EXISTS (SELECT 1 FROM signals WHERE mint = tokens.mint)`;
    let after = '';
    const cut = c.trades;
    out.push(['tokens', timed(async (n) => {
      const end = (await pool.query<{ mint: string }>('SELECT mint FROM tokens WHERE mint > $1 ORDER BY mint LIMIT 1 OFFSET $2', [after, n - 1])).rows[0];
      if (end === undefined) {
        const rows = (await pool.query(`DELETE FROM tokens WHERE mint > $1 AND ${unused.replace('$CUT', '$2')}`, [after, cut])).rowCount ?? 0;
        return { rows, more: false };
      }
      const rows = (await pool.query(`DELETE FROM tokens WHERE mint > $1 AND mint <= $2 AND ${unused.replace('$CUT', '$3')}`, [after, end.mint, cut])).rowCount ?? 0;
      after = end.mint;
      return { rows, more: true };
    })]);
  }
  return out;
}
