/**
 * Lowering the calling thread's scheduling priority, and only its own: on Linux a thread's
 * nice value is per thread, set through its thread id (which /proc/thread-self names), so a
 * worker thread can step back without touching the process. Lowering one's priority needs no
 * privilege. Elsewhere, or where it is refused, nothing changes.
 */
import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/** `steps` nice values below the thread's current one (at most 19); false where it cannot. */
export function lowerThreadPriority(steps: number): boolean {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (!Number.isInteger(tid) || tid <= 0) return false;
    setPriority(tid, Math.min(19, getPriority(tid) + steps));
    return true;
  } catch {
    return false;
  }
}
