/** Named live-ingest cursors (sql/005) on SQLite; see CursorStore in core/store/types.ts. */
import type Database from 'better-sqlite3';
import type { CursorRow } from '../../core/store/types.js';

export function getCursor(sqlite: Database.Database, name: string): number | null {
  const slot = sqlite.prepare('SELECT slot FROM cursors WHERE name = ?').pluck().get(name) as number | undefined;
  return slot ?? null;
}

export function setCursor(sqlite: Database.Database, name: string, slot: number, now = Date.now()): void {
  sqlite
    .prepare('INSERT INTO cursors (name, slot, updated_at) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET slot = excluded.slot, updated_at = excluded.updated_at')
    .run(name, slot, now);
}

export function listCursors(sqlite: Database.Database): CursorRow[] {
  const rows = sqlite.prepare('SELECT name, slot, updated_at FROM cursors ORDER BY name').all() as { name: string; slot: number; updated_at: number }[];
  return rows.map((r) => ({ name: r.name, slot: r.slot, updatedAt: r.updated_at }));
}
