/**
 * The replay server's WebSocket side: Solana's JSON-RPC pubsub on the same port as HTTP (an
 * upgrade), driven by a replayed clock that walks the synthetic chain block by block.
 *
 * - slotSubscribe, logsSubscribe ('all', 'allWithVotes', or { mentions: [one address] }) and
 *   blockSubscribe ('all' or { mentionsAccountOrProgram }), each with its unsubscribe. For
 *   every produced block, in slot order: the slot notification, then one logs notification
 *   per matching transaction in block order, then the block notification.
 * - The clock starts on the first subscription (or `start()`), emits a block every
 *   `slotMs` × (slots since the previous block), so skipped slots take their time, and stops at
 *   the chain's tip. `slotMs: 0` leaves it to `step()`. It keeps going while clients are
 *   disconnected: what they miss is what a reconnecting client must backfill.
 * - While it runs, the HTTP side treats the clock's slot as the tip (see server.ts).
 * - Faults, read from the server's current Faults: latency before every frame, a connection
 *   dropped without a close frame (per notification), a truncated frame, a cap on concurrent
 *   connections (the upgrade is refused with HTTP 429), a silent mode (connections stay open,
 *   nothing is sent), and by hand `dropAll()` and `outage(ms)` (drop everyone, then refuse
 *   upgrades for a while).
 * - `blockSubscribe: false` makes it a node without block subscriptions (most providers).
 */
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { accountKeys, type Block, type BlockTx, type Chain } from './chain.js';
import { createBufferPool, type BufferPool } from './buffer-pool.js';
import { subscriptionBlock, type Rendered } from './render.js';

export interface LiveOptions {
  /** Milliseconds per slot on the replayed clock; 0: only `step()` moves it. Default 400. */
  slotMs?: number;
  /** First slot the clock emits (the first produced slot at or after it); default the chain's first. */
  startSlot?: number;
  /** Start on the first subscription (default true); false: only `start()` starts it. */
  autoStart?: boolean;
  /** Offer blockSubscribe (default true); false answers it 'Method not found', as most providers do. */
  blockSubscribe?: boolean;
  /**
   * Bytes a connection may have sent-but-unread before the server gives up on it and closes it:
   * a node keeps a bounded notification queue (Agave's queue_capacity_bytes, 256 MiB by
   * default) rather than buffer for a slow subscriber without end. Default 256 MiB.
   */
  queueBytes?: number;
}

export interface LiveFaults {
  /** Added before every frame the server sends (responses and notifications), ms. */
  wsLatencyMs?: number;
  /** Probability per notification of dropping the connection instead (no close frame). */
  wsDropRate?: number;
  /** Probability per notification of sending it cut in half. */
  wsMalformedRate?: number;
  /** Concurrent connections allowed; more are refused at the upgrade with HTTP 429. */
  wsMaxConnections?: number;
  /** Send nothing at all (replies, notifications) while keeping every connection open. */
  wsSilent?: boolean;
}

export interface LiveStats {
  connections: number;
  /** Subscriptions made over the server's life (not only the live ones). */
  subscriptions: number;
  notifications: number;
  drops: number;
  malformed: number;
  refused: number;
  /** Connections closed for falling more than `queueBytes` behind. */
  slowClosed: number;
}

export interface Live {
  readonly wsUrl: string;
  /** The slot the clock has reached: null before it starts. */
  readonly slot: number | null;
  /** True once the clock has emitted the chain's last block. */
  readonly finished: boolean;
  /** The node's tip for the HTTP side: null until the clock starts (the whole chain is history). */
  readonly tip: number | null;
  readonly stats: LiveStats;
  start(): void;
  /** Emit the next `blocks` produced blocks now (any pace). */
  step(blocks?: number): void;
  /** Close every connection abruptly, the way a dropped network does. */
  dropAll(): void;
  /**
   * An outage: every connection dropped, and for `ms` every new one refused at the upgrade with
   * HTTP `status` (503 by default, 429 as a provider's connection limit), or with 'reset' the
   * TCP connection destroyed before any answer. The clock keeps going.
   */
  outage(ms: number, how?: number | 'reset'): void;
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  close(): void;
}

type Filter = { kind: 'slot' } | { kind: 'logs'; all: boolean; votes: boolean; mentions: string | null } | { kind: 'block'; mentions: string | null; cfg: any };

interface Conn {
  ws: WebSocket;
  subs: Map<number, Filter>;
}

const VOTE_PROGRAM = 'Vote111111111111111111111111111111111111111';

