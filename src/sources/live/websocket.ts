/**
 * The WebSocket pubsub live source (any RPC provider).
 *
 * Subscriptions, on every (re)connect, in this order: the trades stream, then slotSubscribe.
 * - Trades: blockSubscribe('all', full transactions) when the endpoint offers it (probed once,
 *   at the first connect; mode 'block'), filtered here to the venue programs. 'all' rather
 *   than one { mentionsAccountOrProgram } subscription per program, because a filtered block
 *   carries only the matching transactions, without their positions, and the same block again
 *   for every program it mentions; 'all' gives positions and completeness from one frame per
 *   block, exactly what backfill's getBlock sees. It costs the whole block's bandwidth, which
 *   is why the nodes that offer it are mostly one's own. Otherwise (mode 'logs'):
 *   logsSubscribe({ mentions: [program] }) per program (nodes allow one address per
 *   subscription), each new signature fetched with getTransaction, and once per slot that had
 *   any, getBlock(slot, transactionDetails 'signatures') for the positions. Without positions
 *   a slot's trades would be ordered by signature, and flags computed from order (bot
 *   patterns) would differ from a backfill of the same slots.
 * - slotSubscribe follows the tip ('tip' events) and is the heartbeat. It is subscribed last, so
 *   the first slot F it reports after a (re)connect was created after the trades stream was in
 *   place: every venue transaction in F and later arrives on this connection. Slots between
 *   the last watermark and F are reported as one gap; notifications for them are dropped.
 *
 * Handing over: a slot's transactions go out together, in position order, once the slot is
 * sealed (at or below the frontier) and fetched; then a watermark (see slot-book.ts). The
 * frontier is the lowest of: the newest slot notification (for finalized, also the root it
 * carries); in block mode the newest block notification; the node's slot at our commitment
 * (HTTP getSlot, polled); minus `marginSlots`. The socket's own slots keep it from passing
 * what the socket has not delivered yet (a backlog, or reading paused for backpressure); the
 * HTTP slot keeps it behind the commitment, since logs and blocks are sent at the commitment,
 * which trails slot notifications (processed) by a slot or two when confirmed. The margin
 * (default 4 slots, ~1.6 s) is the delivery delay tolerated on top: a notification can still
 * be on the wire when getSlot has moved. One later than that finds its slot sealed: the slot
 * is reported as a gap (counted as late), so it is refetched, never lost.
 *
 * Failure handling: a failed transaction (err in its logs) is left out, as backfill stores no
 * trade for it. A getTransaction that stays null, a getBlock that fails, a frame truncated
 * mid-notification: that slot becomes a gap. A frame that cannot be attributed to a slot, a
 * close, an error, or a socket silent past `heartbeatMs` while HTTP getSlot moves on: the
 * connection is dead and redialled with backoff and jitter (refused upgrades and ECONNREFUSED
 * are retried the same way). Only an endpoint that rejects the subscriptions themselves
 * (method not found, invalid params) ends the stream with an error.
 *
 * This file keeps the connection (dial, subscribe, heartbeat, redial); frame-reader.ts reads
 * the frames (on a worker thread: a block's JSON and decode are most of ingest's CPU); intake.ts
 * turns what arrives into events.
 *
 * Without `fromSlot`, the source's duties start at the first slot notification it sees; with
 * it, the slots from `fromSlot` to that one are reported as a gap first.
 */
import type { RpcClient } from '../rpc/client.js';
import { redactText, redactUrl } from '../../util/redact.js';
import type { LiveEvent, LiveSource, LiveSourceOptions } from './types.js';
import { openPubsub, PubsubError, type PubsubConnection } from './pubsub.js';
import { createEventQueue } from './event-queue.js';
import { createFetcher, MAX_TX_VERSION } from './fetch.js';
import { createIntake, emptyStats, type Mode, type WebSocketStats } from './intake.js';
import { createFrameReader, defaultFrameThreads } from './frame-reader.js';
import { redialDelay } from './backoff.js';

