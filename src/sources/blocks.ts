/**
 * The slot-range source: getBlocks to learn which slots have blocks, then getBlock (full
 * transactions) for each, fetched concurrently but handed over strictly in slot order.
 *
 * Memory is bounded: at most LOOKAHEAD blocks are requested ahead of the one being consumed.
 * Every slot of the range comes out exactly once, as a block, as skipped (no block: the leader
 * skipped it, -32007/-32009), or as a gap (could not be fetched after retries), so the caller
 * can move its cursor past it and keep a precise list of what is missing.
 *
 * A caller with worker threads may have each getBlock answer read there (`readAnswer`): the
 * JSON parse and the decode of a busy block are most of a fill's cost, and on the calling
 * thread they starve whatever else it runs (a live ingest's socket and writer). Such a block's
 * transactions come back decoded, and only those that mention a followed program.
 */
import type { RpcClient } from './rpc/client.js';
import { inOrderAhead, type Ahead } from './lookahead.js';
import { RpcError } from './rpc/errors.js';
import type { AnswerDigest, DigestedBlock } from './live/frame-digest.js';
import type { BlockTx, Commitment, SlotRange, SourceTx } from './types.js';

/** Reads one getBlock answer's body for `slot`, as it arrived in chunks (frame-reader.ts#readBlockAnswer). */
export type BlockAnswerReader = (slot: number, body: Uint8Array[]) => Promise<AnswerDigest>;

export type SlotOutcome =
  | { kind: 'block'; slot: number; blockTime: number | null; txs: BlockTx[] }
  /** Slots from..to have no block. */
  | { kind: 'skipped'; from: number; to: number }
  /** Slots from..to could not be fetched (after retries); `error` says why. */
  | { kind: 'gap'; from: number; to: number; error: string };

/** Blocks requested ahead of the consumer. */
const LOOKAHEAD = 32;
/** Slots per getBlocks call (QuickNode's paid cap is 1005). */
const LIST_CHUNK = 1000;

/** Every slot of `ranges` (ascending, non-overlapping), in order. */
export async function* slotOutcomes(client: RpcClient, ranges: readonly SlotRange[], commitment: Commitment = 'finalized', readAnswer?: BlockAnswerReader): AsyncGenerator<SlotOutcome> {
  const blockConfig = {
    encoding: 'json',
    transactionDetails: 'full',
    rewards: false,
    maxSupportedTransactionVersion: 1,
    commitment,
  };
  // Each piece of work settles to the outcomes for one slot or span.
  async function* work(): AsyncGenerator<Ahead<SlotOutcome>> {
    for await (const step of plannedSlots(client, ranges, LIST_CHUNK, commitment)) {
      if (step.kind !== 'fetch') {
        yield { result: Promise.resolve([step]), weight: 1 };
        continue;
      }
      const slot = step.slot;
      const read = readAnswer && ((body: Uint8Array[]) => readAnswer(slot, body).then(answerOf));
      const result = client.callMany<RawBlock | DigestedBlock | null>('getBlock', [[slot, blockConfig]], { read }).then(([r]): SlotOutcome[] => {
        if (r.ok && r.value) return [read ? fromDigest(r.value as DigestedBlock) : toBlock(slot, r.value as RawBlock)];
        // A null block is what some nodes answer for a skipped slot.
        if (r.ok || r.error.kind === 'skipped') return [{ kind: 'skipped', from: slot, to: slot }];
        return [{ kind: 'gap', from: slot, to: slot, error: r.error.message }];
      });
      yield { result, weight: 1 };
    }
  }
  yield* inOrderAhead(work(), LOOKAHEAD);
}

type Step = { kind: 'fetch'; slot: number } | SlotOutcome;

/** Walk the ranges chunk by chunk: produced slots to fetch, the rest skipped, failed lists as gaps. */
async function* plannedSlots(client: RpcClient, ranges: readonly SlotRange[], chunk: number, commitment: Commitment): AsyncGenerator<Step> {
  for (const [from, to] of ranges) {
    for (let lo = from; lo <= to; lo += chunk) {
      const hi = Math.min(to, lo + chunk - 1);
      const listed = await client.callMany<number[]>('getBlocks', [[lo, hi, { commitment }]]);
      const r = listed[0];
      if (!r.ok) {
        yield { kind: 'gap', from: lo, to: hi, error: r.error.message };
        continue;
      }
      let expect = lo;
      for (const slot of r.value.filter((s) => s >= lo && s <= hi).sort((a, b) => a - b)) {
        if (slot > expect) yield { kind: 'skipped', from: expect, to: slot - 1 };
        yield { kind: 'fetch', slot };
        expect = slot + 1;
      }
      if (expect <= hi) yield { kind: 'skipped', from: expect, to: hi };
    }
  }
}

interface RawBlock {
  blockTime?: number | null;
  transactions?: Array<{ transaction: unknown; meta: unknown; version?: unknown }>;
}

function answerOf(d: AnswerDigest): object {
  if (!d.ok) throw new RpcError('malformed', `unreadable getBlock answer: ${d.why}`);
  return d.answer;
}

function fromDigest(block: DigestedBlock): SlotOutcome {
  return { kind: 'block', slot: block.slot, blockTime: block.blockTime, txs: block.txs.map((t) => ({ decoded: t.decoded, txIndex: t.txIndex })) };
}

function toBlock(slot: number, block: RawBlock): SlotOutcome {
  const blockTime = block.blockTime ?? null;
  const txs = (block.transactions ?? []).map(
    (t, i): SourceTx => ({
      tx: { slot, blockTime, transaction: t.transaction, meta: t.meta, version: t.version } as SourceTx['tx'],
      txIndex: i,
    }),
  );
  return { kind: 'block', slot, blockTime, txs };
}
