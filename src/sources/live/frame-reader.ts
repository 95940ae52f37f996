/**
 * Reads pubsub frames into FrameDigests (frame-digest.ts), on a worker thread or on the calling
 * one, and answers in the order the frames were read either way: every frame goes through the
 * same queue, so a slot notification is never handled ahead of a block that arrived before it.
 *
 * The worker is shared by the source's connections; a connection drops the answers that come
 * back after it closed. If the worker dies, the frames it held are lost: `onFailure` is told
 * (the source gives the connection up, and its reconnect gap refetches those slots) and later
 * frames are read on the calling thread.
 */
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../../util/start-worker.js';
import { digestFrame, type FrameBytes, type FrameDigest } from './frame-digest.js';

export interface FrameReader {
  /** `done` gets the frame's digest, after every frame read before it. */
  read(data: FrameBytes, done: (d: FrameDigest) => void): void;
  /** Frames read and not answered yet. */
  readonly backlog: number;
  close(): void;
}

export interface FrameReaderOptions {
  programs: ReadonlySet<string>;
  /** Read on a worker thread. */
  thread: boolean;
  /** The worker died; what it held is lost. */
  onFailure?: (why: string) => void;
}

export interface FrameWorkerData {
  programs: string[];
}

/**
 * The worker's young generation. A block notification is megabytes of short-lived objects;
 * with V8's default semi-spaces most of them live through a scavenge or two (they are held
 * until the block is decoded) and are copied each time.
 */
const YOUNG_GENERATION_MB = 128;

export function createFrameReader(opts: FrameReaderOptions): FrameReader {
  const { programs } = opts;
  const inline: FrameReader = {
    read: (data, done) => done(digestFrame(data, programs)),
    backlog: 0,
    close() {},
  };
  if (!opts.thread) return inline;

  let worker: Worker | null = startWorker(import.meta.url, 'frame-worker', {
    workerData: { programs: [...programs] } satisfies FrameWorkerData,
    resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
  });
  worker.unref();
  /**
   * Until the worker has started (tens of ms; seconds under tsx on a loaded machine) frames are
   * read here, so a subscription's reply does not wait for it; nothing is queued then, so the
   * order holds.
   */
  let ready = false;
  const waiting: Array<(d: FrameDigest) => void> = [];
  worker.on('message', (d: FrameDigest | 'ready') => {
    if (d === 'ready') ready = true;
    else waiting.shift()?.(d);
  });
  const failed = (why: string) => {
    if (!worker) return;
    worker = null;
    waiting.length = 0;
    opts.onFailure?.(why);
  };
  worker.on('error', (err) => failed(`the frame worker failed: ${err.message}`));
  worker.on('exit', (code) => failed(`the frame worker exited (code ${code})`));

  return {
    read(data, done) {
      if (!worker || !ready) return inline.read(data, done);
      waiting.push(done);
      if (typeof data === 'string') return worker.postMessage(data);
      const bytes = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
      // A big frame is a buffer of its own (ws assembles it so): moved to the worker, not copied
      // (copying cost the main thread a quarter of its time). Bytes that share their memory
      // with others (a small frame in a pool, a slice of a socket read) are copied.
      if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && !(bytes.buffer instanceof SharedArrayBuffer)) {
        return worker.postMessage(bytes, [bytes.buffer]);
      }
      const own = new Uint8Array(bytes.length);
      own.set(bytes);
      worker.postMessage(own, [own.buffer]);
    },
    get backlog() {
      return waiting.length;
    },
    close() {
      const w = worker;
      worker = null;
      waiting.length = 0;
      void w?.terminate();
    },
  };
}
