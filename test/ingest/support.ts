/**
 * Helpers for the ingest tests: the built CLI as a long-running child (kill -9, SIGTERM), the
 * stored cursor read straight from the SQLite file while ingest runs, condition-based waits, and
 * the comparison against a backfill of the same slots.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ROOT, solflowAsync } from '../cli/run.js';

export interface Running {
  child: ChildProcess;
  /** Everything written so far (grows while it runs). */
  out: { stdout: string; stderr: string };
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function startIngest(args: string[]): Running {
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'solflow.js'), 'ingest', ...args], {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out = { stdout: '', stderr: '' };
  child.stdout!.on('data', (d) => (out.stdout += d));
  child.stderr!.on('data', (d) => (out.stderr += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  return { child, out, exited };
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `solflow-${prefix}-`));
}

/** The stored ingest cursor, or null (no database or table yet, or no cursor). */
export function readCursor(db: string): number | null {
  try {
    const conn = new Database(db, { readonly: true, fileMustExist: true });
    try {
      const row = conn.prepare("SELECT slot FROM cursors WHERE name = 'ingest'").get() as { slot: number } | undefined;
      return row ? Number(row.slot) : null;
    } finally {
      conn.close();
    }
  } catch {
    return null;
  }
}

export function countTrades(db: string): number {
  return countOf(db, 'SELECT count(*) AS n FROM trades');
}

/** Distinct transactions with a stored trade. */
export function countSignatures(db: string): number {
  return countOf(db, 'SELECT count(DISTINCT signature) AS n FROM trades');
}

function countOf(db: string, sql: string): number {
  const conn = new Database(db, { readonly: true, fileMustExist: true });
  try {
    return Number((conn.prepare(sql).get() as { n: number }).n);
  } finally {
    conn.close();
  }
}

/** Every table's every row as text (secrets must appear in none). */
export function dumpAllText(db: string): string {
  const conn = new Database(db, { readonly: true, fileMustExist: true });
  try {
    const tables = conn.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>;
    return tables
      .map(({ name }) => `${name}\n${JSON.stringify(conn.prepare(`SELECT * FROM "${name}"`).raw().all(), (_k, v) => (typeof v === 'bigint' ? v.toString() : Buffer.isBuffer(v) ? v.toString('latin1') : v))}`)
      .join('\n');
  } finally {
    conn.close();
  }
}

/** Poll until `check` returns a value other than undefined/false; fail with `what` and the child's stderr after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs: number, running?: Running): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${running ? `\n--- ingest stderr ---\n${running.out.stderr.slice(-3000)}` : ''}`);
    if (running && running.child.exitCode !== null) throw new Error(`ingest exited (${running.child.exitCode}) while waiting for ${what}\n${running.out.stderr.slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Wait until the stored cursor reaches `slot`. */
export function cursorReaches(db: string, slot: number, running: Running, timeoutMs = 30_000): Promise<number> {
  return waitFor(`cursor >= ${slot} (now ${readCursor(db)})`, () => {
    const c = readCursor(db);
    return c !== null && c >= slot ? c : undefined;
  }, timeoutMs, running);
}

export async function killHard(r: Running): Promise<void> {
  r.child.kill('SIGKILL');
  await r.exited;
}

/** `query trades --format csv` of a database, every row. */
export async function tradesCsv(db: string): Promise<string> {
  const r = await solflowAsync(['query', 'trades', '--db', db, '--format', 'csv', '--limit', '1000000']);
  if (r.code !== 0) throw new Error(`query trades failed (${r.code}): ${r.stderr}`);
  return r.stdout;
}

export async function backfillInto(db: string, rpc: string, from: number, to: number): Promise<void> {
  const r = await solflowAsync(['backfill', `${from}..${to}`, '--rpc', rpc, '--db', db, '--commitment', 'confirmed']);
  if (r.code !== 0) throw new Error(`backfill failed (${r.code}): ${r.stderr}`);
}

export async function scrape(port: number, path: string): Promise<{ status: number; body: string }> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: res.status, body: await res.text() };
}

export function metricValue(text: string, name: string): number | null {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
  return line ? Number(line.split(' ').pop()) : null;
}

/** A free port: bind 0, read it, close (the tiny race is acceptable on loopback in tests). */
export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export function filesIn(dir: string): string[] {
  return readdirSync(dir).map((f) => join(dir, f));
}

/** A replay clock the test steps by hand (slotMs 0): the JSON-RPC replay's live side or the gRPC replay. */
export interface SteppedClock {
  step(): void;
  readonly slot: number | null;
  readonly finished: boolean;
}

/**
 * Drive a replay clock at one block per `everyMs` while the stored cursor is within `lead`
 * slots, and ten times slower beyond that (never stopped: a restarted source needs slot
 * notifications to start). A loaded machine then slows the chain instead of failing the test,
 * while the chain still moves on without ingest (kills, outages) as a real one does.
 */
export function paceClock(clock: SteppedClock, db: string, opts: { everyMs?: number; lead?: number } = {}): () => void {
  const lead = opts.lead ?? 40;
  let tick = 0;
  const timer = setInterval(() => {
    if (clock.finished) return;
    tick++;
    const cursor = readCursor(db);
    const ahead = clock.slot === null || cursor === null ? 0 : clock.slot - cursor;
    if (ahead < lead || tick % 10 === 0) clock.step();
  }, opts.everyMs ?? 100);
  return () => clearInterval(timer);
}
