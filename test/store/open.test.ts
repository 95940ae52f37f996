import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_SQL_DIR, openDatabase, resolveDbPath, SchemaVersionError, loadMigrations } from '../../src/store/sqlite/index.js';
import { tempDir } from './tmp.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

describe('resolveDbPath', () => {
  it('prefers --db, then SOLFLOW_DB, then ./solflow.db', () => {
    expect(resolveDbPath('/x.db', { SOLFLOW_DB: '/y.db' })).toBe('/x.db');
    expect(resolveDbPath(undefined, { SOLFLOW_DB: '/y.db' })).toBe('/y.db');
    expect(resolveDbPath(undefined, {})).toBe('./solflow.db');
  });
});

describe('openDatabase', () => {
  it('creates a WAL database with the schema and the same pragmas for writer and reader', async () => {
    const path = tmp.file('a.db');
    const w = openDatabase({ path });
    expect(w.schemaVersion).toBe(loadMigrations().length);
    expect(w.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(w.sqlite.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
    expect(w.sqlite.pragma('busy_timeout', { simple: true })).toBe(5000);
    const tables = await (await w.kysely()).selectFrom('sqlite_master' as never).select('name' as never).execute();
    const names = (tables as { name: string }[]).map((t) => t.name);
    for (const t of ['trades', 'token_metrics', 'signals', 'tokens', 'blocklist', 'jobs', 'schema_migrations']) expect(names).toContain(t);

    const r = openDatabase({ path, readonly: true });
    expect(r.readonly).toBe(true);
    expect(r.sqlite.pragma('synchronous', { simple: true })).toBe(1);
    expect(r.sqlite.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(() => r.sqlite.exec("INSERT INTO blocklist (mint, added_at) VALUES ('x', 1)")).toThrow();
    // Kysely works on both.
    await (await w.kysely()).insertInto('blocklist').values({ mint: 'm1', reason: 'spam', added_at: 1 }).execute();
    const rows = await (await r.kysely()).selectFrom('blocklist').selectAll().execute();
    expect(rows).toEqual([{ mint: 'm1', reason: 'spam', added_at: 1 }]);
    await r.close();
    await w.close();
    await w.close(); // idempotent
  });

  it('reopening is a no-op for migrations', async () => {
    const path = tmp.file('b.db');
    await openDatabase({ path }).close();
    const db = openDatabase({ path });
    const applied = db.sqlite.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all();
    expect(applied).toEqual(loadMigrations().map((m) => ({ version: m.version, name: m.name })));
    expect(applied[0]).toEqual({ version: 1, name: '001_init.sql' });
    // The checksum recorded is the sha256 prefix of the file as applied.
    const sums = db.sqlite.prepare('SELECT name, checksum FROM schema_migrations ORDER BY version').all() as { name: string; checksum: string }[];
    for (const { name, checksum } of sums) expect(checksum).toBe(createHash('sha256').update(readFileSync(`${DEFAULT_SQL_DIR}/${name}`, 'utf8')).digest('hex').slice(0, 16));
    await db.close();
  });

  it('a reader refuses a missing file with a clear message', () => {
    expect(() => openDatabase({ path: tmp.file('missing.db'), readonly: true })).toThrow(/no database at .*missing\.db/);
  });

  it('refuses a database from a newer solflow, for writers and readers', async () => {
    const path = tmp.file('new.db');
    await openDatabase({ path }).close();
    const raw = new Database(path);
    raw.pragma('user_version = 99');
    raw.close();
    expect(() => openDatabase({ path })).toThrow(SchemaVersionError);
    const known = loadMigrations().length;
    expect(() => openDatabase({ path })).toThrow(new RegExp(`schema version 99, newer than this solflow understands \\(${known}\\)`));
    expect(() => openDatabase({ path, readonly: true })).toThrow(/newer than this solflow/);
  });

  it('upgrades an old database in order and tells a reader to upgrade first', async () => {
    const v1 = tmp.file('sql-v1');
    const v2 = tmp.file('sql-v2');
    mkdirSync(v1);
    mkdirSync(v2);
    copyFileSync(`${DEFAULT_SQL_DIR}/001_init.sql`, `${v1}/001_init.sql`);
    copyFileSync(`${DEFAULT_SQL_DIR}/001_init.sql`, `${v2}/001_init.sql`);
    writeFileSync(`${v2}/002_add_note.sql`, 'ALTER TABLE tokens ADD COLUMN note TEXT;');
    const path = tmp.file('old.db');
    const old = openDatabase({ path, sqlDir: v1 });
    old.sqlite.prepare("INSERT INTO tokens (mint, decimals, updated_at) VALUES ('m', 6, 1)").run();
    await old.close();

    expect(() => openDatabase({ path, readonly: true, sqlDir: v2 })).toThrow(/has schema version 1, this solflow needs 2/);
    const db = openDatabase({ path, sqlDir: v2 });
    expect(db.schemaVersion).toBe(2);
    expect(db.sqlite.prepare('SELECT mint, note FROM tokens').all()).toEqual([{ mint: 'm', note: null }]);
    expect(db.sqlite.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all()).toEqual([1, 2]);
    await db.close();
    // And the old binary now refuses the upgraded file.
    expect(() => openDatabase({ path, sqlDir: v1 })).toThrow(SchemaVersionError);
  });

  it('rejects a gap in migration numbers', () => {
    const dir = tmp.file('sql-gap');
    mkdirSync(dir);
    copyFileSync(`${DEFAULT_SQL_DIR}/001_init.sql`, `${dir}/001_init.sql`);
    writeFileSync(`${dir}/003_x.sql`, 'SELECT 1;');
    expect(() => loadMigrations(dir)).toThrow(/without gaps/);
  });
});
