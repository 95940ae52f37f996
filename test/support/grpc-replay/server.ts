/**
 * A Yellowstone (Geyser) gRPC server on 127.0.0.1 that replays a synthetic chain (the same
 * `Chain` the JSON-RPC replay server serves, so gaps can be filled over HTTP from its twin).
 *
 * - A clock walks the chain one slot per `slotMs` (skipped slots take their time too) and
 *   keeps going while clients are away: what they miss is what they must replay or backfill.
 * - `Subscribe` honours the request's transactions filters (accountInclude / accountExclude /
 *   accountRequired over static and loaded keys, vote, failed), blocksMeta and slots filters;
 *   a later request on the stream replaces the filters unless it is a ping (answered with a pong).
 *   Per produced slot, in order: a slot update, the matching transactions (in block order, or
 *   shuffled with `shuffle`, as parallel banking delivers them), then the block meta.
 * - `fromSlot` replays from that slot when it is within the last `retainSlots` slots, else the
 *   stream fails like Dragon's Mouth: OUT_OF_RANGE "broadcast from F is not available, last
 *   available: L".
 * - The server pings every stream every `pingMs`; `x-token` metadata is required when `xToken`
 *   is set (UNAUTHENTICATED otherwise).
 * - Faults, each fired once when the clock's stream first reaches the slot, or by hand:
 *   a dropped stream (after a slot's transactions, before its block meta; with an error, or
 *   ended cleanly), an outage (the
 *   port refuses connections for N ms), an undecodable frame, an update that decodes but is no
 *   transaction (no meta), and muted streams (open but silent, a half-dead connection).
 */
import * as grpc from '@grpc/grpc-js';
import type { SubscribeRequest, SubscribeUpdate, SubscribeUpdateTransactionInfo } from '@triton-one/yellowstone-grpc';
import type { Chain } from '../replay/chain.js';
import { geyserService } from './codec.js';
import { toTransactionInfo } from './to-proto.js';
import { blockMetaUpdate, invalidUpdate, matchingFilters, shuffled } from './updates.js';

export interface GrpcFaults {
  /** Cut every open stream (UNAVAILABLE) after these slots' transactions, before their block meta. */
  dropAtSlots?: number[];
  /** End every open stream cleanly (status OK), as a server shutting down gracefully does, after this slot. */
  endAtSlots?: number[];
  /** When the clock reaches the slot, refuse connections for `ms`. */
  outageAt?: { slot: number; ms: number };
  /** Send an undecodable frame (garbage bytes) to every stream before this slot. */
  garbageAtSlots?: number[];
  /** Send a transaction update that decodes but cannot be converted (no meta) in this slot. */
  invalidAtSlots?: number[];
  /** Streams open when the clock reaches the slot fall silent without closing. */
  muteAtSlots?: number[];
}

export interface GrpcReplayOptions {
  port?: number;
  /** Milliseconds per slot; 0 leaves the clock to `step()`. Default 400. */
  slotMs?: number;
  /** The clock's first slot (the chain's first by default); it starts on `start()` or the first subscription. */
  startSlot?: number;
  autoStart?: boolean;
  /** How many recent slots `fromSlot` can replay. Default 300. */
  retainSlots?: number;
  /** Required `x-token` metadata. */
  xToken?: string;
  /** Server ping interval, ms. Default 10 000. */
  pingMs?: number;
  /** Deliver a slot's transactions out of block order (their `index` still says where they were). */
  shuffle?: boolean;
  faults?: GrpcFaults;
}

export interface GrpcReplayStats {
  subscribes: Array<{ fromSlot: number | null; filters: SubscribeRequest | null }>;
  rejected: { unauthenticated: number; outOfRange: number };
  pingsSent: number;
  /** Ping requests received from clients (a client answering server pings sends these). */
  pingsReceived: number;
  drops: number;
  outages: number;
  updatesSent: number;
}

export interface GrpcReplayServer {
  /** `http://127.0.0.1:PORT` (plaintext). */
  url: string;
  port: number;
  chain: Chain;
  /** The last slot the clock has reached (−1 before it starts). */
  readonly clock: number;
  stats: GrpcReplayStats;
  start(): void;
  /** Advance the clock n slots now (with `slotMs: 0`). */
  step(n?: number): void;
  /** Resolves once the clock has reached the chain's last slot and every open stream has been sent all of it. */
  drained(): Promise<void>;
  dropStreams(reason?: string): void;
  outage(ms: number): Promise<void>;
  muteStreams(): void;
  close(): Promise<void>;
}

