/**
 * How a solflow Postgres connection reads numbers. node-postgres returns BIGINT and NUMERIC as
 * strings (they can exceed a JS number); the readers are written for SQLite's values (numbers,
 * or bigints where an integer is past 2^53), so an integer comes back as a number when it is
 * safe and as a bigint when it is not: lamport sums and u64 amounts stay exact, counts and
 * times are plain numbers. A NUMERIC with a fraction (avg(), a ratio) is a float.
 *
 * A boolean (`mint IN (SELECT …) AS blocked`) reads as 1 or 0, as SQLite gives it, so the
 * shared reports' `num(r.blocked) === 1` holds on both backends and `query sql` prints the same.
 *
 * Set per pool, not through pg.types, which would change every other pg user in the process.
 */
import pg from 'pg';

const BOOL_OID = 16;
const INT8_OID = 20;
const NUMERIC_OID = 1700;

export function parseInteger(text: string): number | bigint {
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : BigInt(text);
}

export function parseNumeric(text: string): number | bigint | string {
  if (/^-?\d+$/.test(text)) return parseInteger(text);
  if (text === 'NaN' || text === 'Infinity' || text === '-Infinity') return Number(text);
  return Number(text);
}

export const solflowTypes: { getTypeParser: typeof pg.types.getTypeParser } = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (format !== 'binary') {
      if (oid === INT8_OID) return parseInteger;
      if (oid === NUMERIC_OID) return parseNumeric;
      if (oid === BOOL_OID) return (text: string) => (text === 't' ? 1 : 0);
    }
    return pg.types.getTypeParser(oid, format as 'text');
  }) as typeof pg.types.getTypeParser,
};
