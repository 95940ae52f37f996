/**
 * A JSON-RPC client built to survive rate-limited, flaky providers:
 *
 * - at most `concurrency` HTTP requests in flight (p-limit);
 * - every call paced by an AdaptiveRate that learns the endpoint's limit from its 429s (`rps`
 *   as a ceiling); a 429'd call waits in the pacer, at the front of the queue, which holds
 *   calls as long as the endpoint needs and no longer than its Retry-After;
 * - a CircuitBreaker that holds all calls while the endpoint is down;
 * - per-request timeouts; retries of other failures with exponential backoff and jitter;
 * - JSON-RPC batching up to a per-method size, halved automatically (down to no batching) when
 *   the endpoint refuses a batch.
 *
 * Callers get a settled result per call, never an exception for a per-call failure, so one bad
 * slot or signature never takes its neighbours down with it.
 */
import { setMaxListeners } from 'node:events';
import pLimit from 'p-limit';
import { AdaptiveRate, type RateSnapshot, type Ticket } from '../rate.js';
import { CircuitBreaker, type BreakerOptions, type BreakerState } from '../breaker.js';
import { RpcError, fromRpcError, isEndpointTrouble } from './errors.js';
import { postJson, type BodyReader } from './http.js';
import { redactUrl } from '../../util/redact.js';

/** 429s tolerated per call before giving up on it. */
const MAX_THROTTLED = 30;

export type Settled<T> = { ok: true; value: T } | { ok: false; error: RpcError };

export interface RpcClientOptions {
  url: string;
  /** HTTP requests in flight; default 16. */
  concurrency?: number;
  /** Calls/s ceiling (--rps); default none (learned from the endpoint). */
  rps?: number;
  /** Starting rate when no ceiling is given; default 20 calls/s. */
  initialRps?: number;
  /** Per-request deadline, ms; default 30 s. */
  timeoutMs?: number;
  /** Attempts per call for retryable failures other than 429; default 6. */
  maxAttempts?: number;
  /** Largest JSON-RPC batch per method; `default` for the rest. Default getTransaction 50, others 1. */
  batch?: Partial<Record<string, number>> & { default?: number };
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  breaker?: BreakerOptions;
  onEvent?: (event: ClientEvent) => void;
}

export type ClientEvent =
  | { type: 'throttled'; retryAfterMs?: number }
  | { type: 'retry'; method: string; kind: string; attempt: number; delayMs: number }
  | { type: 'breaker'; state: BreakerState }
  | { type: 'batch-limit'; method: string; size: number };

export interface ClientStats {
  /** HTTP requests sent. */
  requests: number;
  /** Calls sent (a batch of n counts n), including retries. */
  calls: number;
  /** Calls that got a definite answer (result or final RPC error). */
  answered: number;
  /** Calls answered 429. */
  throttled: number;
  serverErrors: number;
  timeouts: number;
  networkErrors: number;
  malformed: number;
  unavailable: number;
  retries: number;
  /** Calls that failed for good (after retries or on a final error other than "skipped"). */
  failed: number;
}

interface Item {
  params: unknown[];
  attempts: number;
  throttled: number;
  settle: (r: Settled<any>) => void;
}

export class RpcClient {
  /** The endpoint with credentials removed: safe to print and store. */
  readonly endpoint: string;
  readonly stats: ClientStats = {
    requests: 0,
    calls: 0,
    answered: 0,
    throttled: 0,
    serverErrors: 0,
    timeouts: 0,
    networkErrors: 0,
    malformed: 0,
    unavailable: 0,
    retries: 0,
    failed: 0,
  };
  private readonly url: string;
  private readonly limit: ReturnType<typeof pLimit>;
  private readonly pacer: AdaptiveRate;
  private readonly breaker: CircuitBreaker;
  private readonly batchMax: Map<string, number>;
  private readonly defaultBatch: number;
  private readonly timeoutMs: number;
  private readonly maxAttempts: number;
  private readonly backoffBase: number;
  private readonly backoffMax: number;
  private readonly onEvent: (e: ClientEvent) => void;
  private nextId = 1;
  private readonly closing = new AbortController();

  constructor(opts: RpcClientOptions) {
    this.url = opts.url;
    this.endpoint = redactUrl(opts.url);
    this.limit = pLimit(Math.max(1, opts.concurrency ?? 16));
    this.pacer = new AdaptiveRate({ ceiling: opts.rps, initial: opts.rps ? undefined : opts.initialRps });
    this.onEvent = opts.onEvent ?? (() => {});
    this.breaker = new CircuitBreaker({ ...opts.breaker, onChange: (state) => this.onEvent({ type: 'breaker', state }) });
    const { default: def, ...perMethod } = opts.batch ?? {};
    this.defaultBatch = Math.max(1, def ?? 1);
    this.batchMax = new Map(Object.entries({ getTransaction: 50, ...perMethod }).map(([k, v]) => [k, Math.max(1, v ?? 1)]));
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.maxAttempts = opts.maxAttempts ?? 6;
    this.backoffBase = opts.backoffBaseMs ?? 200;
    this.backoffMax = opts.backoffMaxMs ?? 10_000;
    // Every request in flight and every backoff sleep listens for close(): many at once is normal.
    setMaxListeners(0, this.closing.signal);
  }

