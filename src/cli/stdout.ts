/**
 * Data to stdout, for commands that stream rows (query, blocklist list).
 *
 * Written straight to file descriptor 1 when it is a pipe, a socket or a file and nothing has
 * made process.stdout yet: making that stream loads Node's stream and net modules (~6 ms of a
 * ~130 ms `query stats` piped), and writes to a pipe or file are synchronous on Linux either
 * way. A terminal, or a stream someone already made, is written through process.stdout as ever,
 * and so is the rest of the output once fd 1 answers EAGAIN (a non-blocking pipe that is full).
 */
import { fstatSync, writeSync } from 'node:fs';

/** Decided at the first use: write to fd 1 ourselves. */
let direct: boolean | undefined;

/**
 * fd 1 is certainly not a terminal, and process.stdout is still the getter that makes it on
 * first use (bin/solflow.js replaces it with the stream once made).
 */
function writeDirect(): boolean {
  if (direct !== undefined) return direct;
  direct = false;
  if (typeof Object.getOwnPropertyDescriptor(process, 'stdout')?.get !== 'function') return direct;
  try {
    const st = fstatSync(1);
    direct = st.isFIFO() || st.isSocket() || st.isFile();
  } catch {
    // no fd 1 to look at: leave it to process.stdout
  }
  return direct;
}

/** Whether stdout is a terminal, asked without making process.stdout where that can be avoided. */
export function stdoutIsTTY(): boolean {
  return !writeDirect() && process.stdout.isTTY === true;
}

/**
 * A reader that stops early (`| head`) closes the pipe: the process ends quietly with 0, as Unix
 * tools do (bin/solflow.js does the same for process.stdout), and for process.stdout this returns
 * false so long outputs stop.
 */
export function out(text: string): boolean {
  if (!writeDirect()) {
    if (process.stdout.destroyed) return false;
    if (text) process.stdout.write(text);
    return true;
  }
  const bytes = Buffer.from(text);
  let done = 0;
  while (done < bytes.length) {
    try {
      done += writeSync(1, bytes, done);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EPIPE') process.exit(0);
      if (code !== 'EAGAIN') throw err;
      direct = false;
      process.stdout.write(bytes.subarray(done));
      return true;
    }
  }
  return true;
}
