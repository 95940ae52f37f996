/**
 * The Yellowstone gRPC live source: one subscription (venue transactions, block metas, slots)
 * turned into the loop's LiveEvents, kept alive across drops, outages and silent sockets.
 *
 * - Subscribes with a transactions filter (accountInclude = the venue programs, no votes, no
 *   failed transactions), blocksMeta (transaction updates carry no block time) and slots (the
 *   tip), at the loop's commitment; answers server pings by re-sending the subscription with a
 *   ping id (some servers treat any request as the new filter set).
 * - A connection is dead when it errors, ends, or sends nothing for `heartbeatMs` (a server
 *   pings every 10 s and slots arrive several times a second, so silence means a dead socket).
 *   It is redialled with capped exponential backoff and jitter, and resubscribed from the
 *   first slot not yet delivered (`fromSlot`). If the server no longer holds that slot, the
 *   source resubscribes from the oldest slot it does hold and reports the slots in between as a
 *   gap; a server that does not say which slot it holds is resubscribed live, and the gap runs to
 *   the first slot it sends (that slot included: a stream joined mid-slot may have missed the
 *   start of it).
 * - A wrong or missing x-token ends the iterator with a one-line error; nothing else does.
 * - Neither the x-token nor a key in the endpoint URL ever appears in an event or an error.
 */
import yellowstone, { CommitmentLevel, SubscribeRequest, type SubscribeUpdate } from '@triton-one/yellowstone-grpc';
import { redactUrl } from '../../util/redact.js';
import type { LiveEvent, LiveSource, LiveSourceOptions } from '../live/types.js';
import { SlotAssembler } from './assembler.js';
import { classifyGrpcError, redact } from './errors.js';

// The package ships ESM at run time but CommonJS-flavoured types, so TypeScript sees the class
// one `.default` deeper than Node does.
const Client: typeof yellowstone.default =
  (yellowstone as unknown as { default?: typeof yellowstone.default }).default ?? (yellowstone as unknown as typeof yellowstone.default);

export interface GrpcSourceOptions extends LiveSourceOptions {
  /** `https://host[:port]` or `http://host:port` (plaintext). May carry a key in its path or query. */
  endpoint: string;
  xToken?: string;
  /** No update at all for this long means the connection is dead. Default 30 000 ms. */
  heartbeatMs?: number;
  /**
   * Reconnect delay: cap = min(maxMs, initialMs × 2^(attempt−1)), waited as cap/2 plus a random
   * share of the other half, so a fleet of clients spreads out. Defaults 500 ms / 30 s.
   */
  backoff?: { initialMs?: number; maxMs?: number };
  /** A slot whose block meta has not come after this many later slots' metas is reported as a gap. Default 32. */
  staleSlots?: number;
  /** Jitter source, [0, 1). */
  random?: () => number;
}

/**
 * `options.fromSlot` is the first slot the loop still needs (its cursor + 1), or null to start
 * at the live tip.
 */
