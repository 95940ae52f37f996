/**
 * Reads pubsub frames into FrameDigests (frame-digest.ts), on worker threads or on the calling
 * one, and answers in the order the frames were read either way: a frame's digest is passed on
 * only after those of every frame read before it, whichever worker read them, so a slot
 * notification is never handled ahead of a block that arrived before it. Several workers let
 * one connection's blocks be parsed and decoded side by side, the costliest part of ingest.
 *
 * The workers are shared by the source's connections; a connection drops the answers that come
 * back after it closed. The getBlock answers of the source's gap fills (readBlockAnswer) are
 * read on one more worker, at the lowest scheduling priority (Linux nice 19), and come back as
 * soon as read, since the fill orders its blocks itself. Why a thread of its own: a fill
 * follows a dropped connection, while the stream goes on; read beside the live frames, its
 * blocks took the CPU the stream needed, the socket fell behind the node again (a node drops
 * a subscriber that falls too far behind) and each fill caused the next.
 * If a worker dies, the frames the workers held are lost: `onFailure` is told (the source gives
 * the connection up, and its reconnect gap refetches those slots) and later frames are read on
 * the calling thread; the getBlock answers held settle as unread (the fill refetches them).
 */
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../../util/start-worker.js';
import { digestBlockAnswer, digestFrame, type AnswerDigest, type FrameBytes, type FrameDigest } from './frame-digest.js';

export interface FrameReader {
  /** `done` gets the frame's digest, after every frame read before it. */
  read(data: FrameBytes, done: (d: FrameDigest) => void): void;
  /** A getBlock answer's body for `slot` (its chunks), read as frame-digest.ts#digestBlockAnswer does. */
  readBlockAnswer(slot: number, body: Uint8Array[]): Promise<AnswerDigest>;
  /** Frames read and not answered yet. */
  readonly backlog: number;
  /** Their bytes. */
  readonly backlogBytes: number;
  /** Threads reading (0: the calling one). */
  readonly threads: number;
  /** Settles once every worker has started (frames read before then are read inline). */
  ready(): Promise<void>;
  close(): void;
}

export interface FrameReaderOptions {
  programs: ReadonlySet<string>;
  /** Worker threads to read on, each taking the next frame when it holds the fewest; 0 reads on the calling thread. */
  threads: number;
  /** A worker died; what the workers held is lost. */
  onFailure?: (why: string) => void;
}

export interface FrameWorkerData {
  programs: string[];
  /** Nice values below the process's to run at (0: its own); see LIVE_NICE and FILL_NICE. */
  niceSteps: number;
}

/**
 * Scheduling priorities, as Linux nice values for the reading threads alone, counted down
 * from the process's (from the default 0: the live readers at 4, the fill's at 19, the
 * lowest). The thread that reads the socket (the calling one) keeps the process's: when the
 * cores are short (the first seconds, before the code is optimised; a burst of commits; a
 * collection) it is the one that must not wait, since a node drops a subscriber it cannot
 * write to for a few seconds, and the frames it hands over are held here and read once the
 * spell passes. Measured at 10,000 tx/s on two cores (the soak bench), readers at the same
 * priority lost the connection in the first seconds of every run and then after each gap
 * fill; a few steps below, none in three minutes. The gap fill's reader comes last: it takes
 * only the time nobody else wants.
 */
const LIVE_NICE = 4;
const FILL_NICE = 19;

/** What a worker is given: a frame (bytes or text), or a getBlock answer's bytes with its slot. */
export type WorkerJob = Uint8Array | string | { slot: number; body: Uint8Array[] };

/**
 * The worker's young generation. A block notification is megabytes of short-lived objects;
 * with V8's default semi-spaces most of them live through a scavenge or two (they are held
 * until the block is decoded) and are copied each time.
 */
const YOUNG_GENERATION_MB = 128;

/** One per core, at most 4: past that the main thread (socket, flow engine, writer) is the limit. */
export function defaultFrameThreads(): number {
  return Math.min(4, availableParallelism());
}

/** A frame handed to a worker: answered when its digest is back, passed on in arrival order. */
interface Pending {
  done: (d: FrameDigest) => void;
  digest: FrameDigest | null;
  bytes: number;
}

/** What a worker holds: takes the worker's answer; a getBlock answer can also be dropped unread. */
interface Held {
  take: (answer: FrameDigest | AnswerDigest) => void;
  drop?: (why: string) => void;
}

interface FrameThread {
  worker: Worker;
  ready: boolean;
  /** Its work, oldest first: a worker answers in the order it was given it. */
  held: Held[];
}

