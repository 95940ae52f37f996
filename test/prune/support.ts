/** Shared by the prune tests: child processes. */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '../cli/run.js';

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
