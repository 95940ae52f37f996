/**
 * The width tables must fit, and `--wide`. Apart from format.ts so that setting the flag (every
 * command does, before its action) does not load the table drawing for commands that draw none.
 */
import { stdoutIsTTY } from './stdout.js';

let wideTables = false;

/** `--wide`: every column in full, whatever the terminal's width. */
export function setWideTables(wide: boolean): void {
  wideTables = wide;
}

/** The width tables must fit: the terminal's, and none (no cutting) off a TTY or with --wide. */
export function tableWidth(): number {
  if (wideTables || !stdoutIsTTY()) return Infinity;
  return process.stdout.columns > 0 ? process.stdout.columns : 80;
}
