/** The mint blocklist on Postgres (BlocklistStore): the SQLite backend's rules, atomic per call. */
import type pg from 'pg';
import type { BlockedMint, BlocklistStore } from '../../core/store/types.js';
import { inTransaction } from './transaction.js';

interface RawBlocked {
  mint: string;
  reason: string | null;
  added_at: number;
}

const fromRaw = (r: RawBlocked): BlockedMint => ({ mint: r.mint, reason: r.reason, addedAt: Number(r.added_at) });

export function pgBlocklist(pool: pg.Pool): BlocklistStore {
  const getWith = async (q: Pick<pg.PoolClient, 'query'>, mint: string, lock = false) => {
    const r = await q.query<RawBlocked>(`SELECT mint, reason, added_at FROM blocklist WHERE mint = $1${lock ? ' FOR UPDATE' : ''}`, [mint]);
    return r.rows[0] ? fromRaw(r.rows[0]) : null;
  };
  return {
    get: (mint) => getWith(pool, mint),
    add: (mint, reason, now = Date.now()) =>
      inTransaction(pool, async (c) => {
        // Inserted if absent; either way the row is then locked and read, so a concurrent add
        // waits for this one and sees its result.
        const ins = await c.query('INSERT INTO blocklist (mint, reason, added_at) VALUES ($1, $2, $3) ON CONFLICT (mint) DO NOTHING', [mint, reason, now]);
        if (ins.rowCount === 1) return { entry: { mint, reason, addedAt: now }, added: true, reasonChanged: false };
        const before = (await getWith(c, mint, true))!;
        if (reason !== null && reason !== before.reason) {
          await c.query('UPDATE blocklist SET reason = $1 WHERE mint = $2', [reason, mint]);
          return { entry: { ...before, reason }, added: false, reasonChanged: true };
        }
        return { entry: before, added: false, reasonChanged: false };
      }),
    async remove(mint) {
      const r = await pool.query<RawBlocked>('DELETE FROM blocklist WHERE mint = $1 RETURNING mint, reason, added_at', [mint]);
      return r.rows[0] ? fromRaw(r.rows[0]) : null;
    },
    async list() {
      const r = await pool.query<RawBlocked>('SELECT mint, reason, added_at FROM blocklist ORDER BY added_at DESC, mint');
      return r.rows.map(fromRaw);
    },
    async mints() {
      const r = await pool.query<{ mint: string }>('SELECT mint FROM blocklist');
      return new Set(r.rows.map((x) => x.mint));
    },
  };
}
