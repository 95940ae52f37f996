/**
 * The live loop: one LiveSource's events into the one pipeline, with the slots the source could
 * not deliver (the start-up catch-up, a reconnect's gap) fetched over HTTP in between, and a
 * cursor that only ever names a slot whose trades are all committed.
 *
 * Why gaps are filled in line rather than beside the stream: the flow engine releases a slot
 * once the stream is its hold (lagSlots + sandwich look-ahead) past it, and a trade behind what
 * was released is "late" (stored unflagged, reconciled only at close). Filling a gap before the
 * events that follow it keeps every slot in order, so a live database equals a backfill of the
 * same slots without a recompute. The source buffers what arrives meanwhile.
 *
 * Duplicates: a slot can reach the pipeline twice (a gap fill overlapping transactions that came
 * before a drop). The engine drops a trade it already holds, and the writer's (signature,
 * ix_path) key drops one already stored, so nothing is counted or stored twice.
 */
import type { LiveEvent, LiveSource } from '../sources/live/types.js';
import type { SourceTx } from '../sources/types.js';
import type { DecodedEnvelope } from '../core/pipeline.js';

/** What the loop needs of the pipeline (src/core/pipeline.ts). */
export interface IngestTarget {
  ingestTransactions(envelopes: Iterable<SourceTx | DecodedEnvelope>): Promise<{ received: number; decodeErrors: number }>;
  tick(blockTime: number, slot: number | null): Promise<void>;
  /** Every trade at or below this slot has been handed to the writer. */
  committedSlot(): number | null;
}

export interface GapFill {
  transactions: number;
  trades: number;
  /** Of `transactions`, how many failed to decode (counted and skipped). */
  decodeErrors: number;
  /** Slots that could not be fetched even by HTTP (recorded by the filler). */
  missing: Array<{ from: number; to: number; error: string }>;
}

export type IngestEvent =
  | LiveEvent
  | { kind: 'gap-filled'; from: number; to: number; reason: string; fill: GapFill; ms: number }
  | { kind: 'cursor'; slot: number }
  | { kind: 'batch'; transactions: number; trades: number; decodeErrors: number };

export interface IngestLoopOptions {
  source: LiveSource;
  target: IngestTarget;
  /** Fetch slots [from, to] over HTTP into the same target, in order (the job runner). */
  fillGap(from: number, to: number, reason: string): Promise<GapFill>;
  /**
   * Persist the cursor once everything handed to the writer so far is committed (the writer's
   * exclusive step, so it lands after those trades, never before).
   */
  saveCursor(slot: number): Promise<void>;
  /**
   * First slot to cover: the stored cursor + 1, or --from-slot; null: start at the live tip.
   * The source was given the same slot as its fromSlot, so it replays from there (Yellowstone)
   * or reports the slots before its first tip as a gap (both sources do): the catch-up is the
   * first gap fill.
   */
  startSlot: number | null;
  /** Hand transactions to the pipeline at least this often while they stream (ms). */
  flushMs?: number;
  /** …or once this many are waiting. */
  flushCount?: number;
  /** Save the cursor at most this often (ms); always on stop. */
  cursorEveryMs?: number;
  onEvent?(e: IngestEvent): void;
  signal?: AbortSignal;
}

export interface IngestLoopResult {
  /** The last cursor saved. */
  cursor: number | null;
  /** Every slot at or below this reached the pipeline: the cursor once the pipeline is closed. */
  covered: number | null;
  transactions: number;
  gapsFilled: number;
  gapSlots: number;
  reconnects: number;
  skipped: number;
}

/**
 * Run until the signal aborts (or the source ends). The caller closes the pipeline afterwards;
 * the loop's last act is to hand over what it holds and save the cursor.
 */
export async function runIngestLoop(o: IngestLoopOptions): Promise<IngestLoopResult> {
  const flushMs = o.flushMs ?? 200;
  const flushCount = o.flushCount ?? 2000;
  const cursorEveryMs = o.cursorEveryMs ?? 1000;
  const emit = (e: IngestEvent) => o.onEvent?.(e);
  const result: IngestLoopResult = { cursor: null, covered: null, transactions: 0, gapsFilled: 0, gapSlots: 0, reconnects: 0, skipped: 0 };

  /** Every slot at or below this is covered: delivered by the source or fetched over HTTP. */
  let covered: number | null = o.startSlot === null ? null : o.startSlot - 1;
  /** Highest slot fetched over HTTP: the source's copies of those slots are dropped. */
  let filledTo = -1;
  let pending: Array<SourceTx | DecodedEnvelope> = [];
  let pendingSince = 0;
  let lastCursorAt = 0;
  let saved: number | null = null;

  async function flush(): Promise<void> {
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    const r = await o.target.ingestTransactions(batch);
    result.transactions += batch.length;
    emit({ kind: 'batch', transactions: batch.length, trades: r.received, decodeErrors: r.decodeErrors });
  }

  /** The cursor: covered by the source or by HTTP, and released by the engine to the writer. */
  async function saveCursor(force: boolean): Promise<void> {
    if (covered === null) return;
    const now = Date.now();
    if (!force && now - lastCursorAt < cursorEveryMs) return;
    lastCursorAt = now;
    await flush();
    const released = o.target.committedSlot();
    if (released === null) return;
    const slot = Math.min(covered, released);
    if (saved !== null && slot <= saved) return;
    await o.saveCursor(slot);
    saved = slot;
    result.cursor = slot;
    emit({ kind: 'cursor', slot });
  }

  async function fill(from: number, to: number, reason: string): Promise<void> {
    if (to < from) return;
    await flush();
    const t0 = Date.now();
    const r = await o.fillGap(from, to, reason);
    result.gapsFilled++;
    result.gapSlots += to - from + 1;
    filledTo = Math.max(filledTo, to);
    covered = Math.max(covered ?? to, to);
    emit({ kind: 'gap-filled', from, to, reason, fill: r, ms: Date.now() - t0 });
  }

  for await (const ev of o.source.events()) {
    emit(ev);
    switch (ev.kind) {
      case 'tip':
        break;
      case 'tx':
        if (ev.slot <= filledTo) break;
        if (pending.length === 0) pendingSince = Date.now();
        pending.push('tx' in ev ? { tx: ev.tx, txIndex: ev.txIndex } : { decoded: ev.decoded, txIndex: ev.txIndex });
        if (pending.length >= flushCount || Date.now() - pendingSince >= flushMs) await flush();
        break;
      case 'watermark':
        if (covered === null || ev.slot > covered) covered = ev.slot;
        await flush();
        if (ev.blockTime !== null) await o.target.tick(ev.blockTime, ev.slot);
        await saveCursor(false);
        break;
      case 'gap':
        await fill(Math.max(ev.from, filledTo + 1), ev.to, ev.reason);
        break;
      case 'reconnect':
        result.reconnects++;
        break;
      case 'skip':
        result.skipped++;
        break;
      case 'connected':
        break;
    }
    if (o.signal?.aborted) break;
  }
  await flush();
  await saveCursor(true);
  result.covered = covered;
  return result;
}
