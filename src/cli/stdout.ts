/**
 * Data to stdout, for commands that stream rows (query, blocklist list).
 *
 * Written straight to file descriptor 1 when it is a pipe, a socket or a file and nothing has
 * made process.stdout yet: making that stream loads Node's stream and net modules (~6 ms of a
 * ~130 ms `query stats` piped). Each such write is whole when writeSync returns, so once
 * something makes the stream (bin/solflow.js says when: LAZY_STDOUT) every later write goes
 * through it and the order holds. A terminal is written through process.stdout as ever, and so
 * is everything after fd 1 answers EAGAIN (a non-blocking pipe that is full).
 */
import { fstatSync, writeSync } from 'node:fs';

/**
 * Marks bin/solflow.js's getter for process.stdout, which replaces itself with the stream once
 * made: while it is there, nothing has written to stdout through a stream.
 */
const LAZY_STDOUT = Symbol.for('solflow.lazy-stdout');

/** fd 1 is a pipe, a socket or a file: asked once. */
let notATerminal: boolean | undefined;
/** fd 1 answered EAGAIN: process.stdout from then on, which waits for the reader. */
let fellBack = false;

function writeDirect(): boolean {
  if (fellBack) return false;
  const getter = Object.getOwnPropertyDescriptor(process, 'stdout')?.get as { [LAZY_STDOUT]?: boolean } | undefined;
  if (getter?.[LAZY_STDOUT] !== true) return false;
  if (notATerminal === undefined) {
    try {
      const st = fstatSync(1);
      notATerminal = st.isFIFO() || st.isSocket() || st.isFile();
    } catch {
      notATerminal = false; // no fd 1 to look at: leave it to process.stdout
    }
  }
  return notATerminal;
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
      fellBack = true;
      process.stdout.write(bytes.subarray(done));
      return true;
    }
  }
  return true;
}