export function createLive(
  chain: Chain,
  port: number,
  faults: () => LiveFaults,
  rand: () => number,
  opts: LiveOptions = {},
  /** Where block frames' buffers come from and go back to once sent. */
  pool: BufferPool = createBufferPool(),
): Live {
  // No permessage-deflate (ws's default for a server, stated because it matters): compressing
  // megabytes of JSON a block would cost the server more than everything else it does.
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  const conns = new Set<Conn>();
  const stats: LiveStats = { connections: 0, subscriptions: 0, notifications: 0, drops: 0, malformed: 0, refused: 0, slowClosed: 0 };
  const queueBytes = opts.queueBytes ?? 256 * 2 ** 20;
  const slotMs = opts.slotMs ?? 400;
  let next = chain.produced.findIndex((s) => s >= (opts.startSlot ?? chain.firstSlot));
  if (next < 0) next = chain.produced.length;
  /** Blocks before the clock's first are history, served from the start. */
  const history = next > 0 ? chain.produced[next - 1] : chain.firstSlot - 1;
  let slot: number | null = null;
  let started = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let nextId = 1;
  let refuseUntil = 0;
  let refuseHow: number | 'reset' = 503;

  function start(): void {
    if (started) return;
    started = true;
    schedule();
  }

  /** When the next block is due (ms): kept on a schedule, so the time spent emitting does not slow the clock. */
  let dueAt = 0;

  function schedule(): void {
    if (slotMs <= 0 || next >= chain.produced.length) return;
    const gap = slot === null ? 1 : chain.produced[next] - slot;
    dueAt = (slot === null ? Date.now() : Math.max(dueAt, Date.now() - 10 * slotMs)) + gap * slotMs;
    timer = setTimeout(
      () => {
        timer = null;
        emitNext();
        schedule();
      },
      Math.max(0, dueAt - Date.now()),
    );
  }

  function emitNext(): void {
    if (next >= chain.produced.length) return;
    const at = chain.produced[next++];
    const header = chain.header(at)!;
    slot = at;
    // The transactions as objects only for logs subscriptions: block ones are written from bytes.
    let block: Block | null = null;
    for (const c of conns) {
      for (const [id, f] of c.subs) {
        if (f.kind === 'slot') notify(c, 'slotNotification', id, { parent: header.parentSlot, root: Math.max(chain.firstSlot, at - 32), slot: at });
      }
      let logs = false;
      for (const f of c.subs.values()) logs ||= f.kind === 'logs';
      if (logs) block ??= chain.blocks.get(at)!;
      for (const tx of logs ? block!.transactions : []) {
        for (const [id, f] of c.subs) {
          if (f.kind !== 'logs' || !logsMatch(f, tx)) continue;
          notify(c, 'logsNotification', id, {
            context: { slot: at },
            value: { signature: tx.transaction.signatures[0], err: tx.meta?.err ?? null, logs: tx.meta?.logMessages ?? [] },
          });
        }
      }
      for (const [id, f] of c.subs) {
        if (f.kind !== 'block') continue;
        const value = subscriptionBlock(chain, at, f.cfg, f.mentions);
        if (value) notify(c, 'blockNotification', id, value);
      }
    }
  }

  function logsMatch(f: Extract<Filter, { kind: 'logs' }>, tx: BlockTx): boolean {
    if (f.mentions) return accountKeys(tx).includes(f.mentions);
    return f.votes || !accountKeys(tx).includes(VOTE_PROGRAM);
  }

  /** `result` is an object, or its bytes to render inside the frame (a block: see render.ts). */
  function notify(c: Conn, method: string, subscription: number, result: object | Rendered): void {
    const f = faults();
    if (f.wsDropRate && rand() < f.wsDropRate) {
      stats.drops++;
      c.ws.terminate();
      return;
    }
    stats.notifications++;
    const head = `{"jsonrpc":"2.0","method":${JSON.stringify(method)},"params":{"result":`;
    const tail = `,"subscription":${subscription}}}`;
    let frame: string | Buffer = typeof result === 'function' ? result(head, tail, pool.take) : head + JSON.stringify(result) + tail;
    if (f.wsMalformedRate && rand() < f.wsMalformedRate) {
      stats.malformed++;
      const text = frame.toString();
      if (typeof frame !== 'string') pool.give(frame);
      frame = text.slice(0, Math.floor(text.length / 2));
    }
    send(c, frame);
  }

  /**
   * A text frame (a Buffer holds UTF-8 text, sent as a text frame too). A Buffer goes back to
   * the pool once the socket has taken it, or at once when it is not sent (not after a failed
   * write: the socket may still hold it, and the garbage collector takes it then).
   */
  function send(c: Conn, text: string | Buffer): void {
    const done =
      typeof text === 'string'
        ? undefined
        : (err?: Error | null) => {
            if (!err) pool.give(text);
          };
    if (faults().wsSilent) return done?.();
    const delay = faults().wsLatencyMs ?? 0;
    const go = () => {
      if (c.ws.readyState !== c.ws.OPEN) return done?.();
      c.ws.send(text, { binary: false }, done);
      if (c.ws.bufferedAmount > queueBytes) {
        stats.slowClosed++;
        c.ws.terminate();
      }
    };
    // Same delay for every frame, so timers keep them in order.
    if (delay > 0) setTimeout(go, delay);
    else go();
  }

  function reply(c: Conn, id: unknown, body: { result: unknown } | { error: { code: number; message: string } }): void {
    send(c, JSON.stringify({ jsonrpc: '2.0', ...body, id }));
  }

  function onMessage(c: Conn, data: string): void {
    let msg: any;
    try {
      msg = JSON.parse(data);
    } catch {
      return reply(c, null, { error: { code: -32700, message: 'Parse error' } });
    }
    // Notifications from the client (web3.js sends a 'ping' every few seconds) get no answer.
    if (!msg || typeof msg !== 'object' || msg.id === undefined || msg.id === null) return;
    const p: any[] = Array.isArray(msg.params) ? msg.params : [];
    const invalid = (message: string) => reply(c, msg.id, { error: { code: -32602, message } });
    const subscribe = (f: Filter) => {
      const id = nextId++;
      c.subs.set(id, f);
      stats.subscriptions++;
      reply(c, msg.id, { result: id });
      if (opts.autoStart !== false) start();
    };
    switch (msg.method) {
      case 'slotSubscribe':
        return subscribe({ kind: 'slot' });
      case 'logsSubscribe': {
        const filter = p[0];
        if (filter === 'all' || filter === 'allWithVotes') return subscribe({ kind: 'logs', all: true, votes: filter === 'allWithVotes', mentions: null });
        const mentions = filter?.mentions;
        if (!Array.isArray(mentions) || mentions.length !== 1) return invalid('Invalid Request: Only 1 address supported');
        if (typeof mentions[0] !== 'string' || !/^[1-9A-HJ-NP-Za-km-z]{32,44}$/.test(mentions[0])) return invalid('Invalid Request: Invalid pubkey provided');
        return subscribe({ kind: 'logs', all: false, votes: false, mentions: mentions[0] });
      }
      case 'blockSubscribe': {
        if (opts.blockSubscribe === false) return reply(c, msg.id, { error: { code: -32601, message: 'Method not found' } });
        const filter = p[0];
        const mentions = filter === 'all' ? null : typeof filter?.mentionsAccountOrProgram === 'string' ? filter.mentionsAccountOrProgram : undefined;
        if (mentions === undefined) return invalid('Invalid params: expected "all" or { mentionsAccountOrProgram }');
        return subscribe({ kind: 'block', mentions, cfg: p[1] ?? {} });
      }
      case 'slotUnsubscribe':
      case 'logsUnsubscribe':
      case 'blockUnsubscribe': {
        const kind = msg.method.slice(0, -'Unsubscribe'.length);
        const f = c.subs.get(Number(p[0]));
        if (!f || f.kind !== kind) return invalid('Invalid subscription id.');
        c.subs.delete(Number(p[0]));
        return reply(c, msg.id, { result: true });
      }
      default:
        return reply(c, msg.id, { error: { code: -32601, message: 'Method not found' } });
    }
  }

  wss.on('connection', (ws) => {
    const c: Conn = { ws, subs: new Map() };
    conns.add(c);
    stats.connections = conns.size;
    ws.on('message', (data) => onMessage(c, data.toString()));
    ws.on('close', () => {
      conns.delete(c);
      stats.connections = conns.size;
    });
    ws.on('error', () => ws.terminate());
  });

  return {
    wsUrl: `ws://127.0.0.1:${port}`,
    get slot() {
      return slot;
    },
    get finished() {
      return next >= chain.produced.length;
    },
    get tip() {
      return started ? (slot ?? history) : null;
    },
    stats,
    start,
    step(blocks = 1) {
      started = true;
      for (let i = 0; i < blocks; i++) emitNext();
    },
    dropAll() {
      for (const c of conns) c.ws.terminate();
    },
    outage(ms, how = 503) {
      refuseUntil = Date.now() + ms;
      refuseHow = how;
      for (const c of conns) c.ws.terminate();
    },
    handleUpgrade(req, socket, head) {
      if (Date.now() < refuseUntil) {
        stats.refused++;
        if (refuseHow === 'reset') socket.destroy();
        else socket.end(`HTTP/1.1 ${refuseHow} ${refuseHow === 429 ? 'Too Many Requests' : 'Service Unavailable'}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
        return;
      }
      const max = faults().wsMaxConnections;
      if (max !== undefined && conns.size >= max) {
        stats.refused++;
        socket.end('HTTP/1.1 429 Too Many Requests\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
        return;
      }
      // An HTTP server's upgrade socket is a net.Socket; Node types it as the Duplex it extends.
      wss.handleUpgrade(req, socket as Socket, head, (ws) => wss.emit('connection', ws, req));
    },
    close() {
      if (timer) clearTimeout(timer);
      timer = null;
      for (const c of conns) c.ws.terminate();
      wss.close();
    },
  };
}
