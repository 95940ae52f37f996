/** Shared by the prune tests: a database of the real corpus, row snapshots, child processes. */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { createPipeline } from '../../src/core/pipeline.js';
import { readRecorded } from '../../src/sources/recorded.js';
import { openDatabase, sqliteStore } from '../../src/store/sqlite/index.js';
import { ROOT } from '../cli/run.js';

/**
 * The 155 recorded mainnet transactions through the one pipeline: trades 2021–2026, metrics,
 * tokens; the log checkpointed into the file so copies of it are whole.
 */
export async function buildCorpusDb(path: string): Promise<void> {
  const db = openDatabase({ path });
  const pipeline = await createPipeline({ store: sqliteStore(db), metricsIntervalMs: 0 });
  const envelopes = [];
  for await (const item of readRecorded([join(ROOT, 'fixtures', 'tx')])) if (item.kind === 'tx') envelopes.push({ tx: item.tx });
  await pipeline.ingestTransactions(envelopes);
  await pipeline.close();
  db.sqlite.pragma('wal_checkpoint(TRUNCATE)');
  await db.close();
}

/** Builds the corpus database once (call in beforeAll); each call of the returned function is a fresh copy for one test. */
export function corpusCopies(tmp: { file(name: string): string }, prefix: string): { build(): Promise<void>; copy(): string } {
  const corpus = tmp.file(`${prefix}-corpus.db`);
  let n = 0;
  return {
    build: () => buildCorpusDb(corpus),
    copy() {
      const p = tmp.file(`${prefix}-${++n}.db`);
      copyFileSync(corpus, p);
      return p;
    },
  };
}

export interface Snapshot {
  trades: Map<number, number | null>; // id -> block_time
  signals: Map<number, number>; // id -> block_time
  metrics: Map<string, number>; // mint|window -> as_of
  tokens: Map<string, number | null>; // mint -> last_seen_time
}

export function snapshot(sqlite: Database.Database): Snapshot {
  const pairs = <K, V>(sql: string) => new Map((sqlite.prepare(sql).raw().all() as [K, V][]).map(([k, v]) => [k, v]));
  return {
    trades: pairs('SELECT id, block_time FROM trades'),
    signals: pairs('SELECT id, block_time FROM signals'),
    metrics: pairs(`SELECT mint || '|' || window, as_of FROM token_metrics`),
    tokens: pairs('SELECT mint, last_seen_time FROM tokens'),
  };
}

/** A child process with its output collected and a promise of its exit code (-1 when killed). */
export interface Child {
  child: ChildProcessWithoutNullStreams;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number>;
  /** Resolves when stdout or stderr has a line matching re. */
  waitFor: (re: RegExp, timeoutMs?: number) => Promise<void>;
}

export function spawnChild(args: string[], env: NodeJS.ProcessEnv = {}): Child {
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', ...env } });
  let out = '';
  let err = '';
  const waiters: Array<{ re: RegExp; resolve: () => void }> = [];
  const check = () => {
    for (const w of [...waiters]) {
      if (w.re.test(out) || w.re.test(err)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  };
  child.stdout.on('data', (d) => {
    out += d;
    check();
  });
  child.stderr.on('data', (d) => {
    err += d;
    check();
  });
  const exited = new Promise<number>((resolve) => child.on('close', (code, signal) => resolve(code ?? (signal ? -1 : 0))));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitFor: (re, timeoutMs = 30_000) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${re}; stdout: ${out.slice(-500)} stderr: ${err.slice(-500)}`)), timeoutMs);
        waiters.push({ re, resolve: () => (clearTimeout(timer), resolve()) });
        void exited.then(() => {
          check();
          reject(new Error(`exited before ${re}; stdout: ${out.slice(-500)} stderr: ${err.slice(-500)}`));
        });
        check();
      }),
  };
}

/** The built CLI, as a user runs it. */
export const cli = (args: string[], env: NodeJS.ProcessEnv = {}) => spawnChild([join(ROOT, 'bin', 'solflow.js'), ...args], env);

/** A TypeScript file from test/ in its own process (vite-node, as the backfill kill tests do). */
export const tsChild = (file: string, args: string[]) =>
  spawnChild([join(ROOT, 'node_modules', 'vite-node', 'vite-node.mjs'), join(ROOT, file), ...args]);
