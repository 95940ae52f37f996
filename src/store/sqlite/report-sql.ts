/** SQLite's spellings of what the shared reports (../reports) write differently per dialect. */
import { sql } from 'kysely';
import type { ReportSql } from '../reports/sql.js';

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;

export const sqliteReportSql: ReportSql = {
  // A comparison is 0 or 1 in SQLite: summing it counts.
  countIf: (cond) => sql.raw(`sum(${cond})`),
  jsonTextItems: (column, alias) => sql.raw(`json_each(${column}) ${alias}`),
  textBefore: (expr, sep) => sql.raw(`substr(${expr}, 1, instr(${expr} || ${quote(sep)}, ${quote(sep)}) - 1)`),
  // One JSON parameter, whatever the count (SQLite caps bound parameters per statement).
  inTexts: (column, values) => sql`${sql.ref(column)} IN (SELECT value FROM json_each(${JSON.stringify(values)}))`,
};
