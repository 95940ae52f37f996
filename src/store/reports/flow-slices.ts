/**
 * The sparklines of a tailing `watch`: net SOL flow per equal slice of a span, for the few mints
 * the panel shows, bucketed by the database so at most mints × slices numbers come back however
 * busy the span was. One statement for every span asked (a UNION ALL, one part per span), each
 * part a range read on trades_mint_time for its mints only.
 *
 * It reads trade_rows joined to addresses for the base mint alone, not the trades view: the
 * view's other inner joins (trader, quote, signer, program) are four lookups a row that change
 * nothing here, every one of those ids being present.
 *
 * The slice arithmetic is core/flow/slices.ts's, in integers: (block_time - start) · slices /
 * span, with asOf itself in the last slice. The numbers are bound as parameters and cast to
 * BIGINT: better-sqlite3 binds every JS number as REAL, and a REAL operand would make the
 * division fractional on SQLite.
 */
import { sql } from 'kysely';
import type { FlowSlicesQuery } from '../../core/store/reports.js';
import { big, num } from '../values.js';
import type { Db } from './sql.js';

const int = (n: number) => sql<number>`CAST(${n} AS BIGINT)`;

function checkInteger(name: string, v: number, min: number): void {
  if (!Number.isSafeInteger(v) || v < min) throw new RangeError(`flowSlices: ${name} must be an integer ≥ ${min}, got ${v}`);
}

/**
 * The statement flowSlices runs (null when no span has a mint): rows of (w: the span's index,
 * base_mint, slice, net). Exposed so tests can read its plan.
 */
export function flowSlicesQuery(db: Db, q: FlowSlicesQuery) {
  checkInteger('slices', q.slices, 1);
  const parts = q.spans.flatMap((s, w) => {
    if (s.mints.length === 0) return [];
    checkInteger('asOf', s.asOf, 0);
    checkInteger('spanSeconds', s.spanSeconds, 1);
    const start = s.asOf - s.spanSeconds;
    return [
      db
        .selectFrom('trade_rows as r')
        .innerJoin('addresses as bm', 'bm.id', 'r.base_mint_id')
        .select([
          sql.lit(w).as('w'),
          'bm.address as base_mint',
          sql<number>`CASE WHEN r.block_time = ${int(s.asOf)} THEN ${int(q.slices - 1)} ELSE (r.block_time - ${int(start)}) * ${int(q.slices)} / ${int(s.spanSeconds)} END`.as('slice'),
          sql<bigint>`sum(CASE WHEN r.side = 'buy' THEN r.sol_amount ELSE -r.sol_amount END)`.as('net'),
        ])
        .where('bm.address', 'in', [...s.mints])
        .where('r.block_time', '>', start)
        .where('r.block_time', '<=', s.asOf)
        .where('r.sol_amount', 'is not', null)
        // The slice by its output name: Postgres would not match a repeated CASE whose parameters are new ones.
        .groupBy(['bm.address', sql.ref('slice')]),
    ];
  });
  return parts.length === 0 ? null : parts.slice(1).reduce((all, p) => all.unionAll(p), parts[0]);
}

export async function flowSlices(db: Db, q: FlowSlicesQuery): Promise<Map<string, bigint[]>[]> {
  const out = q.spans.map(() => new Map<string, bigint[]>());
  const query = flowSlicesQuery(db, q);
  if (query === null) return out;
  for (const r of await query.execute()) {
    const bySpan = out[num(r.w)];
    let row = bySpan.get(r.base_mint);
    if (!row) bySpan.set(r.base_mint, (row = new Array<bigint>(q.slices).fill(0n)));
    row[num(r.slice)] += big(r.net);
  }
  return out;
}
