/**
 * Pieces the reports share: filters as Kysely expressions (so they bind parameters the same way
 * on every dialect), a runner for the few reports written as one SQL text, and ReportSql: the
 * few spellings where SQLite and Postgres differ, which each backend supplies.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Blockable, QuoteFilter, TimeSpan } from '../../core/store/reports.js';
import { quoteMints } from '../../core/quote-mints.js';
import type { DB } from '../schema.js';

export type Db = Kysely<DB>;
export type Row = Record<string, unknown>;
export type Clause = RawBuilder<unknown> | null;

/**
 * Where the dialects' SQL differs, each backend's spelling (sqlite/report-sql.ts,
 * postgres/report-sql.ts), handed to the reports with the Kysely instance. Arguments named
 * `expr`/`cond`/`column` are SQL text the reports write themselves, never user input.
 */
export interface ReportSql {
  /** How many rows of the group `cond` holds for (SQLite sums the comparison; Postgres counts with FILTER). */
  countIf(cond: string): RawBuilder<unknown>;
  /** A FROM item: one row per element of the JSON text array in `column`, as `alias.value` (text). */
  jsonTextItems(column: string, alias: string): RawBuilder<unknown>;
  /** The part of text `expr` before the first `sep` (all of it when there is none). */
  textBefore(expr: string, sep: string): RawBuilder<unknown>;
  /** `column` is one of `values`: any number of them, bound as one parameter. */
  inTexts(column: string, values: readonly string[]): RawBuilder<unknown>;
}

/** `WHERE a AND b …` of the clauses given (nulls skipped); nothing when none. */
export function whereAll(clauses: readonly Clause[]): RawBuilder<unknown> {
  const c = clauses.filter((x): x is RawBuilder<unknown> => x !== null);
  return c.length ? sql`WHERE ${sql.join(c, sql` AND `)}` : sql``;
}

/** Leaves blocklisted mints out unless asked to show them. */
export function notBlocked(column: string, opts: Blockable): Clause {
  return opts.includeBlocked ? null : sql`${sql.ref(column)} NOT IN (SELECT mint FROM blocklist)`;
}

/**
 * Leaves quote assets (SOL, the stablecoins: core/quote-mints.ts) out of token rankings unless
 * asked for them: SOL ↔ USDC is a conversion between two quotes, not flow into a token.
 */
export function notQuote(column: string, opts: QuoteFilter): Clause {
  const mints = quoteMints();
  return opts.includeQuotes || mints.length === 0 ? null : sql`${sql.ref(column)} NOT IN (${sql.join(mints)})`;
}

/** `column op value` when the filter was given; an absent filter adds nothing. */
export function filterOn(column: string, value: unknown, op: '=' | '>=' | '<=' = '='): Clause {
  return value === undefined ? null : sql`${sql.ref(column)} ${sql.raw(op)} ${value}`;
}

export function timeClauses(column: string, span: TimeSpan): Clause[] {
  return [filterOn(column, span.since, '>='), filterOn(column, span.until, '<=')];
}

export async function rowsOf(db: Db, query: RawBuilder<unknown>): Promise<Row[]> {
  return (await query.execute(db)).rows as Row[];
}
