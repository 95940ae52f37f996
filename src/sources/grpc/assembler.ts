/**
 * Turns the stream's per-slot pieces into the loop's events, in slot order.
 *
 * Transaction updates carry no block time, and Yellowstone sends a slot's block meta after its
 * transactions. So a slot's transactions wait for its meta, then go out sorted by their index
 * in the block (parallel execution delivers them out of order), followed by the slot's
 * watermark. A slot whose meta never comes (a dead fork, a server that lost it) is handed to the
 * loop as a gap once `staleSlots` later slots have their meta, so the stream never stalls on it.
 *
 * It relies on Dragon's Mouth's order within a slot (the geyser plugin is told of a block's
 * meta after its transactions): an update for a slot at or below the watermark is taken as a
 * replay of something delivered, and counted, not emitted.
 *
 * Pure: no I/O, no clock. The source resets it on every reconnect, dropping partial slots; the
 * resubscription replays them from the watermark.
 */
import type { SubscribeUpdateTransactionInfo } from '@triton-one/yellowstone-grpc';
import type { LiveEvent } from '../live/types.js';
import { GrpcConversionError, signatureOf, toRawTransaction } from './convert.js';

interface PendingSlot {
  txs: Array<{ index: number | null; seq: number; info: SubscribeUpdateTransactionInfo }>;
  meta: { blockTime: number | null } | null;
}

export interface AssemblerCounts {
  /** Updates at or below the watermark (a replay overlapping what was already delivered). */
  duplicates: number;
  skipped: number;
}

export class SlotAssembler {
  private pending = new Map<number, PendingSlot>();
  private seq = 0;
  private highestMeta = -1;
  readonly counts: AssemblerCounts = { duplicates: 0, skipped: 0 };

  /**
   * @param floor every slot at or below it is already delivered or reported (the watermark).
   */
  constructor(
    private floor: number | null,
    private readonly staleSlots = 32,
  ) {}

  /** The last slot whose transactions were all emitted or reported in a gap. */
  get watermark(): number | null {
    return this.floor;
  }

  /** Slots at or below `slot` are accounted for elsewhere (reported in a gap); ignore them. */
  raiseFloor(slot: number): void {
    if (this.floor === null || slot > this.floor) this.floor = slot;
    for (const s of [...this.pending.keys()]) if (s <= slot) this.pending.delete(s);
  }

  /** Drop what was half-received on a connection that died. */
  reset(): void {
    this.pending.clear();
    this.highestMeta = -1;
  }

  transaction(slot: number, info: SubscribeUpdateTransactionInfo): LiveEvent[] {
    if (this.floor !== null && slot <= this.floor) {
      this.counts.duplicates++;
      return [];
    }
    const index = /^\d+$/.test(info.index) ? Number(info.index) : null;
    this.slot(slot).txs.push({ index, seq: this.seq++, info });
    return [];
  }

  blockMeta(slot: number, blockTime: number | null): LiveEvent[] {
    if (this.floor !== null && slot <= this.floor) {
      this.counts.duplicates++;
      return [];
    }
    this.slot(slot).meta = { blockTime };
    if (slot > this.highestMeta) this.highestMeta = slot;
    return this.drain();
  }

  private slot(slot: number): PendingSlot {
    let p = this.pending.get(slot);
    if (!p) this.pending.set(slot, (p = { txs: [], meta: null }));
    return p;
  }

  private drain(): LiveEvent[] {
    const out: LiveEvent[] = [];
    const slots = [...this.pending.keys()].sort((a, b) => a - b);
    for (const slot of slots) {
      const p = this.pending.get(slot)!;
      if (p.meta) {
        this.emitSlot(slot, p, out);
      } else if (slot < this.highestMeta - this.staleSlots) {
        out.push({ kind: 'gap', from: slot, to: slot, reason: 'block meta never arrived' });
      } else {
        break;
      }
      this.pending.delete(slot);
      this.floor = slot;
    }
    return out;
  }

  private emitSlot(slot: number, p: PendingSlot, out: LiveEvent[]): void {
    const blockTime = p.meta!.blockTime;
    p.txs.sort((a, b) => (a.index ?? Number.MAX_SAFE_INTEGER) - (b.index ?? Number.MAX_SAFE_INTEGER) || a.seq - b.seq);
    for (const { index, info } of p.txs) {
      try {
        out.push({ kind: 'tx', slot, txIndex: index, tx: { ...toRawTransaction(info, slot, blockTime), txIndex: index } });
      } catch (err) {
        // A conversion bug must not stop the stream either: every failure is a counted skip.
        this.counts.skipped++;
        const signature = signatureOf(info);
        const why = err instanceof GrpcConversionError ? err.message : `conversion failed: ${String(err)}`;
        out.push({ kind: 'skip', reason: `unconvertible transaction update: ${why}`, slot, ...(signature ? { signature } : {}) });
      }
    }
    out.push({ kind: 'watermark', slot, blockTime });
  }
}
