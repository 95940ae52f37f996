/**
 * One JSON-RPC pubsub connection (Solana's WebSocket API) over `ws`: requests answered by id,
 * notifications routed to their subscription's handler by subscription id. A frame that is not
 * JSON, or is JSON of no known shape, goes to `onMalformed` and nothing else happens: a bad
 * frame never throws out of the connection.
 *
 * A subscription's handler is registered while its reply is being handled, before the next frame
 * is (the reader answers in arrival order), so a notification that follows the reply on the wire
 * is never orphaned.
 */
import WebSocket from 'ws';
import { redactText } from '../../util/redact.js';
import type { FrameReader } from './frame-reader.js';
import type { FrameDigest } from './frame-digest.js';

export interface PubsubOptions {
  /** A frame that could not be used; the text is given (possibly truncated) for salvage. */
  onMalformed: (text: string, why: string) => void;
  /** Deadline for the upgrade and for each request's reply, ms. */
  timeoutMs: number;
  /** Turns frames into JSON (and block notifications into digests), in order. */
  reader: FrameReader;
}

/**
 * Frames read and not yet answered by the reader past which the socket stops being read: a
 * busy block is megabytes, and a reader that falls behind must not queue the stream without
 * bound. The bound is in bytes, and generous: a node drops a subscriber it cannot write to
 * for long (at most 256 MiB queued for it), and every drop costs a gap fetched over HTTP,
 * dearer than the stream. Frames held here instead ride out a slow spell (code not yet
 * optimised at start-up, a burst of commits, a collection) and are read once it passes:
 * 512 MiB is ~4.5 s of 10,000 tx/s. The frame count caps a stream of small frames.
 */
const READER_BACKLOG_BYTES = 512 * 2 ** 20;
const READER_BACKLOG_FRAMES = 4096;

export interface PubsubConnection {
  /** Resolves with the result; rejects with a PubsubError (an error reply, a timeout, a close). */
  request<T = unknown>(method: string, params: unknown[]): Promise<T>;
  /** Subscribe, routing each notification's `result` to `onNotification`; resolves with the id. */
  subscribe(method: string, params: unknown[], onNotification: (result: unknown) => void): Promise<number>;
  /** Stop / start reading frames (backpressure). */
  pause(): void;
  resume(): void;
  /** Close abruptly (no close handshake: the connection is being given up on). */
  terminate(): void;
  /** Resolves once, with why, when the connection is gone for any reason. */
  readonly closed: Promise<string>;
}

export class PubsubError extends Error {
  /** The JSON-RPC error code when the endpoint answered with one. */
  readonly code: number | undefined;
  constructor(message: string, code?: number) {
    super(redactText(message));
    this.name = 'PubsubError';
    this.code = code;
  }
}

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  timer: ReturnType<typeof setTimeout>;
  onNotification?: (result: unknown) => void;
}

