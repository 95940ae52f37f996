/**
 * The backfill loop: pull a source in chain order, hand transactions to a sink (the ingest
 * pipeline), and checkpoint progress so a killed run resumes without losing or repeating work.
 *
 * Position: the plan is an ascending walk (earlier gaps first, then the rest of the range);
 * `pos` is the slot the walk has reached: everything planned at or below it has been handed to
 * the sink or recorded as a gap. Checkpoints carry pos, the gaps still missing and the counts;
 * the sink persists them after making its own writes durable. (While retrying old gaps, pos is
 * below the job's cursor; the job keeps the higher of the two.)
 *
 * Gaps from an earlier run that were retried now are dropped from the list once pos passes
 * them; whatever fails again is recorded again, so the list is always "what is missing now".
 */
import type { RpcClient } from './rpc/client.js';
import { slotOutcomes, type BlockAnswerReader } from './blocks.js';
import { fetchTransactions, listSignaturePages, type SignatureInfo } from './address.js';
import type { BlockTx, Commitment, SlotRange, SourceTx } from './types.js';

export type Gap = { from: number; to: number; error: string } | { signature: string; slot: number; error: string };

export interface BackfillCounts {
  /** Slots (slot scope) or signatures (address scope) planned in this run. */
  planned: number;
  /** Of those, handled (fetched, skipped or recorded as gaps). */
  done: number;
  blocks: number;
  skippedSlots: number;
  transactions: number;
  trades: number;
  /** Failed transactions left out of an address listing (they carry no trades). */
  failedTxs: number;
}

export interface Checkpoint {
  pos: number;
  gaps: Gap[];
  counts: BackfillCounts;
}

export interface BackfillSink {
  /** Ingest one block's (or one slot's) transactions; answer the number of trades found. */
  ingest(txs: BlockTx[], at: { slot: number; blockTime: number | null }): Promise<number>;
  checkpoint(cp: Checkpoint): Promise<void> | void;
}

export interface RunOptions {
  commitment?: Commitment;
  /** Stop early (Ctrl-C): the loop ends after the current item and checkpoints. */
  shouldStop?: () => boolean;
  onProgress?: (counts: BackfillCounts, pos: number) => void;
  /** Slot scope: read each getBlock answer here (blocks.ts); its block comes back decoded. */
  readAnswer?: BlockAnswerReader;
}

export interface RunResult {
  stopped: boolean;
  checkpoint: Checkpoint;
}

function emptyCounts(planned: number): BackfillCounts {
  return { planned, done: 0, blocks: 0, skippedSlots: 0, transactions: 0, trades: 0, failedTxs: 0 };
}

/** Old gaps not yet passed, plus the new ones. */
function mergeGaps(old: readonly Gap[], fresh: readonly Gap[], pos: number): Gap[] {
  const kept: Gap[] = [];
  for (const g of old) {
    if ('signature' in g) {
      if (g.slot > pos) kept.push(g);
    } else if (g.from > pos) kept.push(g);
    else if (g.to > pos) kept.push({ ...g, from: pos + 1 });
  }
  return [...kept, ...fresh].sort((a, b) => gapStart(a) - gapStart(b));
}

const gapStart = (g: Gap) => ('signature' in g ? g.slot : g.from);

/** Checkpoint at most this often (ms); always at the end. */
const CHECKPOINT_MS = 1000;

class Checkpointer {
  private last = 0;
  constructor(
    private readonly sink: BackfillSink,
    private readonly oldGaps: readonly Gap[],
  ) {}
  readonly fresh: Gap[] = [];
  build(pos: number, counts: BackfillCounts): Checkpoint {
    return { pos, gaps: mergeGaps(this.oldGaps, this.fresh, pos), counts: { ...counts } };
  }
  async maybe(pos: number, counts: BackfillCounts, force = false): Promise<Checkpoint | null> {
    const now = Date.now();
    if (!force && now - this.last < CHECKPOINT_MS) return null;
    this.last = now;
    const cp = this.build(pos, counts);
    await this.sink.checkpoint(cp);
    return cp;
  }
}

/**
 * Slot scope: the slot gaps of an earlier run at or below `cursor` (the slot it reached), then
 * the rest of `range` above it, through getBlocks + getBlock.
 */
