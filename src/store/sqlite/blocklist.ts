/**
 * The mint blocklist: tokens people do not want to see (spam, scams, wrapped stablecoins).
 * Queries leave these mints out unless asked; the flow engine reads the set once at start
 * (loadBlocklist) and raises no signals for them. Stored trades are kept either way,
 * so removing a mint brings its history back.
 */
import type Database from 'better-sqlite3';
import type { BlockedMint } from '../../core/store/types.js';

export type { BlockedMint } from '../../core/store/types.js';

interface RawBlocked {
  mint: string;
  reason: string | null;
  added_at: number;
}

const fromRaw = (r: RawBlocked): BlockedMint => ({ mint: r.mint, reason: r.reason, addedAt: r.added_at });

export function getBlocked(sqlite: Database.Database, mint: string): BlockedMint | null {
  const r = sqlite.prepare('SELECT mint, reason, added_at FROM blocklist WHERE mint = ?').get(mint) as RawBlocked | undefined;
  return r ? fromRaw(r) : null;
}

/**
 * Idempotent: a mint already listed stays as it was (its first reason and time), unless a new
 * reason is given, which replaces the old one.
 */
export function addBlocked(
  sqlite: Database.Database,
  mint: string,
  reason: string | null,
  now = Date.now(),
): { entry: BlockedMint; added: boolean; reasonChanged: boolean } {
  return sqlite.transaction(() => {
    const before = getBlocked(sqlite, mint);
    if (!before) {
      sqlite.prepare('INSERT INTO blocklist (mint, reason, added_at) VALUES (?, ?, ?)').run(mint, reason, now);
      return { entry: { mint, reason, addedAt: now }, added: true, reasonChanged: false };
    }
    if (reason !== null && reason !== before.reason) {
      sqlite.prepare('UPDATE blocklist SET reason = ? WHERE mint = ?').run(reason, mint);
      return { entry: { ...before, reason }, added: false, reasonChanged: true };
    }
    return { entry: before, added: false, reasonChanged: false };
  }).immediate();
}

/** The removed entry, or null if the mint was not listed. */
export function removeBlocked(sqlite: Database.Database, mint: string): BlockedMint | null {
  return sqlite.transaction(() => {
    const before = getBlocked(sqlite, mint);
    if (before) sqlite.prepare('DELETE FROM blocklist WHERE mint = ?').run(mint);
    return before;
  }).immediate();
}

/** Newest first. */
export function listBlocked(sqlite: Database.Database): BlockedMint[] {
  return (sqlite.prepare('SELECT mint, reason, added_at FROM blocklist ORDER BY added_at DESC, mint').all() as RawBlocked[]).map(fromRaw);
}

/** The blocked mints as a set, for the flow engine at start. */
export function loadBlocklist(sqlite: Database.Database): Set<string> {
  return new Set(sqlite.prepare('SELECT mint FROM blocklist').pluck().all() as string[]);
}
