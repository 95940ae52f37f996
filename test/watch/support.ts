/** Shared by the watch tests: the CLI from src/ as a child, fixture halves, waits on conditions. */
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openStore } from '../../src/store/index.js';
import { FIXTURE_TX_DIR, REPO_ROOT } from '../support/replay/index.js';

export const CLI_ARGS = [join(REPO_ROOT, 'node_modules/vite-node/vite-node.mjs'), join(REPO_ROOT, 'test/support/solflow-cli.ts')];

export interface Child {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** `solflow …` from src/ in a child process (so it can be signalled and run beside a writer). */
export function spawnCli(args: string[], env: NodeJS.ProcessEnv = {}): Child {
  const child = spawn(process.execPath, [...CLI_ARGS, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, NO_COLOR: '1', SOLFLOW_RPC_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code, signal) => resolve(code ?? (signal ? -1 : null))));
  return { child, stdout: () => out, stderr: () => err, exited };
}

export async function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const c = spawnCli(args);
  const code = await c.exited;
  return { code, stdout: c.stdout(), stderr: c.stderr() };
}

export async function waitFor(what: string, cond: () => boolean | Promise<boolean>, timeoutMs = 60_000, everyMs = 50): Promise<number> {
  const start = Date.now();
  for (;;) {
    if (await cond()) return Date.now() - start;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/**
 * The bundled transactions split by slot into `parts` directories (lowest slots first), so a
 * later part always brings a newer slot than the ones before it.
 */
export function splitFixtures(root: string, parts: number): string[] {
  const files = readdirSync(FIXTURE_TX_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => ({ f, slot: Number((JSON.parse(readFileSync(join(FIXTURE_TX_DIR, f), 'utf8')) as { slot?: unknown }).slot ?? -1) }))
    // A few recorded transactions carry no slot: they go first, with the oldest.
    .map((x) => ({ ...x, slot: Number.isFinite(x.slot) ? x.slot : -1 }))
    .sort((a, b) => a.slot - b.slot || (a.f < b.f ? -1 : 1));
  const dirs: string[] = [];
  for (let i = 0; i < parts; i++) {
    const dir = join(root, `part${i}`);
    mkdirSync(dir, { recursive: true });
    for (const { f } of files.slice(Math.floor((i * files.length) / parts), Math.floor(((i + 1) * files.length) / parts))) copyFileSync(join(FIXTURE_TX_DIR, f), join(dir, f));
    dirs.push(dir);
  }
  return dirs;
}

/** A new solflow database with its schema and no rows. */
export async function createEmptyDb(path: string): Promise<void> {
  const store = await openStore({ db: path });
  await store.close();
}

/** Every stored trade's (signature, ixPath) key, and the newest slot. */
export function storedKeys(path: string): { keys: string[]; maxSlot: number | null } {
  const db = new Database(path, { readonly: true });
  try {
    const keys = (db.prepare('SELECT signature, ix_path FROM trade_rows').all() as { signature: string; ix_path: string }[]).map((r) => `${r.signature}#${r.ix_path}`);
    const maxSlot = db.prepare('SELECT max(slot) FROM trade_rows').pluck().get() as number | null;
    return { keys, maxSlot };
  } finally {
    db.close();
  }
}

/** The (signature, ixPath) of each --ndjson line, in order. */
export function ndjsonKeys(text: string): string[] {
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const r = JSON.parse(l) as { signature: string; ixPath: string };
      return `${r.signature}#${r.ixPath}`;
    });
}