export async function runSlotBackfill(
  client: RpcClient,
  range: SlotRange,
  oldGaps: readonly Gap[],
  cursor: number,
  sink: BackfillSink,
  opts: RunOptions = {},
): Promise<RunResult> {
  const ranges = planRanges(oldGaps, cursor, range);
  const counts = emptyCounts(ranges.reduce((n, [a, b]) => n + (b - a + 1), 0));
  const cp = new Checkpointer(sink, oldGaps);
  let pos = ranges.length > 0 ? ranges[0][0] - 1 : -1;
  let stopped = false;
  for await (const o of slotOutcomes(client, ranges, opts.commitment, opts.readAnswer)) {
    if (o.kind === 'block') {
      counts.blocks++;
      counts.transactions += o.txs.length;
      counts.trades += await sink.ingest(o.txs, { slot: o.slot, blockTime: o.blockTime });
      counts.done++;
      pos = o.slot;
    } else {
      const n = o.to - o.from + 1;
      if (o.kind === 'skipped') counts.skippedSlots += n;
      else cp.fresh.push({ from: o.from, to: o.to, error: o.error });
      counts.done += n;
      pos = o.to;
    }
    opts.onProgress?.(counts, pos);
    if (opts.shouldStop?.()) {
      stopped = true;
      break;
    }
    await cp.maybe(pos, counts);
  }
  const final = (await cp.maybe(pos, counts, true))!;
  return { stopped, checkpoint: final };
}

/** Earlier slot gaps first (ascending), then the rest of the range above the cursor. */
function planRanges(gaps: readonly Gap[], cursorPos: number, range: SlotRange): SlotRange[] {
  const out: Array<[number, number]> = [];
  for (const g of gaps) if (!('signature' in g) && g.from <= cursorPos) out.push([g.from, Math.min(g.to, cursorPos)]);
  out.sort((a, b) => a[0] - b[0]);
  if (cursorPos < range[1]) out.push([Math.max(range[0], cursorPos + 1), range[1]]);
  // Merge touching or overlapping spans so every slot is fetched once.
  const merged: Array<[number, number]> = [];
  for (const r of out) {
    const prev = merged[merged.length - 1];
    if (prev && r[0] <= prev[1] + 1) prev[1] = Math.max(prev[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  return merged;
}

/**
 * Address scope: the successful transactions mentioning `address` in [start, end] above
 * `cursor` (the slot an earlier run reached), plus any signature gaps from an earlier run.
 * The listing streams (see address.ts): memory holds a page of signatures, not the history,
 * and a resumed run lists only what lies above its cursor.
 */
export async function runAddressBackfill(
  client: RpcClient,
  address: string,
  range: SlotRange,
  oldGaps: readonly Gap[],
  cursor: number,
  sink: BackfillSink,
  opts: RunOptions & { onListing?: (listed: number, oldestSlot: number) => void; pageSize?: number } = {},
): Promise<RunResult> {
  const from = Math.max(range[0], cursor + 1);
  const listing =
    from <= range[1] ? await listSignaturePages(client, address, from, range[1], { commitment: opts.commitment, onPage: opts.onListing, pageSize: opts.pageSize }) : null;
  // Gaps above the cursor come round again in the listing; those below it are fetched first.
  const retry: SignatureInfo[] = oldGaps
    .filter((g): g is Extract<Gap, { signature: string }> => 'signature' in g && g.slot <= cursor)
    .map((g) => ({ signature: g.signature, slot: g.slot, blockTime: null }))
    .sort((a, b) => a.slot - b.slot);
  async function* todo(): AsyncGenerator<SignatureInfo> {
    yield* retry;
    if (listing) for await (const page of listing.pages()) yield* page;
  }
  const counts = emptyCounts(retry.length + (listing?.planned ?? 0));
  counts.failedTxs = listing?.failed ?? 0;
  const cp = new Checkpointer(sink, oldGaps);
  let pos = retry.length > 0 ? retry[0].slot - 1 : cursor;
  let stopped = false;
  // One slot's transactions go to the sink together; the slot is done when the next begins.
  let group: SourceTx[] = [];
  let groupSlot = -1;
  let groupTime: number | null = null;
  const flushGroup = async () => {
    if (groupSlot < 0) return;
    if (group.length > 0) counts.trades += await sink.ingest(group, { slot: groupSlot, blockTime: groupTime });
    pos = groupSlot;
    group = [];
  };
  for await (const o of fetchTransactions(client, todo(), { commitment: opts.commitment })) {
    if (o.info.slot !== groupSlot) {
      await flushGroup();
      groupSlot = o.info.slot;
      groupTime = o.info.blockTime;
      if (opts.shouldStop?.()) {
        stopped = true;
        break;
      }
      await cp.maybe(pos, counts);
    }
    if (o.kind === 'tx') {
      counts.transactions++;
      group.push(o.tx);
      // A retried gap comes without its listing entry: its block time is the transaction's.
      groupTime ??= (o.tx.tx as { blockTime?: number | null }).blockTime ?? null;
    } else {
      cp.fresh.push({ signature: o.info.signature, slot: o.info.slot, error: o.error });
    }
    counts.done++;
    opts.onProgress?.(counts, pos);
  }
  if (!stopped) {
    await flushGroup();
    pos = Math.max(pos, range[1]);
  }
  const final = (await cp.maybe(pos, counts, true))!;
  return { stopped, checkpoint: final };
}