  get rate(): RateSnapshot {
    return this.pacer.snapshot();
  }

  get breakerState(): BreakerState {
    return this.breaker.state;
  }

  /** The batch size currently used for a method (shrinks if the endpoint refuses batches). */
  batchSize(method: string): number {
    return this.batchMax.get(method) ?? this.defaultBatch;
  }

  /**
   * Cancel everything: requests in flight are aborted and every waiting or future call settles
   * with an 'aborted' error, so a Ctrl-C'd run exits at once instead of waiting out timeouts.
   */
  close(): void {
    this.closing.abort();
    this.pacer.close();
  }

  /** One call; throws the final RpcError. */
  async call<T>(method: string, params: unknown[]): Promise<T> {
    const [r] = await this.callMany<T>(method, [params]);
    if (!r.ok) throw r.error;
    return r.value;
  }

  /**
   * Many calls of one method; batched where the endpoint allows. One result per params entry.
   * `read` reads an unbatched answer's body (postJson's BodyReader) in place of JSON.parse.
   */
  callMany<T>(method: string, paramsList: unknown[][], opts: { read?: BodyReader } = {}): Promise<Settled<T>[]> {
    const items: Item[] = [];
    // Promise executors run synchronously, so `items` is complete before the loop below.
    const settled = paramsList.map(
      (params) => new Promise<Settled<T>>((settle) => items.push({ params, attempts: 0, throttled: 0, settle })),
    );
    const size = this.batchSize(method);
    for (let i = 0; i < items.length; i += size) void this.run(method, items.slice(i, i + size), opts.read);
    return Promise.all(settled);
  }

  /** Send a group of items, settle what is final, and retry the rest after a backoff. */
  private async run(method: string, items: Item[], read: BodyReader | undefined): Promise<void> {
    let pending = items;
    // Calls coming back from a 429 go to the front of the pacer's queue: they are the oldest
    // work, and an ordered consumer is waiting on them.
    let first = false;
    while (pending.length > 0) {
      if (this.closing.signal.aborted) {
        const error = new RpcError('aborted', 'client closed');
        for (const it of pending) it.settle({ ok: false, error });
        return;
      }
      const size = this.batchSize(method);
      if (pending.length > size) {
        // The batch limit shrank while these waited: split and carry on in parallel.
        for (let i = size; i < pending.length; i += size) void this.run(method, pending.slice(i, i + size), read);
        pending = pending.slice(0, size);
      }
      let outcomes: Array<Settled<unknown>> | 'batch-refused';
      try {
        const group = pending;
        const urgent = first;
        outcomes = await this.limit(() => this.send(method, group, urgent, read));
      } catch (err) {
        // Only the breaker's "endpoint down" reaches here: every item fails with it.
        const error = err instanceof RpcError ? err : new RpcError('network', String(err));
        for (const it of pending) it.settle({ ok: false, error });
        this.stats.failed += pending.length;
        return;
      }
      if (outcomes === 'batch-refused') {
        const smaller = Math.max(1, Math.floor(pending.length / 2));
        this.batchMax.set(method, smaller);
        this.onEvent({ type: 'batch-limit', method, size: smaller });
        continue;
      }
      const retry: Item[] = [];
      let delay = 0;
      let onlyThrottled = true;
      outcomes.forEach((out, i) => {
        const it = pending[i];
        if (out.ok) return it.settle(out);
        const e = out.error;
        if (!e.retryable) {
          if (e.kind !== 'skipped' && e.kind !== 'aborted') this.stats.failed++;
          return it.settle(out);
        }
        if (e.kind === 'throttled') it.throttled++;
        else it.attempts++;
        if (it.attempts >= this.maxAttempts || it.throttled >= MAX_THROTTLED) {
          this.stats.failed++;
          return it.settle(out);
        }
        retry.push(it);
        // A 429 is waited out in the pacer, which holds every call for as long as the endpoint
        // needs (see rate.ts); other failures back off here.
        if (e.kind === 'throttled') return;
        onlyThrottled = false;
        delay = Math.max(delay, this.backoff(it.attempts));
      });
      first = retry.length > 0 && onlyThrottled;
      if (retry.length > 0) {
        this.stats.retries += retry.length;
        const failure = outcomes.find((o) => !o.ok) as { ok: false; error: RpcError } | undefined;
        this.onEvent({ type: 'retry', method, kind: failure?.error.kind ?? '?', attempt: retry[0].attempts, delayMs: delay });
        await sleep(delay, this.closing.signal);
      }
      pending = retry;
    }
  }

