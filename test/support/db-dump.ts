/**
 * A database's content as one comparable string: every table the pipeline writes, without the
 * columns that only record when a row was written (ids, *_at), in a fixed order. Two runs that
 * stored the same data dump identically.
 */
import Database from 'better-sqlite3';

const TABLES = ['trades', 'signals', 'token_metrics', 'tokens'];
const VOLATILE = new Set(['id', 'inserted_at', 'created_at', 'updated_at', 'added_at']);
/** What the flow engine derives from the trades (flags, signals, windows), as opposed to the trades. */
const FLOW_TABLES = new Set(['signals', 'token_metrics']);
const FLOW_COLUMNS = new Set(['is_bot', 'bot_reasons']);

/** `tradesOnly`: leave out what the flow engine derives, to compare the fetched data alone. */
export function dumpDatabase(path: string, opts: { tradesOnly?: boolean } = {}): Record<string, string> {
  const db = new Database(path, { readonly: true });
  try {
    const out: Record<string, string> = {};
    for (const table of TABLES) {
      if (opts.tradesOnly && FLOW_TABLES.has(table)) continue;
      const cols = (db.prepare(`PRAGMA table_info(${table})`).all() as Array<{ name: string }>)
        .map((c) => c.name)
        .filter((c) => !VOLATILE.has(c) && !(opts.tradesOnly && FLOW_COLUMNS.has(c)));
      if (cols.length === 0) continue;
      const list = cols.map((c) => `"${c}"`).join(', ');
      const rows = db.prepare(`SELECT ${list} FROM ${table} ORDER BY ${list}`).raw().all();
      out[table] = JSON.stringify(rows, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
    }
    return out;
  } finally {
    db.close();
  }
}
