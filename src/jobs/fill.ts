/**
 * Fill a slot range [from, to] over RPC into an already-open pipeline: every block of the range
 * (or one address's transactions in it) fetched, decoded and written, with a checkpoint after
 * each stretch. The caller decides where checkpoints go: a backfill job's row (backfill-job.ts)
 * or a live ingest's named cursor after a reconnect.
 *
 * A checkpoint's `pos` is passed on only as far as the pipeline has handed every trade at or
 * below it to the writer, and it is written through writer.exclusive (after those rows commit),
 * so a stored position never covers a trade that is not in the store.
 */
import type { Pipeline } from '../core/pipeline.js';
import type { WriterTx } from '../core/store/types.js';
import { runAddressBackfill, runSlotBackfill, type BackfillCounts, type BackfillSink, type Checkpoint, type Gap } from '../sources/backfill.js';
import type { RpcClient } from '../sources/rpc/client.js';
import type { BlockAnswerReader } from '../sources/blocks.js';
import type { BlockTx, Commitment, SlotRange } from '../sources/types.js';

export interface FillRequest {
  client: RpcClient;
  pipeline: Pipeline;
  /** Inclusive slot range. */
  range: SlotRange;
  /** Only this account's transactions (getSignaturesForAddress) instead of every block. */
  address?: string | null;
  commitment: Commitment;
  /** Where an earlier run stopped: slots ≤ pos are done, except these gaps (retried first). */
  resume?: { pos: number; gaps: Gap[] };
  shouldStop?: () => boolean;
  /** Read each getBlock answer here (a live source's frame workers) instead of on this thread. */
  readAnswer?: BlockAnswerReader;
  onProgress?: (counts: BackfillCounts) => void;
  onListing?: (listed: number, oldestSlot: number) => void;
  /**
   * Runs inside writer.exclusive with the checkpoint's safe position: write the job row or the
   * cursor through tx here.
   */
  onCheckpoint?: (tx: WriterTx, cp: Checkpoint) => Promise<void>;
}

export interface FillResult {
  /** The last checkpoint (pos not yet clamped: after pipeline.close() all of it is final). */
  checkpoint: Checkpoint;
  /** shouldStop ended the run early. */
  stopped: boolean;
  /** What ended the run, if something did (the pipeline stays open: its owner closes it). */
  error: Error | null;
  /**
   * Transactions of this fill that did not decode (skipped, each also reported through the
   * pipeline's onDecodeError): a caller sharing its pipeline with other work tells a fill's
   * failures from the rest by this, not by counting around the call.
   */
  decodeFailures: number;
}

export async function fillRange(req: FillRequest): Promise<FillResult> {
  const { pipeline } = req;
  const floor = req.resume?.pos ?? req.range[0] - 1;
  const oldGaps = req.resume?.gaps ?? [];
  let last: Checkpoint | null = null;
  let decodeFailures = 0;
  let counts: BackfillCounts = { planned: 0, done: 0, blocks: 0, skippedSlots: 0, transactions: 0, trades: 0, failedTxs: 0 };
  const sink: BackfillSink = {
    async ingest(txs: BlockTx[], at) {
      const r = await pipeline.ingestTransactions(txs);
      decodeFailures += r.decodeErrors;
      if (at.blockTime !== null) await pipeline.tick(at.blockTime, at.slot);
      return r.received;
    },
    async checkpoint(cp) {
      last = cp;
      const onCheckpoint = req.onCheckpoint;
      if (!onCheckpoint) return;
      const safe = { ...cp, pos: safePos(pipeline, cp.pos, floor) };
      await pipeline.writer.exclusive((tx) => onCheckpoint(tx, safe));
    },
  };
  const runOpts = {
    commitment: req.commitment,
    shouldStop: req.shouldStop,
    readAnswer: req.readAnswer,
    onProgress: (c: BackfillCounts) => {
      counts = { ...c };
      req.onProgress?.(c);
    },
  };
  try {
    const result = req.address
      ? await runAddressBackfill(req.client, req.address, req.range, oldGaps, floor, sink, { ...runOpts, onListing: req.onListing })
      : await runSlotBackfill(req.client, req.range, oldGaps, floor, sink, runOpts);
    return { checkpoint: result.checkpoint, stopped: result.stopped, error: null, decodeFailures };
  } catch (err) {
    return { checkpoint: last ?? { pos: floor, gaps: oldGaps, counts }, stopped: false, error: err as Error, decodeFailures };
  }
}

/** The cursor may not pass what the pipeline still holds (trades not yet handed to the writer). */
export function safePos(pipeline: Pipeline, pos: number, floor: number): number {
  const committed = pipeline.committedSlot();
  const p = committed === null ? pos : Math.min(pos, committed);
  return Math.max(floor, p);
}
