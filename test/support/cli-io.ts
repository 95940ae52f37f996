/** An Io for running CLI commands in-process: output captured, never a TTY, no signals. */
import type { Io } from '../../src/cli/io.js';

export interface CapturedIo extends Io {
  stdout: string[];
  stderr: string[];
}

export function captureIo(env: NodeJS.ProcessEnv = {}): CapturedIo {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    stdout,
    stderr,
    out: (l) => stdout.push(l),
    err: (l) => stderr.push(l),
    status: () => {},
    isTTY: false,
    env,
    now: Date.now,
    onInterrupt: () => () => {},
  };
}