export function createGrpcSource(options: GrpcSourceOptions): LiveSource {
  const secrets = [options.xToken ?? ''].filter(Boolean);
  const where = redactUrl(options.endpoint);
  const heartbeatMs = options.heartbeatMs ?? 30_000;
  const initialMs = options.backoff?.initialMs ?? 500;
  const maxMs = options.backoff?.maxMs ?? 30_000;
  const random = options.random ?? Math.random;
  let stopped = false;
  let current: { destroy(err?: Error): void } | null = null;
  let wake: (() => void) | null = null;

  const subscription = (fromSlot: number | null): SubscribeRequest =>
    SubscribeRequest.fromPartial({
      transactions: {
        venues: { accountInclude: [...options.programs], vote: false, failed: false, accountExclude: [], accountRequired: [] },
      },
      blocksMeta: { blocks: {} },
      slots: { tip: {} },
      commitment: options.commitment === 'finalized' ? CommitmentLevel.FINALIZED : CommitmentLevel.CONFIRMED,
      ...(fromSlot !== null ? { fromSlot: String(fromSlot) } : {}),
    });

  async function* run(): AsyncGenerator<LiveEvent> {
    const assembler = new SlotAssembler(options.fromSlot != null ? options.fromSlot - 1 : null, options.staleSlots);
    /** First slot not yet delivered; null before anything is known. */
    const resumePoint = () => (assembler.watermark === null ? null : assembler.watermark + 1);
    let fromSlot: number | null = resumePoint();
    let attempt = 0;
    let tip = -1;
    let lastWasReplay = false;

    while (!stopped) {
      let reason: string;
      let delayMs: number | null = null;
      let replayRefused = false;
      try {
        const client = new Client(options.endpoint, options.xToken, undefined);
        await client.connect();
        const stream = await client.subscribe(subscription(fromSlot));
        current = stream;
        if (stopped) break;
        yield { kind: 'connected', mode: fromSlot === null ? 'grpc' : `grpc/from-slot ${fromSlot}` };
        // Live without fromSlot: whatever was missed runs up to the first slot this stream sends.
        let joinGap = fromSlot === null;
        const wanted = resumePoint();
        let heard = false;
        for await (const update of heartbeat(stream, heartbeatMs) as AsyncIterable<SubscribeUpdate>) {
          if (!heard) {
            heard = true;
            attempt = 0;
          }
          if (update.ping) {
            stream.write({ ...subscription(null), ping: { id: 1 } });
            continue;
          }
          if (update.slot) {
            const slot = Number(update.slot.slot);
            if (slot > tip) {
              tip = slot;
              yield { kind: 'tip', slot };
            }
            continue;
          }
          const slot = Number(update.transaction?.slot ?? update.blockMeta?.slot ?? NaN);
          if (!Number.isFinite(slot)) continue;
          if (joinGap) {
            joinGap = false;
            // A slot below `wanted` was delivered before; its repeats fall below the watermark.
            if (wanted === null || slot >= wanted) {
              yield { kind: 'gap', from: wanted ?? slot, to: slot, reason: 'subscribed live: the first slot may be partial' };
              assembler.raiseFloor(slot);
            }
          }
          const events = update.transaction
            ? update.transaction.transaction
              ? assembler.transaction(slot, update.transaction.transaction)
              : [{ kind: 'skip', reason: 'transaction update without a transaction', slot } as LiveEvent]
            : assembler.blockMeta(slot, blockTimeOf(update));
          for (const e of events) yield e;
        }
        reason = 'stream ended';
      } catch (err) {
        if (stopped) break;
        const failure = classifyGrpcError(err, secrets);
        if (failure.kind === 'auth') throw new Error(`gRPC ${where}: ${failure.message}`);
        reason = failure.message;
        if (failure.kind === 'replay-unavailable') {
          const wanted = fromSlot ?? resumePoint();
          if (failure.firstAvailable !== null && wanted !== null && failure.firstAvailable > wanted) {
            yield { kind: 'gap', from: wanted, to: failure.firstAvailable - 1, reason: `server cannot replay from ${wanted}` };
            assembler.raiseFloor(failure.firstAvailable - 1);
          }
          fromSlot = failure.firstAvailable;
          replayRefused = true;
          // Straight back, once: a second refusal in a row waits like any other failure.
          if (!lastWasReplay) delayMs = 0;
        }
      } finally {
        current?.destroy();
        current = null;
      }
      if (stopped) break;
      assembler.reset();
      attempt++;
      lastWasReplay = replayRefused;
      if (delayMs === null) {
        // After a refusal, fromSlot is the slot the server said it holds; otherwise resume.
        if (!replayRefused) fromSlot = resumePoint();
        const cap = Math.min(maxMs, initialMs * 2 ** Math.min(attempt - 1, 30));
        delayMs = Math.round(cap / 2 + (random() * cap) / 2);
      }
      yield { kind: 'reconnect', attempt, reason: redact(reason, secrets), delayMs };
      await sleep(delayMs);
    }
  }

  function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(done, ms);
      function done() {
        clearTimeout(t);
        wake = null;
        resolve();
      }
      wake = done;
    });
  }

  return {
    name: 'grpc',
    events: run,
    async stop() {
      stopped = true;
      current?.destroy();
      wake?.();
    },
  };
}

function blockTimeOf(update: SubscribeUpdate): number | null {
  const t = update.blockMeta?.blockTime?.timestamp;
  return t === undefined || t === '' ? null : Number(t);
}

/** The stream's updates, failing it when nothing arrives for `ms`. */
async function* heartbeat(stream: AsyncIterable<unknown> & { destroy(err?: Error): void }, ms: number): AsyncGenerator<unknown> {
  let timer: NodeJS.Timeout | null = null;
  const arm = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => stream.destroy(new Error(`no update for ${Math.round(ms / 1000)} s`)), ms);
  };
  arm();
  try {
    for await (const update of stream) {
      arm();
      yield update;
    }
  } finally {
    if (timer) clearTimeout(timer);
  }
}
