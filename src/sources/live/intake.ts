/**
 * The WebSocket source's intake: notifications in, LiveEvents out, across connections.
 *
 * It holds what outlives one connection (the slot book and its floor, the tip, the node's
 * slot at our commitment) and what belongs to the current one (the first slot it reported,
 * notifications held until then, fetches in flight: a lost connection drops their answers).
 * The connection keeper (websocket.ts) calls connecting() before subscribing, lost() when the
 * connection dies, and feeds it the notifications and the polled commitment slot.
 */
import { redactText } from '../../util/redact.js';
import type { Commitment } from '../types.js';
import type { LiveEvent } from './types.js';
import { SlotBook } from './slot-book.js';
import type { Fetcher } from './fetch.js';
import { readLogs, readSlot, salvage } from './frames.js';
import type { DigestedBlock } from './frame-digest.js';

export type Mode = 'block' | 'logs';

export interface WebSocketStats {
  connects: number;
  reconnects: number;
  /** Venue signatures notified (logs mode) or venue transactions in blocks (block mode). */
  notified: number;
  /** Notifications of a signature already known (it mentions several followed programs). */
  duplicates: number;
  /** Failed venue transactions left out. */
  failedTxs: number;
  txs: number;
  gaps: number;
  gapSlots: number;
  skips: number;
  /** null getTransaction answers asked again. */
  nullRetries: number;
  /** Notifications for slots already in a reported gap (dropped). */
  stale: number;
  /** Notifications that arrived after their slot was sealed (the slot was reported as a gap). */
  late: number;
}

export function emptyStats(): WebSocketStats {
  return { connects: 0, reconnects: 0, notified: 0, duplicates: 0, failedTxs: 0, txs: 0, gaps: 0, gapSlots: 0, skips: 0, nullRetries: 0, stale: 0, late: 0 };
}

export interface IntakeOptions {
  commitment: Commitment;
  fromSlot: number | null;
  marginSlots: number;
  fetcher: Fetcher;
  stats: WebSocketStats;
  mode: () => Mode | null;
  emit: (e: LiveEvent) => void;
  /** A slot notification arrived (the heartbeat's pulse). */
  onPulse: () => void;
  /** The connection proved itself: its first slot notification. */
  onLive: () => void;
  /** Something was lost that no slot accounts for: the connection must be given up. */
  onUnattributable: (why: string) => void;
}

export interface Intake {
  onSlot(result: unknown): void;
  onLogs(result: unknown): void;
  onBlock(result: unknown): void;
  onMalformed(text: string, why: string): void;
  /** A new connection is being subscribed: hold notifications until its first slot. */
  connecting(): void;
  /** The connection died: forget its work in flight; the next one reports the gap. */
  lost(reason: string): void;
  /** The node's slot at our commitment (HTTP getSlot). */
  commitSlot(slot: number): void;
}

