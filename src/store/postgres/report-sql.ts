/** Postgres's spellings of what the shared reports (../reports) write differently per dialect. */
import { sql } from 'kysely';
import type { ReportSql } from '../reports/sql.js';

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;

export const pgReportSql: ReportSql = {
  countIf: (cond) => sql.raw(`count(*) FILTER (WHERE ${cond})`),
  // bot_reasons is a JSON array stored as text.
  jsonTextItems: (column, alias) => sql.raw(`json_array_elements_text(${column}::json) AS ${alias}(value)`),
  textBefore: (expr, sep) => sql.raw(`split_part(${expr}, ${quote(sep)}, 1)`),
  inTexts: (column, values) => sql`${sql.ref(column)} = ANY(${values}::text[])`,
};
