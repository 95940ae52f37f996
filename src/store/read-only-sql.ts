/**
 * What `query sql` checks the same way on every backend before a user's statement runs: what
 * the text really starts with (past whitespace and comments), and the one-line refusal. Each
 * backend adds its own guarantee (SQLite: the statement's own read-only flag on a query_only
 * connection; Postgres: a READ ONLY transaction with a statement timeout).
 */
import { ReadOnlySqlError } from '../core/store/types.js';

/** Leading whitespace and comments removed: what the statement really starts with. */
export function leadingCode(text: string): string {
  let s = text;
  for (;;) {
    const t = s.replace(/^\s+/, '');
    if (t.startsWith('--')) {
      const nl = t.indexOf('\n');
      s = nl < 0 ? '' : t.slice(nl + 1);
    } else if (t.startsWith('/*')) {
      const end = t.indexOf('*/', 2);
      s = end < 0 ? '' : t.slice(end + 2);
    } else return t;
  }
}

/** A refusal for the user: what was wrong, then what this backend runs (`allowed`). */
export function refused(why: string, allowed: string): ReadOnlySqlError {
  return new ReadOnlySqlError(`refused: ${why}; ${allowed} can run here`);
}