interface Stream {
  call: grpc.ServerDuplexStream<SubscribeRequest, SubscribeUpdate | Buffer>;
  request: SubscribeRequest | null;
  /** Next slot to send. */
  cursor: number;
  muted: boolean;
  closed: boolean;
  /** The client is not reading (HTTP/2 flow control): wait for 'drain' before the next slot. */
  blocked: boolean;
}

export async function startGrpcReplay(chain: Chain, opts: GrpcReplayOptions = {}): Promise<GrpcReplayServer> {
  const slotMs = opts.slotMs ?? 400;
  const retain = opts.retainSlots ?? 300;
  const faults = opts.faults ?? {};
  const fired = new Set<string>();
  const fireOnce = (kind: string, slot: number, list: number[] | undefined) =>
    !!list?.includes(slot) && !fired.has(`${kind}:${slot}`) && fired.add(`${kind}:${slot}`) !== undefined;

  const infos = new Map<number, SubscribeUpdateTransactionInfo[]>();
  for (const [slot, block] of chain.blocks) infos.set(slot, block.transactions.map((tx, i) => toTransactionInfo(tx, i)));

  const stats: GrpcReplayStats = {
    subscribes: [],
    rejected: { unauthenticated: 0, outOfRange: 0 },
    pingsSent: 0,
    pingsReceived: 0,
    drops: 0,
    outages: 0,
    updatesSent: 0,
  };
  const streams = new Set<Stream>();
  const firstSlot = opts.startSlot ?? chain.firstSlot;
  let clock = -1;
  let timer: NodeJS.Timeout | null = null;
  let drainWaiters: Array<() => void> = [];

  const handlers: grpc.UntypedServiceImplementation = {
    Subscribe: (call: grpc.ServerDuplexStream<SubscribeRequest, SubscribeUpdate | Buffer>) => {
      if (opts.xToken !== undefined && call.metadata.get('x-token')[0] !== opts.xToken) {
        stats.rejected.unauthenticated++;
        call.emit('error', { code: grpc.status.UNAUTHENTICATED, details: 'x-token is missing or invalid' });
        return;
      }
      const stream: Stream = { call, request: null, cursor: Number.POSITIVE_INFINITY, muted: false, closed: false, blocked: false };
      call.on('drain', () => {
        stream.blocked = false;
        pump();
      });
      const close = () => {
        stream.closed = true;
        streams.delete(stream);
      };
      call.on('error', close);
      call.on('cancelled', close);
      call.on('close', close);
      call.on('end', () => {
        close();
        call.end();
      });
      call.on('data', (request: SubscribeRequest) => {
        if (request.ping) {
          stats.pingsReceived++;
          send(stream, { filters: [], pong: { id: request.ping.id }, createdAt: new Date() });
          return;
        }
        const first = stream.request === null;
        stream.request = request;
        if (!first) return;
        const from = request.fromSlot === undefined ? null : Number(request.fromSlot);
        stats.subscribes.push({ fromSlot: from, filters: request });
        // A live subscription starts at the next slot the clock emits (the first, if it has not started).
        const next = clock < 0 ? firstSlot : clock + 1;
        if (clock < 0 && opts.autoStart !== false) start();
        if (from !== null) {
          const oldest = Math.max(firstSlot, clock - retain + 1);
          if (from < oldest) {
            stats.rejected.outOfRange++;
            call.emit('error', {
              code: grpc.status.OUT_OF_RANGE,
              details: `broadcast from ${from} is not available, last available: ${oldest}`,
            });
            close();
            return;
          }
          stream.cursor = from;
        } else {
          stream.cursor = next;
        }
        streams.add(stream);
        pump();
      });
    },
    Ping: (call: grpc.ServerUnaryCall<{ count: number }, unknown>, cb: grpc.sendUnaryData<unknown>) =>
      cb(null, { count: call.request.count }),
    GetSlot: (_call: grpc.ServerUnaryCall<unknown, unknown>, cb: grpc.sendUnaryData<unknown>) =>
      cb(null, { slot: Math.max(clock, 0) }),
    SubscribeReplayInfo: (_call: grpc.ServerUnaryCall<unknown, unknown>, cb: grpc.sendUnaryData<unknown>) =>
      cb(null, { firstAvailable: Math.max(firstSlot, clock - retain + 1) }),
  };

  let server = new grpc.Server();
  server.addService(geyserService, handlers);
  const port = await bind(server, opts.port ?? 0);

  function send(stream: Stream, update: SubscribeUpdate | Buffer): void {
    if (stream.closed || stream.muted) return;
    stats.updatesSent++;
    if (!stream.call.write(update)) stream.blocked = true;
  }

  function sendSlot(stream: Stream, slot: number): void {
    const request = stream.request!;
    const block = chain.blocks.get(slot);
    if (fireOnce('garbage', slot, faults.garbageAtSlots)) {
      for (const s of streams) send(s, Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f]));
    }
    if (Object.keys(request.slots).length) {
      send(stream, {
        filters: Object.keys(request.slots),
        slot: { slot: String(slot), parent: block ? String(block.parentSlot) : undefined, status: 1 },
        createdAt: new Date(),
      });
    }
    if (!block) return;
    const list = infos.get(slot)!;
    const order = opts.shuffle ? shuffled(list.length, slot) : list.map((_, i) => i);
    for (const i of order) {
      const filters = matchingFilters(request, block.transactions[i]);
      if (filters.length) send(stream, { filters, transaction: { transaction: list[i], slot: String(slot) }, createdAt: new Date() });
    }
    if (fireOnce('invalid', slot, faults.invalidAtSlots)) {
      for (const s of streams) send(s, invalidUpdate(list[0] ?? [...infos.values()].flat()[0], slot, Object.keys(s.request!.transactions)));
    }
    if (fireOnce('drop', slot, faults.dropAtSlots)) {
      dropStreams(`replay: stream dropped in slot ${slot}`);
      return;
    }
    if (fireOnce('end', slot, faults.endAtSlots)) {
      for (const s of [...streams]) {
        s.closed = true;
        streams.delete(s);
        s.call.end();
      }
      return;
    }
    if (Object.keys(request.blocksMeta).length) send(stream, blockMetaUpdate(block, Object.keys(request.blocksMeta)));
  }

  function pump(): void {
    for (const stream of [...streams]) {
      while (!stream.closed && !stream.blocked && stream.cursor <= clock) {
        const slot = stream.cursor++;
        sendSlot(stream, slot);
      }
    }
    if (clock >= chain.lastSlot && [...streams].every((s) => s.cursor > chain.lastSlot && !s.blocked)) {
      const waiters = drainWaiters;
      drainWaiters = [];
      for (const w of waiters) w();
    }
  }

  function tick(): void {
    if (clock >= chain.lastSlot) return;
    clock = clock < 0 ? firstSlot : clock + 1;
    if (faults.outageAt && faults.outageAt.slot === clock && !fired.has('outage')) {
      fired.add('outage');
      void outage(faults.outageAt.ms);
    }
    if (fireOnce('mute', clock, faults.muteAtSlots)) muteStreams();
    pump();
  }

  function start(): void {
    if (clock >= 0 || timer) return;
    tick();
    if (slotMs > 0) timer = setInterval(tick, slotMs);
  }

  const pingTimer = setInterval(() => {
    for (const s of streams) {
      stats.pingsSent++;
      send(s, { filters: [], ping: {}, createdAt: new Date() });
    }
  }, opts.pingMs ?? 10_000);

  function dropStreams(reason = 'replay: stream dropped'): void {
    for (const s of [...streams]) {
      stats.drops++;
      s.closed = true;
      streams.delete(s);
      s.call.emit('error', { code: grpc.status.UNAVAILABLE, details: reason });
    }
  }

  function muteStreams(): void {
    for (const s of streams) s.muted = true;
  }

  async function outage(ms: number): Promise<void> {
    stats.outages++;
    dropStreams('replay: outage');
    server.forceShutdown();
    await new Promise((r) => setTimeout(r, ms));
    if (closed) return;
    server = new grpc.Server();
    server.addService(geyserService, handlers);
    await bind(server, port);
  }

  let closed = false;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    chain,
    get clock() {
      return clock;
    },
    stats,
    start,
    step(n = 1) {
      if (clock < 0) {
        start();
        n--;
      }
      for (let i = 0; i < n; i++) tick();
    },
    drained: () =>
      new Promise<void>((resolve) => {
        drainWaiters.push(resolve);
        pump();
      }),
    dropStreams,
    outage,
    muteStreams,
    close: async () => {
      closed = true;
      if (timer) clearInterval(timer);
      clearInterval(pingTimer);
      for (const s of streams) s.closed = true;
      server.forceShutdown();
    },
  };
}

function bind(server: grpc.Server, port: number): Promise<number> {
  return new Promise((resolve, reject) =>
    server.bindAsync(`127.0.0.1:${port}`, grpc.ServerCredentials.createInsecure(), (err, bound) =>
      err ? reject(err) : resolve(bound),
    ),
  );
}
