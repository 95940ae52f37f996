/**
 * A JSON-RPC server on 127.0.0.1 that answers like a Solana archive node from a synthetic chain
 * (see chain.ts), with faults that can be dialled up and down while it runs: latency, a
 * requests-per-second limit (429 + Retry-After), 5xx, requests that never get an answer,
 * dropped connections, malformed JSON, and per-slot / per-signature RPC errors.
 *
 * The same port speaks Solana's pubsub over WebSocket (live.ts). Once its replayed clock runs,
 * the HTTP side answers as a node at that slot: getSlot is the clock's slot, and blocks and
 * transactions past it are not available yet.
 *
 * Random faults draw from a seeded generator so a failing test fails the same way twice.
 *
 * It lives in src/ because `solflow demo --watch` serves the bundled transactions with it (no
 * faults); tests, the bench and test/support/replay use the same code.
 * It is longer than 400 lines because every RPC method and every fault switch sits beside the
 * others it interacts with (the tip, batches, per-method windows); splitting would scatter them.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Chain } from './chain.js';
import { seededRandom } from '../util/rng.js';
import { createLive, type Live, type LiveFaults, type LiveOptions } from './live.js';
import { createBufferPool, type BufferPool } from './buffer-pool.js';
import { blockAnswer, versionError, type Rendered } from './render.js';

export interface Faults extends LiveFaults {
  /** Added before every answer (ms), plus up to jitterMs more. */
  latencyMs?: number;
  jitterMs?: number;
  /** Calls per second allowed (a batch of n counts n); over it: HTTP 429 with Retry-After. */
  rps?: number;
  /** Token-bucket depth in calls; default a tenth of a second's allowance (at least 1). */
  burst?: number;
  /**
   * Fixed-window limits the way providers publish them ("100 requests per 10 s", "40 per 10 s
   * for one method"): at most `calls` calls per window of `ms`, windows aligned to the clock,
   * optionally counting only one `method`. Over any of them: HTTP 429 with Retry-After set to
   * the seconds left in the window, rounded up. Refused calls do not count.
   */
  windows?: WindowLimit[];
  /** Probabilities per HTTP request, checked in this order after the rate limit. */
  dropRate?: number;
  timeoutRate?: number;
  http5xxRate?: number;
  malformedRate?: number;
  /** Probability per call of answering -32004 (block not available) for getBlock/getTransaction. */
  unavailableRate?: number;
  /** Deterministic per-slot errors for getBlock: an RPC error code, or 500 for an HTTP error. */
  slotErrors?: Record<number, number>;
  /** Deterministic per-signature errors for getTransaction, same convention. */
  signatureErrors?: Record<string, number>;
  /** getTransaction answers null for the first K calls of each listed signature (not stored yet). */
  nullTransactions?: Record<string, number>;
  /** false: reject batch arrays; a number: largest batch accepted; default true. */
  batch?: boolean | number;
  /** Largest getBlocks range (end - start); default 500_000 like Agave. */
  maxBlocksRange?: number;
  /** getSignaturesForAddress pages start this many entries early, repeating the end of the previous page (seen at providers). */
  pageOverlap?: number;
  seed?: number;
}

export interface WindowLimit {
  calls: number;
  ms: number;
  method?: string;
}

export interface CallRecord {
  method: string;
  /** First parameter (slot or signature or address), as a string. */
  key: string;
  /** 'ok' or what the server did instead. */
  outcome: 'ok' | 'error' | '429' | '5xx' | 'timeout' | 'drop' | 'malformed' | 'rejected-batch';
  at: number;
}

export interface ServerStats {
  httpRequests: number;
  calls: number;
  /** Calls answered normally (result or RPC error), i.e. not refused by a fault. */
  served: number;
  throttled: number;
  http5xx: number;
  timeouts: number;
  drops: number;
  malformed: number;
  byMethod: Record<string, number>;
  log: CallRecord[];
  /** First and last time (ms) a call was served; the bench measures the used rate with them. */
  firstServedAt: number | null;
  lastServedAt: number | null;
}

export interface ReplayServer {
  url: string;
  port: number;
  chain: Chain;
  faults: Faults;
  /** Replace the faults in force (affects requests that arrive from now on). */
  setFaults(f: Faults): void;
  /** The WebSocket side and its replayed clock. */
  live: Live;
  stats: ServerStats;
  resetStats(): void;
  close(): Promise<void>;
}

