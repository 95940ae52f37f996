/**
 * Recorded transactions (a file, a directory, JSON Lines, getBlock results) through the one
 * pipeline: no network and no job row, since re-reading the same files is the resume. The
 * writer runs on its own thread: reading files is CPU-bound (see PipelineOptions.writerThread).
 */
import type { RawTransaction } from '../core/decode/index.js';
import type { EngineOptionsInput } from '../core/flow/options.js';
import { createPipeline, envelopeSignature, type TxEnvelope } from '../core/pipeline.js';
import type { Store } from '../core/store/types.js';
import { readRecorded } from '../sources/recorded.js';

export interface FileIngestRequest {
  paths: string[];
  /** Only transactions this accepts are ingested (a --range over recorded files). */
  accept?: (tx: RawTransaction) => boolean;
  /** Only trades of these venues (--program); null: every venue. */
  venues?: ReadonlySet<string> | null;
  flow?: EngineOptionsInput;
}

export interface FileIngestResult {
  transactions: number;
  trades: number;
  tradesWritten: number;
  /** Unreadable items and undecodable transactions, one line each ("origin: reason"). */
  problems: string[];
}


export async function ingestFiles(store: Store, req: FileIngestRequest): Promise<FileIngestResult> {
  const problems: string[] = [];
  const pipeline = await createPipeline({
    store,
    venues: req.venues,
    engine: req.flow,
    writerThread: true,
    onDecodeError: (env, error) => problems.push(`${envelopeSignature(env)}: ${error.message}`),
  });
  let transactions = 0;
  let trades = 0;
  let batch: TxEnvelope[] = [];
  const flush = async () => {
    if (!batch.length) return;
    trades += (await pipeline.ingestTransactions(batch)).received;
    batch = [];
  };
  for await (const item of readRecorded(req.paths)) {
    if (item.kind === 'error') {
      problems.push(`${item.origin}: ${item.message}`);
      continue;
    }
    if (req.accept && !req.accept(item.tx)) continue;
    transactions++;
    // A block's transactions carry their position (txIndex) themselves: decode reads it.
    batch.push({ tx: item.tx });
    if (batch.length >= 256) await flush();
  }
  await flush();
  const summary = await pipeline.close();
  return { transactions, trades, tradesWritten: summary.writer.written, problems };
}
