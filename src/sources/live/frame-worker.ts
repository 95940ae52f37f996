/**
 * The frame worker's side of frame-reader.ts: each frame in, its digest out, in arrival order.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { digestFrame } from './frame-digest.js';
import type { FrameWorkerData } from './frame-reader.js';

const programs = new Set((workerData as FrameWorkerData).programs);
const port = parentPort!;
port.on('message', (data: Uint8Array | string) => {
  port.postMessage(digestFrame(typeof data === 'string' ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength), programs));
});
port.postMessage('ready');