export async function startReplayServer(chain: Chain, faults: Faults = {}, port = 0, liveOptions: LiveOptions = {}): Promise<ReplayServer> {
  let current: Faults = { ...faults };
  let rand = seededRandom(current.seed ?? 1);
  let bucket = newBucket(current);
  let windows = newWindows(current);
  /** getTransaction calls per signature under `nullTransactions`. */
  let nullCalls = new Map<string, number>();
  const stats = emptyStats();
  // Block answers and block notifications write into reused buffers (see buffer-pool.ts).
  const pool = createBufferPool();
  const sockets = new Set<Socket>();
  // Requests that are left unanswered on purpose are ended at close() so the process can exit.
  const hanging = new Set<ServerResponse>();

  const server = createServer((req, res) => {
    readBody(req).then(
      (body) => handle(body, res),
      () => res.destroy(),
    );
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.keepAliveTimeout = 30_000;
  server.on('upgrade', (req, socket, head) => live.handleUpgrade(req, socket, head));
  /** The slot the node has reached: the replayed clock's while it runs, else the chain's tip. */
  const tip = () => live.tip ?? chain.lastSlot;

  function handle(body: string, res: ServerResponse): void {
    stats.httpRequests++;
    let parsed: any;
    try {
      parsed = JSON.parse(body);
    } catch {
      return send(res, 200, { jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } }, 0);
    }
    const isBatch = Array.isArray(parsed);
    const calls: any[] = isBatch ? parsed : [parsed];
    stats.calls += calls.length;
    const record = (outcome: CallRecord['outcome']) => {
      const at = Date.now();
      for (const c of calls) {
        stats.log.push({ method: String(c?.method), key: String(c?.params?.[0] ?? ''), outcome, at });
      }
    };
    const f = current;
    const delay = (f.latencyMs ?? 0) + (f.jitterMs ? rand() * f.jitterMs : 0);

    if (isBatch && (f.batch === false || (typeof f.batch === 'number' && calls.length > f.batch))) {
      record('rejected-batch');
      const message = f.batch === false ? 'batch requests are not supported' : `batch size ${calls.length} exceeds limit ${f.batch}`;
      return send(res, 200, { jsonrpc: '2.0', id: null, error: { code: -32600, message } }, delay);
    }
    const now = Date.now();
    // The bucket first, then the windows; a call refused by one is not counted by the others.
    const wait = f.rps ? bucket.peek(calls.length, now) : 0;
    const windowWait = wait > 0 ? 0 : windows.take(calls, now);
    if (wait > 0 || windowWait > 0) {
      stats.throttled += calls.length;
      record('429');
      const retryAfter = String(Math.max(1, Math.ceil(Math.max(wait, windowWait) / 1000)));
      return send(res, 429, { jsonrpc: '2.0', id: null, error: { code: 429, message: 'Too many requests' } }, delay, {
        'retry-after': retryAfter,
      });
    }
    if (f.rps) bucket.take(calls.length, now);
    if (f.dropRate && rand() < f.dropRate) {
      stats.drops += calls.length;
      record('drop');
      setTimeout(() => res.socket?.destroy(), delay);
      return;
    }
    if (f.timeoutRate && rand() < f.timeoutRate) {
      stats.timeouts += calls.length;
      record('timeout');
      hanging.add(res);
      res.on('close', () => hanging.delete(res));
      return;
    }
    if (f.http5xxRate && rand() < f.http5xxRate) {
      stats.http5xx += calls.length;
      record('5xx');
      const code = rand() < 0.5 ? 502 : 503;
      return sendText(res, code, 'upstream unavailable', delay);
    }
    const answers = calls.map((c) => answer(c));
    // A deterministic HTTP failure for one slot or signature fails the whole HTTP request.
    if (answers.some((a) => a === HTTP_500)) {
      stats.http5xx += calls.length;
      record('5xx');
      return sendText(res, 500, 'internal error', delay);
    }
    const payload = isBatch ? answers : answers[0];
    if (f.malformedRate && rand() < f.malformedRate) {
      stats.malformed += calls.length;
      record('malformed');
      const text = encode(payload).toString();
      return sendText(res, 200, text.slice(0, Math.floor(text.length / 2)), delay, 'application/json');
    }
    stats.served += calls.length;
    stats.firstServedAt ??= now;
    stats.lastServedAt = now;
    for (let i = 0; i < calls.length; i++) {
      const c = calls[i];
      stats.byMethod[c?.method] = (stats.byMethod[c?.method] ?? 0) + 1;
      stats.log.push({ method: String(c?.method), key: String(c?.params?.[0] ?? ''), outcome: (answers[i] as any).error ? 'error' : 'ok', at: now });
    }
    send(res, 200, payload, delay, {}, pool);
  }

  function answer(call: any): object | typeof HTTP_500 {
    const id = call?.id ?? null;
    const ok = (result: unknown) => ({ jsonrpc: '2.0', id, result });
    const err = (code: number, message: string) => ({ jsonrpc: '2.0', id, error: { code, message } });
    if (!call || call.jsonrpc !== '2.0' || typeof call.method !== 'string') return err(-32600, 'Invalid request');
    const p: any[] = Array.isArray(call.params) ? call.params : [];
    const f = current;
    switch (call.method) {
      case 'getHealth':
        return ok('ok');
      case 'getVersion':
        return ok({ 'solana-core': '2.2.0-replay', 'feature-set': 0 });
      case 'getSlot':
        return ok(tip());
      case 'getBlockHeight':
        return ok(chain.header(tip())?.blockHeight ?? 0);
      case 'getFirstAvailableBlock':
        return ok(chain.firstSlot);
      case 'getBlocks': {
        const start = Number(p[0]);
        const end = typeof p[1] === 'number' ? p[1] : tip();
        if (!Number.isInteger(start) || !Number.isInteger(end)) return err(-32602, 'Invalid params');
        const max = f.maxBlocksRange ?? 500_000;
        if (end - start > max) return err(-32602, `Slot range too large; max ${max}`);
        return ok(chain.produced.filter((s) => s >= start && s <= Math.min(end, tip())));
      }
      case 'getBlockTime': {
        const slot = Number(p[0]);
        const missing = missingSlot(slot);
        if (missing) return err(missing.code, missing.message);
        return ok(chain.header(slot)!.blockTime);
      }
      case 'getBlock': {
        const slot = Number(p[0]);
        const cfg = p[1] ?? {};
        const forced = f.slotErrors?.[slot];
        if (forced === 500) return HTTP_500;
        if (forced) return err(forced, messageFor(forced, slot));
        if (f.unavailableRate && rand() < f.unavailableRate) return err(-32004, messageFor(-32004, slot));
        const missing = missingSlot(slot);
        if (missing) return err(missing.code, missing.message);
        const block = blockAnswer(chain, slot, cfg);
        if ('tooNew' in block) return err(-32015, block.tooNew);
        return ok(new RawJson(block.render));
      }
      case 'getTransaction': {
        const sig = String(p[0]);
        const cfg = p[1] ?? {};
        const forced = f.signatureErrors?.[sig];
        if (forced === 500) return HTTP_500;
        if (forced) return err(forced, `Transaction ${sig} not available`);
        const at = chain.bySignature.get(sig);
        if (!at || at.slot > tip()) return ok(null);
        const nulls = f.nullTransactions?.[sig] ?? 0;
        if (nulls > 0) {
          const calls = (nullCalls.get(sig) ?? 0) + 1;
          nullCalls.set(sig, calls);
          if (calls <= nulls) return ok(null);
        }
        if (f.unavailableRate && rand() < f.unavailableRate) return err(-32004, messageFor(-32004, at.slot));
        const tx = chain.txAt(at.slot, at.index)!;
        const tooNew = versionError(tx, cfg.maxSupportedTransactionVersion);
        if (tooNew) return err(-32015, tooNew);
        return ok({ slot: at.slot, blockTime: chain.blockTimeOf(at.slot), transaction: tx.transaction, meta: tx.meta, version: tx.version });
      }
      case 'getSignaturesForAddress': {
        const addr = String(p[0]);
        const cfg = p[1] ?? {};
        const limit = Math.min(1000, Math.max(1, cfg.limit ?? 1000));
        const all = chain.byAddress.get(addr) ?? [];
        let from = 0;
        if (cfg.before) {
          const i = all.indexOf(cfg.before);
          if (i < 0) return ok([]);
          from = Math.max(0, i + 1 - (f.pageOverlap ?? 0));
        }
        const out = [];
        for (let i = from; i < all.length && out.length < limit; i++) {
          if (cfg.until && all[i] === cfg.until) break;
          const at = chain.bySignature.get(all[i])!;
          if (at.slot > tip()) continue;
          out.push({
            signature: all[i],
            slot: at.slot,
            err: chain.txAt(at.slot, at.index)!.meta?.err ?? null,
            memo: null,
            blockTime: chain.blockTimeOf(at.slot),
            confirmationStatus: 'finalized',
          });
        }
        return ok(out);
      }
      default:
        return err(-32601, 'Method not found');
    }
  }

  function missingSlot(slot: number): { code: number; message: string } | null {
    if (!Number.isInteger(slot)) return { code: -32602, message: 'Invalid params' };
    if (slot > tip()) return { code: -32004, message: messageFor(-32004, slot) };
    if (!chain.blocks.has(slot)) return { code: -32009, message: messageFor(-32009, slot) };
    return null;
  }

  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const bound = (server.address() as AddressInfo).port;
  const live: Live = createLive(chain, bound, () => current, () => rand(), liveOptions, pool);

  return {
    url: `http://127.0.0.1:${bound}`,
    port: bound,
    chain,
    get faults() {
      return current;
    },
    setFaults(f: Faults) {
      current = { ...f };
      rand = seededRandom(current.seed ?? 1);
      bucket = newBucket(current);
      windows = newWindows(current);
      nullCalls = new Map();
    },
    live,
    stats,
    resetStats() {
      Object.assign(stats, emptyStats());
    },
    close: () =>
      new Promise<void>((resolve) => {
        live.close();
        for (const r of hanging) r.destroy();
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}

const HTTP_500 = Symbol('http-500');

function messageFor(code: number, slot: number): string {
  switch (code) {
    case -32004:
      return `Block not available for slot ${slot}`;
    case -32007:
      return `Slot ${slot} was skipped, or missing due to ledger jump to recent snapshot`;
    case -32009:
      return `Slot ${slot} was skipped, or missing in long-term storage`;
    default:
      return `error ${code} for slot ${slot}`;
  }
}

/** A result rendered as bytes inside its answer's envelope (a block: see render.ts). */
class RawJson {
  constructor(readonly render: Rendered) {}
}

/** An answer or a batch of them as the body's bytes, a RawJson result written in place (a single one into a pool's buffer). */
function encode(payload: unknown, pool?: BufferPool): Buffer {
  const one = (a: any, suffix = '', take?: (size: number) => Buffer): Buffer =>
    a?.result instanceof RawJson ? a.result.render(`{"jsonrpc":"2.0","id":${JSON.stringify(a.id)},"result":`, `}${suffix}`, take) : Buffer.from(JSON.stringify(a) + suffix);
  if (!Array.isArray(payload)) return one(payload, '', pool?.take);
  if (payload.length === 0) return Buffer.from('[]');
  return Buffer.concat([Buffer.from('['), ...payload.map((a, i) => one(a, i < payload.length - 1 ? ',' : ']'))]);
}


/** With a pool, the body's buffer goes back to it once the response has been handed to the OS. */
function send(res: ServerResponse, status: number, body: unknown, delayMs: number, headers: Record<string, string> = {}, pool?: BufferPool): void {
  const bytes = encode(body, pool);
  sendText(res, status, bytes, delayMs, 'application/json', headers, pool && (() => pool.give(bytes)));
}

function sendText(res: ServerResponse, status: number, text: string | Buffer, delayMs: number, type = 'text/plain', headers: Record<string, string> = {}, sent?: () => void): void {
  const write = () => {
    if (res.destroyed) return;
    res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(text), ...headers });
    // 'finish': the whole body is with the OS (not on a destroyed response: the GC has it then).
    if (sent) res.once('finish', sent);
    res.end(text);
  };
  if (delayMs > 0) setTimeout(write, delayMs);
  else write();
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * Token bucket: `peek` answers 0 when the calls may go now, else ms until they could; `take`
 * spends the tokens.
 */
function newBucket(f: Faults) {
  const rps = f.rps ?? 0;
  const depth = Math.max(1, f.burst ?? Math.ceil(rps / 10));
  let tokens = depth;
  let last = Date.now();
  const refill = (now: number) => {
    tokens = Math.min(depth, tokens + ((now - last) / 1000) * rps);
    last = now;
  };
  return {
    peek(n: number, now: number): number {
      refill(now);
      // A batch may overdraw the bucket (the debt is paid before anything else passes), so a
      // batch larger than the burst is slow but never refused forever.
      if (tokens >= Math.min(n, depth)) return 0;
      return ((Math.min(n, depth) - tokens) / rps) * 1000;
    },
    take(n: number, now: number): void {
      refill(now);
      tokens -= n;
    },
  };
}

/** Fixed windows: `take` counts the calls and answers 0, or answers ms until the fullest window ends. */
function newWindows(f: Faults) {
  const limits = (f.windows ?? []).map((w) => ({ ...w, index: -1, used: 0 }));
  return {
    take(calls: any[], now: number): number {
      let wait = 0;
      const counts = limits.map((w) => {
        const index = Math.floor(now / w.ms);
        if (index !== w.index) {
          w.index = index;
          w.used = 0;
        }
        const n = w.method ? calls.filter((c) => c?.method === w.method).length : calls.length;
        if (n > 0 && w.used + n > w.calls) wait = Math.max(wait, (index + 1) * w.ms - now);
        return n;
      });
      if (wait > 0) return wait;
      limits.forEach((w, i) => (w.used += counts[i]));
      return 0;
    },
  };
}

function emptyStats(): ServerStats {
  return {
    httpRequests: 0,
    calls: 0,
    served: 0,
    throttled: 0,
    http5xx: 0,
    timeouts: 0,
    drops: 0,
    malformed: 0,
    byMethod: {},
    log: [],
    firstServedAt: null,
    lastServedAt: null,
  };
}