export function createFrameReader(opts: FrameReaderOptions): FrameReader {
  const { programs } = opts;
  const inline: FrameReader = {
    read: (data, done) => done(digestFrame(data, programs)),
    readBlockAnswer: (slot, body) => Promise.resolve(digestBlockAnswer(body.map(asBuffer), slot, programs)),
    backlog: 0,
    backlogBytes: 0,
    threads: 0,
    ready: () => Promise.resolve(),
    close() {},
  };
  if (opts.threads < 1) return inline;

  /** Every frame given to a worker, in arrival order. */
  let order: Pending[] = [];
  /** The bytes of the frames in `order`. */
  let orderBytes = 0;
  let pool: FrameThread[] = [];
  /** The getBlock answers' reader (the last one started, also in pool). */
  let fillThread: FrameThread | null = null;
  let started = 0;
  let onStarted: () => void = () => {};
  const allStarted = new Promise<void>((resolve) => (onStarted = resolve));
  const stopAll = (why: string) => {
    const held = pool.flatMap((t) => t.held);
    for (const t of pool) void t.worker.terminate();
    pool = [];
    fillThread = null;
    order = [];
    orderBytes = 0;
    onStarted();
    for (const h of held) h.drop?.(why);
  };
  const failed = (why: string) => {
    if (pool.length === 0) return;
    // Frames from one worker are lost and the others' answers would come out of order around
    // the hole: drop them all, read on this thread from now on, and let the source refetch.
    stopAll(why);
    opts.onFailure?.(why);
  };
  const passOn = () => {
    let n = 0;
    while (n < order.length && order[n].digest !== null) n++;
    if (n === 0) return;
    const answered = order.slice(0, n);
    order = order.slice(n);
    for (const p of answered) orderBytes -= p.bytes;
    for (const p of answered) p.done(p.digest!);
  };
  for (let i = 0; i <= opts.threads; i++) {
    const forFills = i === opts.threads;
    const t: FrameThread = {
      worker: startWorker(import.meta.url, 'frame-worker', {
        workerData: { programs: [...programs], niceSteps: forFills ? FILL_NICE : LIVE_NICE } satisfies FrameWorkerData,
        resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
      }),
      ready: false,
      held: [],
    };
    t.worker.unref();
    t.worker.on('message', (d: FrameDigest | 'ready') => {
      if (d === 'ready') {
        t.ready = true;
        if (++started === opts.threads + 1) onStarted();
      }
      else if (pool.includes(t)) {
        t.held.shift()!.take(d);
      }
    });
    t.worker.on('error', (err) => failed(`a frame worker failed: ${err.message}`));
    t.worker.on('exit', (code) => failed(`a frame worker exited (code ${code})`));
    pool.push(t);
    if (forFills) fillThread = t;
  }

  /** The started live worker holding the fewest frames. */
  const pick = (): FrameThread | null => {
    let best: FrameThread | null = null;
    for (const t of pool) if (t !== fillThread && t.ready && (best === null || t.held.length < best.held.length)) best = t;
    return best;
  };

  return {
    read(data, done) {
      const t = pick();
      /**
       * Until a worker has started (tens of ms; seconds under tsx on a loaded machine) frames
       * are read here, so a subscription's reply does not wait for it; nothing is held by a
       * worker then, so the order holds.
       */
      if (t === null) return inline.read(data, done);
      const pending: Pending = { done, digest: null, bytes: frameBytes(data) };
      order.push(pending);
      orderBytes += pending.bytes;
      t.held.push({
        take: (d) => {
          pending.digest = d as FrameDigest;
          passOn();
        },
      });
      if (typeof data === 'string') return t.worker.postMessage(data);
      const own = ownBytes(Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data));
      t.worker.postMessage(own, [own.buffer]);
    },
    readBlockAnswer(slot, body) {
      const t = fillThread?.ready ? fillThread : null;
      if (t === null) return inline.readBlockAnswer(slot, body);
      return new Promise<AnswerDigest>((done) => {
        t.held.push({ take: (d) => done(d as AnswerDigest), drop: (why) => done({ ok: false, why }) });
        const own = body.map((chunk) => ownBytes(asBuffer(chunk)));
        t.worker.postMessage({ slot, body: own } satisfies WorkerJob, own.map((c) => c.buffer));
      });
    },
    get backlog() {
      return order.length;
    },
    get backlogBytes() {
      return orderBytes;
    },
    get threads() {
      return fillThread ? pool.length - 1 : pool.length;
    },
    ready: () => allStarted,
    close() {
      stopAll('the frame reader closed');
    },
  };
}

function frameBytes(data: FrameBytes): number {
  if (typeof data === 'string') return data.length;
  if (Array.isArray(data)) return data.reduce((n, b) => n + b.byteLength, 0);
  return data.byteLength;
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * Bytes to move to a worker. A big frame or HTTP body is a buffer of its own (ws and fetch
 * assemble it so): moved, not copied (copying cost the main thread a quarter of its time).
 * Bytes that share their memory with others (a small frame in a pool, a slice of a socket
 * read) are copied.
 */
function ownBytes(bytes: Buffer): Uint8Array & { buffer: ArrayBuffer } {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer) return bytes as Uint8Array & { buffer: ArrayBuffer };
  const own = new Uint8Array(bytes.length);
  own.set(bytes);
  return own;
}
