/**
 * `query sql` on SQLite: a user's statement runs only if it cannot write, whatever it says.
 */
import type Database from 'better-sqlite3';
import { ReadOnlySqlError, type SqlRows } from '../../core/store/types.js';
import { leadingCode, refused } from '../read-only-sql.js';

export { ReadOnlySqlError };

/** PRAGMAs that only report. Any other PRAGMA, or any of these given a value, is refused. */
const REPORTING_PRAGMAS = new Set([
  'user_version', 'schema_version', 'application_id', 'page_count', 'page_size', 'freelist_count', 'max_page_count',
  'journal_mode', 'encoding', 'auto_vacuum', 'compile_options', 'database_list', 'collation_list', 'function_list',
  'module_list', 'pragma_list', 'data_version', 'table_list',
]);
/** PRAGMAs whose argument names a table or index (or caps a check) rather than setting anything. */
const LOOKUP_PRAGMAS = new Set([
  'table_info', 'table_xinfo', 'table_list', 'index_list', 'index_info', 'index_xinfo', 'foreign_key_list',
  'foreign_key_check', 'integrity_check', 'quick_check',
]);
const ALLOWED = 'one read-only statement: SELECT, WITH … SELECT, VALUES, EXPLAIN QUERY PLAN or a reporting PRAGMA';

function checkShape(text: string): void {
  const code = leadingCode(text);
  const words = code.split(/[^A-Za-z_]+/, 4).map((w) => w.toUpperCase());
  const first = words[0] ?? '';
  if (first === 'SELECT' || first === 'WITH' || first === 'VALUES') return;
  if (first === 'EXPLAIN') {
    const rest = words[1] === 'QUERY' && words[2] === 'PLAN' ? words[3] : words[1];
    if (rest === 'SELECT' || rest === 'WITH' || rest === 'VALUES') return;
    throw refused('EXPLAIN only of a SELECT', ALLOWED);
  }
  if (first === 'PRAGMA') {
    const m = /^PRAGMA\s+(?:(?:main|temp)\s*\.\s*)?([A-Za-z_]+)\s*(\(\s*(?:'[^']*'|"[^"]*"|[A-Za-z_0-9]+)\s*\))?\s*;?\s*$/i.exec(code);
    const name = m?.[1].toLowerCase() ?? '';
    if (m && (m[2] ? LOOKUP_PRAGMAS.has(name) : REPORTING_PRAGMAS.has(name) || LOOKUP_PRAGMAS.has(name))) return;
    throw refused('that PRAGMA can change settings', ALLOWED);
  }
  throw refused(`${first || 'that statement'} is not a read`, ALLOWED);
}

/**
 * Prepares a user's statement only if it cannot write, whatever it says: one statement, shaped
 * like a read, that SQLite itself reports as read-only and row-returning (sqlite3_stmt_readonly
 * alone lets ATTACH, BEGIN and some PRAGMA assignments through, hence the shape check). Callers
 * also open the file read-only with query_only=ON, so a statement that slipped past would still
 * fail rather than write.
 */
export function prepareReadOnly(sqlite: Database.Database, text: string): Database.Statement {
  let stmt: Database.Statement;
  try {
    stmt = sqlite.prepare(text);
  } catch (err) {
    const msg = (err as Error).message;
    if (/more than one statement/.test(msg)) throw refused('more than one statement', ALLOWED);
    if (/contains no statements/.test(msg)) throw new ReadOnlySqlError('no SQL statement given');
    // A write aimed at the trades view fails to compile ("cannot modify trades because it is a
    // view", "use DROP VIEW…") instead of reaching the read-only check: it is still a write.
    if (/because it is a view|use DROP VIEW/.test(msg)) {
      checkShape(text);
      throw refused('the statement writes', ALLOWED);
    }
    throw new ReadOnlySqlError(`SQL error: ${msg}`);
  }
  checkShape(text);
  if (!stmt.readonly || !stmt.reader) throw refused('the statement could write or returns no rows', ALLOWED);
  return stmt;
}

/** The statement's rows as arrays, integers exact (bigint where a number would not be). */
export function readOnlyRows(sqlite: Database.Database, text: string): SqlRows {
  const stmt = prepareReadOnly(sqlite, text);
  stmt.safeIntegers(true).raw(true);
  const columns = stmt.columns().map((c) => c.name);
  async function* rows(): AsyncGenerator<unknown[]> {
    yield* stmt.iterate() as IterableIterator<unknown[]>;
  }
  return { columns, rows: rows() };
}
