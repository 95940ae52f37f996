/**
 * Where a command's output goes: data on stdout, notes and a live progress line on stderr, the
 * wall clock, the environment and Ctrl-C. Commands take an Io so tests can drive them in-process.
 */

export interface Io {
  out(line: string): void;
  err(line: string): void;
  /** The live progress line (TTY only): rewritten in place. */
  status(line: string | null): void;
  isTTY: boolean;
  env: NodeJS.ProcessEnv;
  now(): number;
  /** Subscribe to Ctrl-C / SIGTERM; answers an unsubscribe function. */
  onInterrupt(fn: () => void): () => void;
}

export function defaultIo(): Io {
  let shown = false;
  return {
    out: (line) => process.stdout.write(line + '\n'),
    err: (line) => {
      if (shown) process.stderr.write('\r\x1b[K');
      shown = false;
      process.stderr.write(line + '\n');
    },
    status: (line) => {
      if (line === null) {
        if (shown) process.stderr.write('\r\x1b[K');
        shown = false;
        return;
      }
      process.stderr.write('\r\x1b[K' + line);
      shown = true;
    },
    isTTY: process.stderr.isTTY === true && !process.env.CI,
    env: process.env,
    now: Date.now,
    onInterrupt(fn) {
      process.on('SIGINT', fn);
      process.on('SIGTERM', fn);
      return () => {
        process.off('SIGINT', fn);
        process.off('SIGTERM', fn);
      };
    },
  };
}
