/** `query sql`: one read-only statement through the store; anything that could write is refused. */
import { ReadOnlySqlError } from '../../core/store/types.js';
import { redactText } from '../../util/redact.js';
import { EXIT, UsageError } from '../errors.js';
import { withReader } from '../with-db.js';
import { parseFormat } from '../options.js';
import { csvField, renderRows, type Column } from '../output.js';
import { limitOf, note, out, type DataOpts } from './common.js';


/**
 * One SQL value as JSON text; 64-bit integers keep every digit, blobs become hex strings. Stored
 * rows are redacted on the way in; text is redacted again here in case a URL got in another way.
 */
function sqlJson(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return Number.isFinite(v) ? JSON.stringify(v) : 'null';
  if (Buffer.isBuffer(v)) return JSON.stringify(v.toString('hex'));
  return JSON.stringify(redactText(String(v)));
}

function sqlText(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (Buffer.isBuffer(v)) return v.toString('hex');
  return typeof v === 'string' ? redactText(v) : String(v);
}

export async function runSql(statement: string, opts: DataOpts): Promise<number> {
  const format = parseFormat(opts);
  const limit = limitOf(opts, 1_000_000_000);
  return withReader(opts.db, async (store) => {
    let result;
    try {
      result = await store.querySql(statement);
    } catch (err) {
      if (err instanceof ReadOnlySqlError) throw new UsageError(err.message);
      throw err;
    }
    const names = result.columns;
    // Duplicate names (a.mint, b.mint) stay apart in JSON as mint, mint_2, …
    const seen = new Map<string, number>();
    const keys = names.map((n) => {
      const k = seen.get(n) ?? 0;
      seen.set(n, k + 1);
      return k === 0 ? n : `${n}_${k + 1}`;
    });
    let count = 0;
    let more = false;
    const rows: unknown[][] = [];
    if (format === 'csv') out(keys.map(csvField).join(',') + '\n');
    for await (const row of result.rows) {
      if (count === limit) {
        more = true;
        break;
      }
      count++;
      // json and csv stream row by row; a table has to see every row first.
      let open = true;
      if (format === 'json') open = out(`{${keys.map((k, i) => `${JSON.stringify(k)}:${sqlJson(row[i])}`).join(',')}}\n`);
      else if (format === 'csv') open = out(row.map((v) => csvField(sqlText(v))).join(',') + '\n');
      else rows.push(row);
      if (!open) break;
    }
    if (format === 'table') {
      // A column of numbers (NULLs aside) is right-aligned, as in every other table.
      const isNumber = (v: unknown) => typeof v === 'number' || typeof v === 'bigint';
      const numeric = keys.map((_, i) => rows.some((r) => isNumber(r[i])) && rows.every((r) => r[i] === null || isNumber(r[i])));
      const cols: Column<unknown[]>[] = keys.map((k, i) => ({ key: k, head: k, value: (r) => sqlText(r[i]), numeric: numeric[i] }));
      out(renderRows(rows, cols, 'table'));
    }
    if (more) note(`stopped after ${limit} rows; --limit N for more`);
    return EXIT.ok;
  });
}
