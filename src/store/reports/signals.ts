/** Stored signals (`query signals`) and the types present. */
import type { SignalQuery, StoredSignal } from '../../core/store/reports.js';
import { num, numOrNull, text } from '../values.js';
import type { Db } from './sql.js';

export async function findSignals(db: Db, q: SignalQuery): Promise<StoredSignal[]> {
  let query = db
    .selectFrom('signals as s')
    .leftJoin('tokens as tk', 'tk.mint', 's.mint')
    .selectAll('s')
    .select('tk.symbol');
  if (q.since !== undefined) query = query.where('s.block_time', '>=', q.since);
  if (q.until !== undefined) query = query.where('s.block_time', '<=', q.until);
  if (!q.includeBlocked) query = query.where('s.mint', 'not in', db.selectFrom('blocklist').select('mint'));
  if (q.mint !== undefined) query = query.where('s.mint', '=', q.mint);
  if (q.type !== undefined) query = query.where('s.type', '=', q.type);
  if (q.minStrength !== undefined) query = query.where('s.strength', '>=', q.minStrength);
  const rows = await query.orderBy('s.block_time', 'desc').orderBy('s.id', 'desc').limit(q.limit).execute();
  return rows.map((r) => ({
    id: num(r.id),
    mint: r.mint,
    symbol: text(r.symbol),
    type: r.type,
    strength: num(r.strength),
    window: r.window,
    blockTime: num(r.block_time),
    slot: numOrNull(r.slot),
    signature: r.signature,
    inputs: JSON.parse(r.inputs_json) as Record<string, unknown>,
  }));
}

export async function signalTypes(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('signals').select('type').distinct().orderBy('type').execute();
  return rows.map((r) => r.type);
}
