/**
 * Databases for the query tests, filled the way users fill them: the built CLI's backfill.
 *  - corpus: `backfill --from fixtures/tx` then `--from fixtures/constructed` (the 155 recorded
 *    mainnet transactions across years, plus the DCA fill the corpus has no real sample of);
 *  - chain: `backfill <slots> --rpc` against the replay server serving the recorded set eight
 *    times over on a 400 ms slot clock, so windows are dense: bots, a signal, a job row.
 * With { postgres: true } the same two are filled a second time, by the same commands from the
 * same replay, into databases of their own on the run's PostgreSQL cluster (`pg`): the SQLite
 * files stay the yardstick the hand-written SQL reads, and every CLI answer is checked on both.
 */
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'vitest';
import { ROOT, solflowAsync } from '../cli/run.js';
import { startReplay } from '../support/replay/index.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres/database.js';

export interface TestDbs {
  dir: string;
  corpus: string;
  /** Absent (not built) when asked for { chain: false }. */
  chain: string;
  /** A fresh copy of one of them (for tests that change it). */
  copy(which: 'corpus' | 'chain', name: string): string;
  /** The same databases on PostgreSQL (URLs), when asked for { postgres: true }. */
  pg?: { corpus: string; chain: string };
  cleanup(): void | Promise<void>;
}

export async function buildTestDbs(prefix: string, opts: { chain?: boolean; postgres?: boolean } = {}): Promise<TestDbs> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const corpus = join(dir, 'corpus.db');
  const chain = join(dir, 'chain.db');
  const pgDbs: TestDatabase[] = [];
  if (opts.postgres) pgDbs.push(await createTestDatabase(`${prefix}corpus`), await createTestDatabase(`${prefix}chain`));
  const corpusDbs = [corpus, ...pgDbs.slice(0, 1).map((d) => d.url)];
  const chainDbs = [chain, ...pgDbs.slice(1).map((d) => d.url)];

  // Child processes side by side: the two backends' fills do not wait for each other.
  await Promise.all(
    corpusDbs.map(async (db) => {
      let r = await solflowAsync(['backfill', '--from', join(ROOT, 'fixtures', 'tx'), '--db', db]);
      expect(r.code, r.stderr).toBe(0);
      r = await solflowAsync(['backfill', '--from', join(ROOT, 'fixtures', 'constructed'), '--db', db]);
      expect(r.code, r.stderr).toBe(0);
    }),
  );

  if (opts.chain !== false) {
    const server = await startReplay({ copies: 8 });
    try {
      for (const db of chainDbs) {
        const a = await solflowAsync(['backfill', `${server.chain.firstSlot}..${server.chain.lastSlot}`, '--rpc', server.url, '--db', db, '--quiet']);
        expect(a.code, a.stderr).toBe(0);
      }
    } finally {
      await server.close();
    }
  }
  return {
    dir,
    corpus,
    chain,
    pg: opts.postgres ? { corpus: pgDbs[0].url, chain: pgDbs[1].url } : undefined,
    copy(which, name) {
      const to = join(dir, `${name}.db`);
      const from = which === 'corpus' ? corpus : chain;
      // No process has it open: the file and its write-ahead log together are the database.
      copyFileSync(from, to);
      if (existsSync(`${from}-wal`)) copyFileSync(`${from}-wal`, `${to}-wal`);
      return to;
    },
    cleanup: async () => {
      if (process.env.KEEP_TMP) return;
      rmSync(dir, { recursive: true, force: true });
      for (const d of pgDbs) await d.drop();
    },
  };
}

/** Direct SQL over the same file: the yardstick the CLI's answers are checked against. */
export function sqliteAll<T = Record<string, any>>(path: string, sql: string, ...params: unknown[]): T[] {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

export function sqliteOne<T = Record<string, any>>(path: string, sql: string, ...params: unknown[]): T {
  return sqliteAll<T>(path, sql, ...params)[0];
}

/**
 * The built CLI in a child process. Asynchronous on purpose: a test file spends minutes in
 * child processes, and a blocked event loop starves vitest's own worker messages.
 */
export const cli = (args: string[], env?: NodeJS.ProcessEnv) => solflowAsync(args, { env });

/** The CLI with --json: every stdout line must be one JSON object. */
export async function jsonLines(args: string[], env?: NodeJS.ProcessEnv): Promise<any[]> {
  const r = await cli([...args, '--json'], env);
  expect(r.code, r.stderr).toBe(0);
  const lines = r.stdout.split('\n').filter((l) => l !== '');
  return lines.map((l) => JSON.parse(l));
}

/** Lamports from a SOL number printed by the CLI (exact to the lamport). */
export const lamports = (sol: number | null): number | null => (sol === null ? null : Math.round(sol * 1e9));

/** RFC 4180 parsing, enough to read back what --format csv printed. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** A user mistake: exit 2, one `solflow: …` line, no stack. */
export function expectUsageError(r: { code: number | null; stdout: string; stderr: string }, pattern: RegExp): void {
  expect(r.code, r.stderr).toBe(2);
  expectOneLine(r.stderr, pattern);
}

export function expectOneLine(stderr: string, pattern: RegExp): void {
  const lines = stderr.trim().split('\n');
  expect(lines, stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^solflow: /);
  expect(lines[0]).toMatch(pattern);
  expect(stderr).not.toMatch(/\n\s+at /);
}
