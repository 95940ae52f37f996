/**
 * What a live source (WebSocket pubsub, Yellowstone gRPC) hands the ingest loop. Both sources
 * speak this one vocabulary, so the loop that feeds the pipeline, fills gaps over HTTP and
 * stores the cursor is written once.
 *
 * A source keeps no state beyond its connection: it never touches the store. What it could not
 * deliver (the slots between a drop and the resubscribe, a transaction that never became
 * available) it reports as a gap, and the ingest loop fetches those slots with the backfill
 * machinery.
 */
import type { RawTransaction } from '../../core/decode/index.js';
import type { DecodedTx } from '../../core/decode/outcome.js';
import type { BlockAnswerReader } from '../blocks.js';
import type { Commitment } from '../types.js';

export type LiveEvent =
  /** The chain's tip as the source sees it (slot notification, gRPC slot update). */
  | { kind: 'tip'; slot: number }
  /** A venue transaction, with its position in the block when the source knows it. */
  | ({ kind: 'tx'; slot: number; txIndex: number | null } & TxPayload)
  /**
   * Every venue transaction at or below `slot` has been emitted (or reported in a gap): the
   * ingest loop may advance its cursor to here once the pipeline has committed them.
   * `blockTime` is that slot's time when known (for the engine's clock on idle slots).
   */
  | { kind: 'watermark'; slot: number; blockTime: number | null }
  /** Slots [from, to] whose transactions this source did not deliver; fill them over HTTP. */
  | { kind: 'gap'; from: number; to: number; reason: string }
  /** The connection died (closed, errored, or silent past the heartbeat) and is being redialled. */
  | { kind: 'reconnect'; attempt: number; reason: string; delayMs: number }
  /** (Re)subscribed and streaming. */
  | { kind: 'connected'; mode: string }
  /** Something received was dropped: a malformed frame, an undecodable update. Counted, logged, skipped. */
  | { kind: 'skip'; reason: string; signature?: string; slot?: number };

/**
 * A venue transaction as a source hands it on: raw, or already decoded where it was read (the
 * WebSocket source's block notifications: frame-digest.ts).
 */
export type TxPayload = { tx: RawTransaction } | { decoded: DecodedTx };

export interface LiveSourceOptions {
  /** Venue program ids to follow. */
  programs: readonly string[];
  commitment: Commitment;
  /** Resume point when the source can replay (gRPC fromSlot); otherwise the loop fills by HTTP. */
  fromSlot?: number | null;
  /**
   * The node's slot at our commitment whenever the source asks it over HTTP, called at once
   * (not queued behind events): the lag the metrics show must count a backlog in the socket.
   */
  onNodeSlot?: (slot: number) => void;
}

export interface LiveSource {
  /** 'websocket' | 'grpc', plus the mode chosen (e.g. 'websocket/logs', 'websocket/block'). */
  readonly name: string;
  /**
   * Events in arrival order, until stop(). Reconnects happen inside (reported as events);
   * the iterator ends only on stop() or an error the source cannot recover from (thrown).
   */
  events(): AsyncIterable<LiveEvent>;
  stop(): Promise<void>;
  /**
   * A source that reads its blocks on worker threads lends them to the gap fill: each getBlock
   * answer read and decoded there, as the source's own blocks are.
   */
  readonly readBlockAnswer?: BlockAnswerReader;
}