export interface WebSocketSourceOptions extends LiveSourceOptions {
  /** The pubsub endpoint (see deriveWsUrl for the default from the RPC URL). */
  wsUrl: string;
  /** The HTTP client (shared with backfill: one rate controller per endpoint). */
  rpc: RpcClient;
  /** 'auto': probe blockSubscribe at the first connect, else logs. Default 'auto'. */
  mode?: 'auto' | 'block' | 'logs';
  /** No slot notification for this long while getSlot moves on: the socket is dead. Default 10 s. */
  heartbeatMs?: number;
  /** How often the node's slot at our commitment is polled (getSlot), ms. Default 1 s. */
  pollMs?: number;
  /** Delivery delay tolerated, in slots (see above). Default 4. */
  marginSlots?: number;
  /** Deadline for the upgrade and for each subscribe reply, ms. Default 10 s. */
  timeoutMs?: number;
  /** Redial backoff: first delay and cap, ms. Default 500 and 15 000. */
  redialBaseMs?: number;
  redialMaxMs?: number;
  /** A null getTransaction is asked again this many times, from this first delay (doubling). Defaults 4, 250 ms. */
  nullRetries?: number;
  nullBackoffMs?: number;
  /**
   * Queued weight past which the socket stops being read, in decoded transactions (~0.85 KB of
   * heap each, the recorded DEX transactions); a parsed one not yet decoded (logs mode) weighs
   * RAW_TX_WEIGHT, other events 1. Default 240,000, at most ~200 MB: in block mode 30 s of
   * 10,000 tx/s, in logs mode 15,000 transactions.
   *
   * Why so many: while the ingest loop fills a gap over HTTP it takes no events, and a socket
   * paused for more than a few seconds at that rate is closed by the node (it will not hold
   * hundreds of megabytes for a slow reader); the close makes the next gap. Decoded, seconds of
   * the stream fit in memory and are passed on once the fill is done. A fill takes only the
   * frame workers' spare time (frame-reader.ts), so it lasts several times its gap: 8 s of
   * 10,000 tx/s was too few, and each fill's stall closed the socket again.
   */
  highWater?: number;
  /**
   * Worker threads that read frames (JSON, and a block notification's decode): they are most of
   * what a block-mode source costs, and there they overlap with the pipeline and each other.
   * 0 reads on the calling thread. Default: defaultFrameThreads().
   */
  readerThreads?: number;
  random?: () => number;
}

export type { WebSocketStats } from './intake.js';

/** How long the first dial waits for the frame workers to start (tens of ms, normally). */
const WORKER_WAIT_MS = 5_000;

/** A parsed transaction against a decoded one, in heap: ~15 KB against ~0.85 (the recorded DEX transactions). */
const RAW_TX_WEIGHT = 16;

export type WebSocketSource = LiveSource & { readonly stats: WebSocketStats; readonly mode: 'block' | 'logs' | null };

