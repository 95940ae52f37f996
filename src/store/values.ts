/**
 * Reading integers back the same way on every backend: better-sqlite3 gives number or bigint
 * (safeIntegers), pg gives int8 and numeric as decimal strings.
 */
type Int = number | bigint | string;

export const num = (v: unknown): number => (typeof v === 'bigint' || typeof v === 'string' ? Number(v) : (v as number));
export const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : num(v));
export const big = (v: unknown): bigint => (v === null || v === undefined ? 0n : typeof v === 'bigint' ? v : BigInt(v as Int));
export const bigOrNull = (v: unknown): bigint | null => (v === null || v === undefined ? null : big(v));
/** Optional text columns: absent and null both read as null. */
export const text = (v: unknown): string | null => (v === null || v === undefined ? null : (v as string));
