/**
 * What the WebSocket source owes the ingest loop, slot by slot, and when it may say "done up to
 * here" (the watermark).
 *
 * A slot is opened by its first venue transaction (a logs notification, a block notification)
 * and is complete when every transaction in it has been fetched and its positions are known
 * (or when it failed: then the whole slot becomes a gap, and none of its transactions is
 * emitted, so the loop's refetch of the slot duplicates nothing). Slots are handed over in
 * ascending order once they are at or below the frontier (the slot past which no more
 * notifications are expected; the source decides it) and complete: their transactions sorted by
 * position, then one watermark for the highest slot settled. A slot still in progress holds back
 * every later one, so the watermark never passes work in flight.
 */
import type { RawTransaction } from '../../core/decode/index.js';
import type { LiveEvent, TxPayload } from './types.js';

interface SlotEntry {
  slot: number;
  /** Signatures in arrival order; null until fetched. */
  txs: Map<string, TxPayload | null>;
  unfetched: number;
  /** Signature -> position in the block; null while unknown. */
  positions: Map<string, number> | null;
  blockTime: number | null;
  /** Why the slot could not be delivered; it becomes a gap. */
  failed: string | null;
}

export type Noted = 'new' | 'duplicate' | 'settled';

export class SlotBook {
  private readonly open = new Map<number, SlotEntry>();
  /** Block times seen for slots above the floor (for the watermark of an idle slot). */
  private readonly times = new Map<number, number>();
  private floorSlot: number;

  /** Everything at or below `floor` is already settled (emitted, or reported as a gap). */
  constructor(floor: number) {
    this.floorSlot = floor;
  }

  get floor(): number {
    return this.floorSlot;
  }

  /** Slots opened and not yet handed over. */
  get pending(): number {
    return this.open.size;
  }

  /** A signature seen in `slot`: new work, one already known, or too late (slot settled). */
  note(slot: number, signature: string): Noted {
    if (slot <= this.floorSlot) return 'settled';
    const e = this.entry(slot);
    if (e.txs.has(signature)) return 'duplicate';
    e.txs.set(signature, null);
    e.unfetched++;
    return 'new';
  }

  /** True when the slot is open and still expecting this signature's transaction. */
  wants(slot: number, signature: string): boolean {
    return this.open.get(slot)?.txs.get(signature) === null;
  }

  fetched(slot: number, signature: string, tx: RawTransaction): void {
    const e = this.open.get(slot);
    if (!e || e.txs.get(signature) !== null) return;
    e.txs.set(signature, { tx });
    e.unfetched--;
    if (tx.blockTime != null) e.blockTime ??= tx.blockTime;
  }

  /** True when the slot is open and its positions are not known yet. */
  needsPositions(slot: number): boolean {
    const e = this.open.get(slot);
    return e !== undefined && e.positions === null && e.failed === null;
  }

  /** The block's signatures in order (getBlock with transactionDetails 'signatures'). */
  positioned(slot: number, signatures: readonly string[], blockTime: number | null): void {
    const e = this.open.get(slot);
    if (!e || e.positions) return;
    e.positions = new Map(signatures.map((s, i) => [s, i]));
    if (blockTime !== null) e.blockTime = blockTime;
  }

  /** A whole block at once (blockSubscribe): transactions already in position order. */
  block(slot: number, blockTime: number | null, txs: ReadonlyArray<{ txIndex: number } & TxPayload>): Noted {
    if (blockTime !== null) this.noteTime(slot, blockTime);
    if (slot <= this.floorSlot) return txs.length > 0 ? 'settled' : 'duplicate';
    if (txs.length === 0) return 'new';
    if (this.open.has(slot)) return 'duplicate';
    const e = this.entry(slot);
    e.positions = new Map();
    e.blockTime = blockTime;
    for (const t of txs) {
      const sig = 'tx' in t ? (t.tx.transaction as { signatures: string[] }).signatures[0] : t.decoded.signature;
      e.txs.set(sig, 'tx' in t ? { tx: t.tx } : { decoded: t.decoded });
      e.positions.set(sig, t.txIndex);
    }
    return 'new';
  }

  noteTime(slot: number, blockTime: number): void {
    if (slot > this.floorSlot) this.times.set(slot, blockTime);
  }

  /** The slot cannot be delivered whole (opening it if nothing else had): it becomes a gap. */
  fail(slot: number, reason: string): void {
    if (slot <= this.floorSlot) return;
    const e = this.entry(slot);
    if (e.failed === null) e.failed = reason;
  }

  /**
   * Hand over every complete slot at or below `frontier`, in order, and the watermark if the
   * floor moved.
   */
  drain(frontier: number): LiveEvent[] {
    const out: LiveEvent[] = [];
    const before = this.floorSlot;
    let blocked = false;
    for (const slot of [...this.open.keys()].sort((a, b) => a - b)) {
      if (slot > frontier) break;
      const e = this.open.get(slot)!;
      if (!this.complete(e)) {
        this.floorSlot = Math.max(this.floorSlot, slot - 1);
        blocked = true;
        break;
      }
      this.open.delete(slot);
      this.floorSlot = slot;
      if (e.failed !== null) {
        out.push({ kind: 'gap', from: slot, to: slot, reason: e.failed });
        continue;
      }
      out.push(...this.ordered(e));
      if (e.blockTime !== null) this.times.set(slot, e.blockTime);
    }
    if (!blocked) this.floorSlot = Math.max(this.floorSlot, frontier);
    if (this.floorSlot > before) {
      out.push({ kind: 'watermark', slot: this.floorSlot, blockTime: this.times.get(this.floorSlot) ?? null });
      for (const s of this.times.keys()) if (s <= this.floorSlot) this.times.delete(s);
    }
    return out;
  }

  /**
   * The connection died: forget every slot not yet handed over (they fall in the gap the source
   * reports), keeping the floor.
   */
  forgetOpen(): void {
    this.open.clear();
  }

  /** Move the floor to `slot` without a watermark event (the caller reports [old floor+1, slot] as a gap). */
  skipTo(slot: number): void {
    if (slot <= this.floorSlot) return;
    for (const s of this.open.keys()) if (s <= slot) this.open.delete(s);
    for (const s of this.times.keys()) if (s < slot) this.times.delete(s);
    this.floorSlot = slot;
  }

  private complete(e: SlotEntry): boolean {
    return e.failed !== null || (e.unfetched === 0 && e.positions !== null);
  }

  private ordered(e: SlotEntry): LiveEvent[] {
    const txs: LiveEvent[] = [];
    for (const [sig, tx] of e.txs) {
      const txIndex = e.positions!.get(sig);
      if (txIndex === undefined) {
        // Fetched, but not in the block we were given: a fork. The whole slot is refetched.
        return [{ kind: 'gap', from: e.slot, to: e.slot, reason: `transaction ${sig} is not in the block of slot ${e.slot}` }];
      }
      txs.push({ kind: 'tx', slot: e.slot, txIndex, ...tx! });
    }
    return txs.sort((a, b) => (a as { txIndex: number }).txIndex - (b as { txIndex: number }).txIndex);
  }

  private entry(slot: number): SlotEntry {
    let e = this.open.get(slot);
    if (!e) {
      e = { slot, txs: new Map(), unfetched: 0, positions: null, blockTime: null, failed: null };
      this.open.set(slot, e);
    }
    return e;
  }
}