export function createWebSocketSource(opts: WebSocketSourceOptions): WebSocketSource {
  if (!/^wss?:\/\//i.test(opts.wsUrl)) throw new Error(`not a WebSocket URL: ${redactUrl(opts.wsUrl)}`);
  const heartbeatMs = opts.heartbeatMs ?? 10_000;
  const pollMs = opts.pollMs ?? 1000;
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const backoff = { baseMs: opts.redialBaseMs ?? 500, maxMs: opts.redialMaxMs ?? 15_000 };
  const random = opts.random ?? Math.random;
  const rpc = opts.rpc;

  const stats = emptyStats();
  const fetcher = createFetcher(rpc, { commitment: opts.commitment, nullRetries: opts.nullRetries, nullBackoffMs: opts.nullBackoffMs, onNull: () => stats.nullRetries++ });

  let mode: Mode | null = opts.mode === 'block' || opts.mode === 'logs' ? opts.mode : null;
  let conn: PubsubConnection | null = null;
  let stopped = false;
  let started = false;
  let finished: Promise<void> = Promise.resolve();
  let lastSlotAt = 0;
  let paused = false;
  let declareDead: ((why: string) => void) | null = null;
  let pollBusy = false;
  let heartbeatBusy = false;
  /** The node's slot (HTTP) when the current silence was first noticed. */
  let silenceRef: { since: number; slot: number } | null = null;
  const timers: Array<ReturnType<typeof setInterval>> = [];
  let wakeSleep: (() => void) | null = null;

  const highWater = opts.highWater ?? 240_000;
  const queue = createEventQueue<LiveEvent>({
    highWater,
    lowWater: Math.floor(highWater / 2),
    weigh: (e) => (e.kind === 'tx' && 'tx' in e ? RAW_TX_WEIGHT : 1),
    onPressure: (p) => {
      paused = p;
      if (p) conn?.pause();
      else {
        lastSlotAt = Date.now();
        conn?.resume();
      }
    },
  });

  function emit(e: LiveEvent): void {
    if (e.kind === 'tx') stats.txs++;
    else if (e.kind === 'gap') {
      stats.gaps++;
      stats.gapSlots += e.to - e.from + 1;
    } else if (e.kind === 'skip') stats.skips++;
    queue.push(e);
  }

  const programs = new Set(opts.programs);
  let attempt = 0;
  const intake = createIntake({
    commitment: opts.commitment,
    fromSlot: opts.fromSlot ?? null,
    marginSlots: opts.marginSlots ?? 4,
    fetcher,
    stats,
    mode: () => mode,
    emit,
    onPulse: () => (lastSlotAt = Date.now()),
    onLive: () => (attempt = 0),
    onUnattributable: (why) => declareDead?.(why),
  });

  const reader = createFrameReader({
    programs,
    threads: opts.readerThreads ?? defaultFrameThreads(),
    // Frames it held are lost, and no slot says which: give the connection up (its gap refetches).
    onFailure: (why) => declareDead?.(why),
  });

  async function subscribeAll(c: PubsubConnection): Promise<void> {
    const commitment = opts.commitment;
    if (mode !== 'logs') {
      const cfg = { commitment, encoding: 'json', transactionDetails: 'full', maxSupportedTransactionVersion: MAX_TX_VERSION, showRewards: false };
      try {
        await c.subscribe('blockSubscribe', ['all', cfg], intake.onBlock);
        mode = 'block';
      } catch (e) {
        // Refused (not offered, or not any more): follow logs. A timeout or close is not a refusal.
        if (!(e instanceof PubsubError) || e.code === undefined) throw e;
        mode = 'logs';
      }
    }
    if (mode === 'logs') {
      // Pipelined: one round trip for all of them, not one per program.
      await Promise.all([...programs].map((program) => c.subscribe('logsSubscribe', [{ mentions: [program] }, { commitment }], intake.onLogs)));
    }
    await c.subscribe('slotSubscribe', [], intake.onSlot);
  }

  function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        wakeSleep = null;
        resolve();
      }, ms);
      wakeSleep = () => {
        clearTimeout(t);
        wakeSleep = null;
        resolve();
      };
    });
  }

  async function run(): Promise<void> {
    // Until its workers are up the reader reads on this thread: a busy chain's block frames,
    // megabytes each, would be parsed and decoded here at full rate while the code is still
    // cold, and the node closes a socket that falls seconds behind. Worth a short wait.
    await Promise.race([reader.ready(), sleep(WORKER_WAIT_MS)]);
    // Ready first: end the wait's timer, so it cannot clear a later redial's wakeSleep.
    wakeSleep?.();
    if (stopped) return;
    for (;;) {
      let reason: string;
      let fatal: Error | null = null;
      try {
        const died = new Promise<string>((resolve) => (declareDead = resolve));
        intake.connecting();
        lastSlotAt = Date.now();
        const opening = openPubsub(opts.wsUrl, { timeoutMs, onMalformed: intake.onMalformed, reader });
        // stop() (or nothing else) must not wait out a hanging handshake.
        const c = await Promise.race([opening, died.then((why) => Promise.reject(new Error(why)))]).catch((e) => {
          opening.then((late) => late.terminate(), () => {});
          throw e;
        });
        conn = c;
        if (stopped) throw new Error('stopped');
        if (paused) c.pause();
        await Promise.race([subscribeAll(c), died.then((why) => Promise.reject(new Error(why)))]);
        stats.connects++;
        // The heartbeat's silence counts from here: subscribing is covered by request deadlines.
        lastSlotAt = Date.now();
        emit({ kind: 'connected', mode: `websocket/${mode}` });
        reason = await Promise.race([c.closed, died]);
      } catch (e) {
        reason = redactText(e instanceof Error ? e.message : String(e));
        if (e instanceof PubsubError && (e.code === -32601 || e.code === -32602)) {
          // The endpoint does not offer what this source needs: retrying will not change that.
          fatal = new Error(`WebSocket endpoint ${redactUrl(opts.wsUrl)} refused a subscription: ${e.message}`);
        }
      }
      // The connection is gone: nothing in flight for it counts any more.
      declareDead = null;
      conn?.terminate();
      conn = null;
      intake.lost(reason);
      if (fatal) {
        queue.fail(fatal);
        break;
      }
      if (stopped) break;
      attempt++;
      stats.reconnects++;
      const delayMs = redialDelay(attempt, backoff, random);
      emit({ kind: 'reconnect', attempt, reason, delayMs });
      await sleep(delayMs);
      if (stopped) break;
    }
  }

  /** Poll the node's slot at our commitment (the frontier's other half). */
  async function poll(): Promise<void> {
    if (pollBusy || stopped) return;
    pollBusy = true;
    try {
      const slot = await rpc.call<number>('getSlot', [{ commitment: opts.commitment }]);
      if (typeof slot === 'number') {
        intake.commitSlot(slot);
        opts.onNodeSlot?.(slot);
      }
    } catch {
      // The frontier waits; the client counts the failure.
    } finally {
      pollBusy = false;
    }
  }

  /**
   * Silent past the heartbeat: dead if the node's own slot (HTTP getSlot) moved on during the
   * silence, else the chain (or the node) is stalled and silence is right. HTTP is compared
   * with HTTP, not with the socket's slots: behind a provider's load balancer the two can be
   * different nodes a few slots apart.
   */
  async function heartbeat(): Promise<void> {
    if (heartbeatBusy || stopped || !declareDead) return;
    if (paused) {
      lastSlotAt = Date.now();
      silenceRef = null;
      return;
    }
    const silentFor = Date.now() - lastSlotAt;
    if (silentFor < heartbeatMs / 2) return;
    heartbeatBusy = true;
    const dead = declareDead;
    const since = lastSlotAt;
    try {
      const slot = await rpc.call<number>('getSlot', [{ commitment: 'processed' }]);
      if (since !== lastSlotAt || typeof slot !== 'number') return;
      if (silenceRef === null || silenceRef.since !== since) silenceRef = { since, slot };
      else if (silentFor >= heartbeatMs && slot > silenceRef.slot) {
        dead(`no slot notification for ${Math.round(silentFor / 1000)} s while the node went from slot ${silenceRef.slot} to ${slot}`);
      }
    } catch {
      // HTTP down too: cannot tell a dead socket from a dead node; ask again next beat.
    } finally {
      heartbeatBusy = false;
    }
  }

  return {
    get name() {
      return mode ? `websocket/${mode}` : 'websocket';
    },
    get mode() {
      return mode;
    },
    stats,
    readBlockAnswer: (slot, body) => reader.readBlockAnswer(slot, body),
    events() {
      const it = queue.iterate();
      if (!started) {
        started = true;
        timers.push(setInterval(() => void poll(), pollMs));
        timers.push(setInterval(() => void heartbeat(), Math.max(50, Math.min(1000, heartbeatMs / 4))));
        void poll();
        finished = run().catch((e) => queue.fail(e instanceof Error ? e : new Error(String(e))));
      }
      return it;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      for (const t of timers) clearInterval(t);
      fetcher.close();
      reader.close();
      declareDead?.('stopped');
      conn?.terminate();
      wakeSleep?.();
      await finished;
      queue.end();
    },
  };
}