export function createIntake(opts: IntakeOptions): Intake {
  const { stats, fetcher, emit } = opts;
  const margin = opts.marginSlots;
  let book: SlotBook | null = null;
  /** Bumped when a connection dies: answers for the old one are dropped. */
  let generation = 0;
  /**
   * Until the first slot notification of a connection, notifications wait here (and nothing is
   * handed over); null while a connection is live.
   */
  let waiting: Array<() => void> | null = null;
  let liveFrom = -1;
  let tipSlot = -1;
  /** The socket's root (slot notifications carry it): the finalized bound that arrived in order. */
  let rootSlot = -1;
  let commitSlot = -1;
  let lastBlockSlot = -1;
  let deathReason = '';
  const positionsAsked = new Set<number>();
  const lateReported = new Set<number>();

  /** Hand over what is sealed and complete. */
  function advance(): void {
    if (!book || waiting) return;
    let frontier = Math.min(tipSlot, commitSlot);
    if (opts.commitment === 'finalized') frontier = Math.min(frontier, rootSlot);
    if (opts.mode() === 'block') frontier = Math.min(frontier, lastBlockSlot);
    frontier -= margin;
    if (frontier <= book.floor) return;
    for (const e of book.drain(frontier)) emit(e);
    for (const s of positionsAsked) if (s <= book.floor) positionsAsked.delete(s);
    if (lateReported.size > 1000) lateReported.clear();
  }

  /** A notification for a slot at or below the floor: stale (in a reported gap) or late. */
  function settledSlot(slot: number, what: string): void {
    if (slot < liveFrom) {
      stats.stale++;
      return;
    }
    stats.late++;
    if (lateReported.has(slot)) return;
    lateReported.add(slot);
    emit({ kind: 'gap', from: slot, to: slot, reason: `${what} arrived after slot ${slot} was sealed` });
  }

  // ---------------------------------------------------------------------------------------
  // Notifications

  function onSlot(result: unknown): void {
    const slot = readSlot(result);
    if (slot === null) return skip('slot notification without a slot');
    opts.onPulse();
    const root = (result as { root?: unknown }).root;
    if (typeof root === 'number' && root > rootSlot) rootSlot = root;
    if (waiting) beginLive(slot);
    if (slot > tipSlot) {
      tipSlot = slot;
      emit({ kind: 'tip', slot });
    }
    advance();
  }

  /** The first slot of a connection: report what was missed, then replay what waited. */
  function beginLive(first: number): void {
    const held = waiting!;
    waiting = null;
    opts.onLive();
    liveFrom = first;
    if (!book) {
      const from = opts.fromSlot ?? first;
      // Asked to start ahead of the tip: what comes before fromSlot is not ours to deliver.
      liveFrom = Math.max(first, from);
      book = new SlotBook(Math.min(from, first) - 1);
      if (from < first) emit({ kind: 'gap', from, to: first - 1, reason: 'before the live stream began' });
      book.skipTo(liveFrom - 1);
    } else if (first - 1 > book.floor) {
      emit({ kind: 'gap', from: book.floor + 1, to: first - 1, reason: `missed while reconnecting (${deathReason || 'connection lost'})` });
      book.skipTo(first - 1);
    }
    for (const replay of held) replay();
  }

  function whenLive(fn: () => void): void {
    if (waiting) waiting.push(fn);
    else fn();
  }

  function onLogs(result: unknown): void {
    const note = readLogs(result);
    if (!note) return skip('logs notification without a slot or signature');
    if (note.failed) {
      stats.failedTxs++;
      return;
    }
    whenLive(() => {
      if (note.slot < liveFrom) {
        stats.stale++;
        return;
      }
      const noted = book!.note(note.slot, note.signature);
      if (noted === 'settled') return settledSlot(note.slot, `transaction ${note.signature}`);
      if (noted === 'duplicate') {
        stats.duplicates++;
        return;
      }
      stats.notified++;
      fetchTransaction(note.slot, note.signature);
      if (!positionsAsked.has(note.slot)) {
        positionsAsked.add(note.slot);
        fetchPositions(note.slot);
      }
    });
  }

  function fetchTransaction(slot: number, signature: string): void {
    const gen = generation;
    void fetcher.transaction(signature).then((r) => {
      if (gen !== generation || !book) return;
      if (!r.ok) book.fail(slot, r.reason);
      else if (r.value.slot !== slot) book.fail(slot, `transaction ${signature} notified in slot ${slot} but landed in ${r.value.slot}`);
      else book.fetched(slot, signature, r.value);
      advance();
    });
  }

  function fetchPositions(slot: number): void {
    const gen = generation;
    void fetcher.blockSignatures(slot).then((r) => {
      if (gen !== generation || !book) return;
      if (!r.ok) book.fail(slot, r.reason);
      else book.positioned(slot, r.value.signatures, r.value.blockTime);
      advance();
    });
  }

  /** The reader has digested the notification (frame-digest.ts): null when it named no slot or transactions. */
  function onBlock(result: unknown): void {
    const block = result as DigestedBlock | null;
    if (!block) return skip('block notification without a slot or transactions');
    whenLive(() => {
      if (block.slot < liveFrom) {
        stats.stale++;
        return;
      }
      lastBlockSlot = Math.max(lastBlockSlot, block.slot);
      if (block.slot <= book!.floor) return settledSlot(block.slot, 'block');
      if (block.err !== null) {
        book!.fail(block.slot, `block ${block.slot}: ${redactText(block.err)}`);
      } else {
        stats.failedTxs += block.failed;
        stats.notified += block.txs.length;
        book!.block(block.slot, block.blockTime, block.txs);
      }
      advance();
    });
  }

  function skip(reason: string, slot?: number): void {
    emit(slot === undefined ? { kind: 'skip', reason } : { kind: 'skip', reason, slot });
  }

  function onMalformed(text: string, why: string): void {
    const s = salvage(text);
    if (s.kind === 'slot' || s.kind === 'reply') return skip(`malformed ${s.kind === 'slot' ? 'slot notification' : 'reply'} (${why}, ${text.length} bytes)`);
    if (s.kind === 'slot-bearing') {
      skip(`malformed ${s.method} (${why}, ${text.length} bytes)`, s.slot);
      whenLive(() => {
        if (s.slot < liveFrom) return;
        if (s.slot <= book!.floor) return settledSlot(s.slot, `a malformed ${s.method}`);
        book!.fail(s.slot, `malformed ${s.method}`);
        advance();
      });
      return;
    }
    // We cannot tell what was lost: start over; the reconnect gap covers it.
    skip(`malformed frame (${why}, ${text.length} bytes) that names no slot`);
    opts.onUnattributable('a malformed frame that names no slot');
  }

  return {
    onSlot,
    onLogs,
    onBlock,
    onMalformed,
    connecting() {
      waiting = [];
    },
    lost(reason) {
      generation++;
      // Nothing is handed over until the next connection's first slot: the slots whose work
      // was just forgotten must go into its gap, not under a watermark.
      waiting = [];
      book?.forgetOpen();
      positionsAsked.clear();
      deathReason = reason;
    },
    commitSlot(slot) {
      if (slot > commitSlot) commitSlot = slot;
      advance();
    },
  };
}