/** Connect; rejects (with the URL redacted) when the upgrade fails: refused, 429, timeout. */
export function openPubsub(url: string, opts: PubsubOptions): Promise<PubsubConnection> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { handshakeTimeout: opts.timeoutMs, perMessageDeflate: false });
    let opened = false;
    let lastError: string | null = null;
    const pending = new Map<number, Pending>();
    const handlers = new Map<number, (result: unknown) => void>();
    let nextId = 1;
    let closedWith: string | null = null;
    let signalClosed!: (why: string) => void;
    const closed = new Promise<string>((r) => (signalClosed = r));

    const finish = (why: string) => {
      if (closedWith !== null) return;
      closedWith = why;
      for (const p of pending.values()) {
        clearTimeout(p.timer);
        p.reject(new PubsubError(`connection closed: ${why}`));
      }
      pending.clear();
      handlers.clear();
      signalClosed(why);
    };

    ws.on('error', (err) => {
      lastError = redactText(err.message || String(err));
      if (!opened) {
        finish(lastError);
        reject(new PubsubError(`cannot connect to ${redactText(url)}: ${lastError}`));
      }
    });
    ws.on('close', (code: number, reason: unknown) => {
      const text = String(reason ?? '');
      finish(lastError ?? `closed (code ${code}${text ? `, ${redactText(text)}` : ''})`);
      if (!opened) reject(new PubsubError(`cannot connect to ${redactText(url)}: closed before open`));
    });
    /** pause() asked by the owner; the reader's backlog pauses on its own. */
    let pausedByOwner = false;
    let pausedForReader = false;
    const readerFull = () => opts.reader.backlogBytes >= READER_BACKLOG_BYTES || opts.reader.backlog >= READER_BACKLOG_FRAMES;
    const pausable = ws as unknown as Pausable;
    ws.on('message', (data: WebSocket.Data) => {
      opts.reader.read(data as Buffer | ArrayBuffer | Buffer[] | string, onDigest);
      if (!pausedForReader && readerFull()) {
        pausedForReader = true;
        pausable.pause();
      }
    });

    function onDigest(d: FrameDigest): void {
      if (pausedForReader && !readerFull()) {
        pausedForReader = false;
        if (!pausedByOwner && closedWith === null) pausable.resume();
      }
      // An answer for a frame of a connection given up since: nothing listens any more.
      if (closedWith !== null) return;
      if (!d.ok) return opts.onMalformed(d.text, d.why);
      onFrame(d.msg as any);
    }

    function onFrame(msg: any): void {
      if (typeof msg.id === 'number' && pending.has(msg.id)) {
        const p = pending.get(msg.id)!;
        pending.delete(msg.id);
        clearTimeout(p.timer);
        if (msg.error) return p.reject(new PubsubError(String(msg.error.message ?? 'error'), msg.error.code));
        if (p.onNotification) {
          if (typeof msg.result !== 'number') return p.reject(new PubsubError('subscription id is not a number'));
          handlers.set(msg.result, p.onNotification);
        }
        return p.resolve(msg.result);
      }
      const sub = msg.params?.subscription;
      if (typeof msg.method === 'string' && typeof sub === 'number' && msg.params && 'result' in msg.params) {
        // A notification for a subscription we dropped: harmless, ignore.
        handlers.get(sub)?.(msg.params.result);
        return;
      }
      // A reply with an error and no id (e.g. a parse error the server reports) or anything else,
      // as text again for salvage (the reader left such a frame as it came).
      opts.onMalformed(JSON.stringify(msg), msg.error ? `error without a request: ${redactText(String(msg.error.message ?? ''))}` : 'unknown frame');
    }

    function send<T>(method: string, params: unknown[], onNotification?: (r: unknown) => void): Promise<T> {
      if (closedWith !== null) return Promise.reject(new PubsubError(`connection closed: ${closedWith}`));
      const id = nextId++;
      return new Promise<T>((res, rej) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          rej(new PubsubError(`no answer to ${method} within ${opts.timeoutMs} ms`));
        }, opts.timeoutMs);
        pending.set(id, { resolve: res as (v: unknown) => void, reject: rej, timer, onNotification });
        ws.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }), (err) => {
          if (!err) return;
          const p = pending.get(id);
          if (!p) return;
          pending.delete(id);
          clearTimeout(p.timer);
          rej(new PubsubError(`cannot send ${method}: ${err.message}`));
        });
      });
    }

    ws.on('open', () => {
      opened = true;
      resolve({
        request: (method, params) => send(method, params),
        subscribe: (method, params, onNotification) => send<number>(method, params, onNotification),
        // ws 8 has pause/resume; the installed @types/ws (7.x) does not declare them.
        pause: () => {
          pausedByOwner = true;
          pausable.pause();
        },
        resume: () => {
          pausedByOwner = false;
          if (!pausedForReader) pausable.resume();
        },
        terminate: () => {
          ws.terminate();
          finish('closed by us');
        },
        closed,
      });
    });
  });
}

interface Pausable {
  pause(): void;
  resume(): void;
}
