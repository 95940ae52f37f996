/**
 * The frame worker's side of frame-reader.ts: each frame (or getBlock answer) in, its digest
 * out, in the order they came.
 */
import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { digestBlockAnswer, digestFrame } from './frame-digest.js';
import type { FrameWorkerData, WorkerJob } from './frame-reader.js';

const data = workerData as FrameWorkerData;
const programs = new Set(data.programs);
if (data.niceSteps > 0) lowerOwnPriority(data.niceSteps);
const port = parentPort!;
const bytes = (data: Uint8Array) => Buffer.from(data.buffer, data.byteOffset, data.byteLength);
port.on('message', (job: WorkerJob) => {
  if (typeof job === 'string') port.postMessage(digestFrame(job, programs));
  else if (job instanceof Uint8Array) port.postMessage(digestFrame(bytes(job), programs));
  else port.postMessage(digestBlockAnswer(job.body.map(bytes), job.slot, programs));
});
port.postMessage('ready');

/**
 * This thread `steps` nice values below the one it started with (the process's), for it
 * alone: on Linux a thread's nice value is its own, set through its thread id (which
 * /proc/thread-self names). Lowering one's priority needs no privilege. Elsewhere, or where it
 * is refused, the thread keeps the process's priority: the stream is then less tolerant of a
 * busy machine, not wrong.
 */
function lowerOwnPriority(steps: number): void {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, Math.min(19, getPriority(tid) + steps));
  } catch {
    // Not Linux, or not permitted.
  }
}
