/**
 * The frame worker's side of frame-reader.ts: each frame (or getBlock answer) in, its digest
 * out, in the order they came.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { digestBlockAnswer, digestFrame } from './frame-digest.js';
import type { FrameWorkerData, WorkerJob } from './frame-reader.js';
import { lowerThreadPriority } from '../../util/thread-priority.js';

const data = workerData as FrameWorkerData;
const programs = new Set(data.programs);
// Where it cannot (not Linux), the stream is less tolerant of a busy machine, not wrong.
if (data.niceSteps > 0) lowerThreadPriority(data.niceSteps);
const port = parentPort!;
const bytes = (data: Uint8Array) => Buffer.from(data.buffer, data.byteOffset, data.byteLength);
port.on('message', (job: WorkerJob) => {
  if (typeof job === 'string') port.postMessage(digestFrame(job, programs));
  else if (job instanceof Uint8Array) port.postMessage(digestFrame(bytes(job), programs));
  else port.postMessage(digestBlockAnswer(job.body.map(bytes), job.slot, programs));
});
port.postMessage('ready');