  /** Exponential backoff with "equal jitter": half fixed, half random, so retries spread out. */
  private backoff(attempt: number): number {
    const d = Math.min(this.backoffMax, this.backoffBase * 2 ** (attempt - 1));
    return d / 2 + Math.random() * (d / 2);
  }

  /** One HTTP request for `items` (a plain request for one, a batch array for several). */
  private async send(method: string, items: Item[], urgent: boolean, read: BodyReader | undefined): Promise<Array<Settled<unknown>> | 'batch-refused'> {
    await this.breaker.admit();
    const ticket = await this.pacer.acquire(items.length, { first: urgent });
    if (this.closing.signal.aborted) return items.map(() => ({ ok: false, error: new RpcError('aborted', 'client closed') }));
    const ids = items.map(() => this.nextId++);
    const requests = items.map((it, i) => ({ jsonrpc: '2.0', id: ids[i], method, params: it.params }));
    const asBatch = items.length > 1;
    this.stats.requests++;
    this.stats.calls += items.length;
    let body: unknown;
    try {
      // A batch's answers are read here: `read` knows one answer's shape.
      body = await postJson(this.url, asBatch ? requests : requests[0], this.timeoutMs, this.closing.signal, asBatch ? undefined : read);
    } catch (err) {
      const e = err instanceof RpcError ? err : new RpcError('network', String(err));
      if (e.kind === 'aborted') {
        this.pacer.onOther(ticket);
        return items.map(() => ({ ok: false, error: e }));
      }
      if (asBatch && e.kind === 'rpc' && (e.status === 400 || e.status === 413)) {
        this.breaker.onSuccess();
        this.pacer.onOther(ticket);
        return 'batch-refused';
      }
      this.noteFailure(e, items.length, ticket);
      return items.map(() => ({ ok: false, error: e }));
    }
    if (asBatch && !Array.isArray(body)) {
      const e = fromRpcError((body as any)?.error ?? {});
      if (e.kind === 'throttled') {
        this.noteFailure(e, items.length, ticket);
        return items.map(() => ({ ok: false, error: e }));
      }
      this.breaker.onSuccess();
      this.pacer.onOther(ticket);
      return 'batch-refused';
    }
    this.breaker.onSuccess();
    const answers = new Map<unknown, any>();
    for (const a of asBatch ? (body as any[]) : [body]) answers.set(a?.id, a);
    let healthy = 0;
    let throttled = 0;
    const out = items.map((_, i): Settled<unknown> => {
      const a = answers.get(ids[i]) ?? (asBatch ? undefined : body);
      if (!a || typeof a !== 'object' || (!('result' in a) && !('error' in a))) {
        this.stats.malformed++;
        return { ok: false, error: new RpcError('malformed', `no answer for ${method} in the response`) };
      }
      if (a.error) {
        const e = fromRpcError(a.error);
        if (e.kind === 'throttled') {
          this.stats.throttled++;
          throttled++;
        } else {
          if (e.kind === 'unavailable') this.stats.unavailable++;
          this.stats.answered++;
          healthy++;
        }
        return { ok: false, error: e };
      }
      this.stats.answered++;
      healthy++;
      return { ok: true, value: a.result };
    });
    // Some providers throttle inside a 200 answer, item by item: one overload, reported once,
    // before the healthy answers so a half-throttled probe does not lift a hold.
    if (throttled > 0) {
      this.pacer.onThrottle(undefined, ticket);
      this.onEvent({ type: 'throttled' });
    }
    if (healthy > 0) this.pacer.onSuccess(healthy, ticket);
    else if (throttled === 0) this.pacer.onOther(ticket);
    return out;
  }

  private noteFailure(e: RpcError, n: number, ticket: Ticket): void {
    if (e.kind === 'throttled') {
      this.stats.throttled += n;
      this.pacer.onThrottle(e.retryAfterMs, ticket);
      this.breaker.onSuccess();
      this.onEvent({ type: 'throttled', retryAfterMs: e.retryAfterMs });
      return;
    }
    if (isEndpointTrouble(e.kind)) {
      if (e.kind === 'server') this.stats.serverErrors += n;
      else if (e.kind === 'timeout') this.stats.timeouts += n;
      else if (e.kind === 'network') this.stats.networkErrors += n;
      else this.stats.malformed += n;
      this.pacer.onTrouble(ticket);
      this.breaker.onFailure();
      return;
    }
    // The endpoint answered, if unhelpfully (401/403/4xx): it is up.
    this.breaker.onSuccess();
    this.pacer.onOther(ticket);
  }
}

/** A backoff sleep that a closing client cuts short. */
function sleep(ms: number, cancel: AbortSignal): Promise<void> {
  if (ms <= 0 || cancel.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      cancel.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    cancel.addEventListener('abort', done, { once: true });
  });
}
