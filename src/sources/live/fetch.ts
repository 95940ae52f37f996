/**
 * The HTTP half of the logs mode: each notified signature's transaction (getTransaction), and
 * each slot's order of signatures (getBlock with transactionDetails 'signatures', the cheapest
 * answer that carries positions: ~90 bytes a transaction instead of the whole block).
 *
 * All through the RpcClient backfill uses, so the calls share its adaptive rate, its batching
 * (signatures noticed within one turn of the event loop go out as one batch), its retries and
 * its circuit breaker. What the client cannot answer comes back as a reason, never a throw.
 *
 * A getTransaction that answers null (the node has not got it yet: the notification outran its
 * storage) is asked again after a short backoff, a few times, before giving up on it.
 */
import type { RpcClient } from '../rpc/client.js';
import type { RawTransaction } from '../../core/decode/index.js';
import type { Commitment } from '../types.js';
import { redactText } from '../../util/redact.js';

/** Same as the getBlock of backfill, so both see the same transactions. */
export const MAX_TX_VERSION = 1;

export type Fetched<T> = { ok: true; value: T } | { ok: false; reason: string };

export interface FetchOptions {
  commitment: Commitment;
  /** Times a null getTransaction is asked again; default 4. */
  nullRetries?: number;
  /** First wait after a null, doubling; default 250 ms. */
  nullBackoffMs?: number;
  /** Called once per null answer retried (for counting). */
  onNull?: (signature: string, attempt: number) => void;
}

export interface Fetcher {
  transaction(signature: string): Promise<Fetched<RawTransaction>>;
  blockSignatures(slot: number): Promise<Fetched<{ signatures: string[]; blockTime: number | null }>>;
  /** Drop waiting retries: their promises settle as failures. */
  close(): void;
}

export function createFetcher(client: RpcClient, opts: FetchOptions): Fetcher {
  const retries = opts.nullRetries ?? 4;
  const backoff = opts.nullBackoffMs ?? 250;
  const txConfig = { encoding: 'json', maxSupportedTransactionVersion: MAX_TX_VERSION, commitment: opts.commitment };
  const blockConfig = { encoding: 'json', transactionDetails: 'signatures', rewards: false, maxSupportedTransactionVersion: MAX_TX_VERSION, commitment: opts.commitment };
  let queue: Array<{ signature: string; settle: (r: Fetched<RawTransaction | null>) => void }> = [];
  let flushScheduled = false;
  const timers = new Set<{ timer: ReturnType<typeof setTimeout>; settle: () => void }>();
  let closed = false;

  function flush(): void {
    flushScheduled = false;
    const batch = queue;
    queue = [];
    if (batch.length === 0) return;
    client.callMany<RawTransaction | null>('getTransaction', batch.map((q) => [q.signature, txConfig])).then(
      (results) => results.forEach((r, i) => batch[i].settle(r.ok ? { ok: true, value: r.value } : { ok: false, reason: redactText(r.error.message) })),
      (err) => batch.forEach((q) => q.settle({ ok: false, reason: redactText(String(err)) })),
    );
  }

  function ask(signature: string): Promise<Fetched<RawTransaction | null>> {
    return new Promise((settle) => {
      queue.push({ signature, settle });
      if (!flushScheduled) {
        flushScheduled = true;
        setImmediate(flush);
      }
    });
  }

  function wait(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const t = { timer: setTimeout(() => (timers.delete(t), resolve(true)), ms), settle: () => resolve(false) };
      timers.add(t);
    });
  }

  return {
    async transaction(signature) {
      for (let attempt = 0; ; attempt++) {
        if (closed) return { ok: false, reason: 'source stopped' };
        const r = await ask(signature);
        if (!r.ok) return r;
        if (r.value) return { ok: true, value: r.value };
        if (attempt >= retries) return { ok: false, reason: `getTransaction ${signature} still null after ${attempt + 1} tries` };
        opts.onNull?.(signature, attempt + 1);
        if (!(await wait(backoff * 2 ** attempt))) return { ok: false, reason: 'source stopped' };
      }
    },
    async blockSignatures(slot) {
      const [r] = await client.callMany<{ signatures?: string[]; blockTime?: number | null } | null>('getBlock', [[slot, blockConfig]]);
      if (!r.ok) return { ok: false, reason: `getBlock ${slot}: ${redactText(r.error.message)}` };
      if (!r.value || !Array.isArray(r.value.signatures)) return { ok: false, reason: `getBlock ${slot}: no signatures in the answer` };
      return { ok: true, value: { signatures: r.value.signatures, blockTime: r.value.blockTime ?? null } };
    },
    close() {
      closed = true;
      for (const t of timers) {
        clearTimeout(t.timer);
        t.settle();
      }
      timers.clear();
    },
  };
}
