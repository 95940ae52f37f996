/**
 * One pubsub frame, read: bytes to JSON, and a blockNotification's block further to what the
 * source keeps of it — the venue transactions, decoded. The same function runs on the frame
 * worker (frame-reader.ts) or, without one, on the connection's thread.
 *
 * Why the block is decoded here rather than in the pipeline: a block notification is megabytes
 * of JSON of which the source keeps only the trades; parsing it, the garbage it leaves and the
 * decode were most of ingest's CPU. On a thread of their own they overlap with the flow engine
 * and the writer, and what crosses back is the trades, a small fraction of the frame.
 */
import { decodeOutcome, type DecodedTx } from '../../core/decode/outcome.js';
import { jsonText } from '../../util/json-text.js';
import { readBlock, venueTransactions, type BlockNote } from './frames.js';

/** What the source keeps of a block notification (readBlock's answer, transactions decoded). */
export interface DigestedBlock {
  slot: number;
  err: string | null;
  blockTime: number | null;
  /** The venue transactions that did not fail, in position order. */
  txs: Array<{ txIndex: number; decoded: DecodedTx }>;
  /** Venue transactions that failed (left out). */
  failed: number;
}

export type FrameDigest =
  /** The frame's JSON; a blockNotification's params.result is a DigestedBlock (null: unreadable). */
  | { ok: true; msg: object }
  | { ok: false; text: string; why: string };

export type FrameBytes = Buffer | ArrayBuffer | Buffer[] | string;

/**
 * A getBlock answer read the same way (a gap fill's blocks, frame-reader.ts#readBlockAnswer):
 * the JSON-RPC answer, a block's `result` replaced by its DigestedBlock. A null result (a
 * skipped slot, on some nodes) and an error answer stay as they came.
 */
export type AnswerDigest = { ok: true; answer: object } | { ok: false; why: string };

export function digestFrame(data: FrameBytes, programs: ReadonlySet<string>): FrameDigest {
  const text = jsonText(data);
  let msg: any;
  try {
    msg = JSON.parse(text);
  } catch {
    return { ok: false, text, why: 'not JSON' };
  }
  if (!msg || typeof msg !== 'object') return { ok: false, text, why: 'not an object' };
  // Only a notification pubsub.ts will route; any other frame stays as it came, for salvage.
  if (msg.method === 'blockNotification' && msg.params && typeof msg.params === 'object' && typeof msg.params.subscription === 'number' && 'result' in msg.params) {
    msg.params.result = digestBlock(msg.params.result, programs);
  }
  return { ok: true, msg };
}

/** `slot`: the block's, which a getBlock answer does not repeat. */
export function digestBlockAnswer(data: FrameBytes, slot: number, programs: ReadonlySet<string>): AnswerDigest {
  let answer: any;
  try {
    answer = JSON.parse(jsonText(data));
  } catch {
    return { ok: false, why: 'not JSON' };
  }
  if (!answer || typeof answer !== 'object' || Array.isArray(answer)) return { ok: false, why: 'not a JSON-RPC answer' };
  const result = answer.result;
  if (result === null || result === undefined) return { ok: true, answer };
  if (typeof result !== 'object' || !Array.isArray(result.transactions)) return { ok: false, why: `slot ${slot}: a block without a transactions list` };
  const block: BlockNote = { slot, err: null, blockTime: typeof result.blockTime === 'number' ? result.blockTime : null, transactions: result.transactions };
  answer.result = digestNote(block, programs);
  return { ok: true, answer };
}

function digestBlock(result: unknown, programs: ReadonlySet<string>): DigestedBlock | null {
  const block = readBlock(result);
  return block ? digestNote(block, programs) : null;
}

function digestNote(block: BlockNote, programs: ReadonlySet<string>): DigestedBlock {
  const { txs, failed } = venueTransactions(block, programs);
  return { slot: block.slot, err: block.err, blockTime: block.blockTime, txs: txs.map((t) => ({ txIndex: t.txIndex, decoded: decodeOutcome(t.tx) })), failed };
}
