/**
 * A terminal for the watch benches: Ink renders into it at a fixed size and the frames are
 * thrown away (their bytes counted, so the writes are not optimised out); stdin never types.
 */
import { EventEmitter } from 'node:events';

export const COLUMNS = 120;
export const ROWS = 40;

export class SinkTty extends EventEmitter {
  isTTY = true;
  columns = COLUMNS;
  rows = ROWS;
  bytes = 0;
  write = (s: string): boolean => {
    this.bytes += s.length;
    return true;
  };
}

export class IdleStdin extends EventEmitter {
  isTTY = false;
  setEncoding(): void {}
  setRawMode(): void {}
  resume(): void {}
  pause(): void {}
  ref(): void {}
  unref(): void {}
  read = (): null => null;
}
