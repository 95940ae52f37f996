/**
 * Recorded transactions from disk: files, directories of `*.json`, and JSON Lines. A file may
 * hold one getTransaction result, a JSON-RPC response wrapping one, a getBlock result (its
 * transactions get the block's slot, time and their position), or an array of any of these.
 * Problems are reported per file (or per line) and never stop the rest.
 *
 * A getBlock result does not say which slot it is (the request did), so a block without a
 * `slot` field takes it from a file named after it (`312000003.json`, `block-312000003.json`);
 * otherwise its trades have no slot.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { RawTransaction } from '../core/decode/rawtx.js';

export interface RecordedTx {
  kind: 'tx';
  tx: RawTransaction;
  /** file, or file:line for JSON Lines */
  origin: string;
}

export interface RecordedError {
  kind: 'error';
  origin: string;
  message: string;
}

export type RecordedItem = RecordedTx | RecordedError;

async function listRecordedFiles(paths: string[]): Promise<Array<string | RecordedError>> {
  const out: Array<string | RecordedError> = [];
  for (const p of paths) {
    let s;
    try {
      s = await stat(p);
    } catch {
      out.push({ kind: 'error', origin: p, message: 'no such file or directory' });
      continue;
    }
    if (s.isDirectory()) {
      const names = (await readdir(p)).filter((n) => /\.(json|jsonl|ndjson)$/i.test(n)).sort();
      for (const n of names) out.push(join(p, n));
    } else {
      out.push(p);
    }
  }
  return out;
}

function isTxLike(v: unknown): v is RawTransaction {
  return typeof v === 'object' && v !== null && 'transaction' in v && 'meta' in v;
}

/** Unwrap one parsed JSON value into transactions; throws with a short reason when it is none. */
function unwrapRecorded(value: unknown, slotHint: number | null = null): RawTransaction[] {
  if (Array.isArray(value)) return value.flatMap((v) => unwrapRecorded(v, slotHint));
  if (typeof value !== 'object' || value === null) throw new Error('not a transaction, block or array');
  const obj = value as Record<string, unknown>;
  if ('error' in obj && !('result' in obj)) {
    const err = obj.error as { message?: string } | undefined;
    throw new Error(`JSON-RPC error: ${err?.message ?? 'unknown'}`);
  }
  if ('result' in obj) {
    if (obj.result === null) throw new Error('JSON-RPC result is null (transaction not found)');
    return unwrapRecorded(obj.result, slotHint);
  }
  if (isTxLike(obj)) return [obj];
  if (Array.isArray(obj.transactions)) {
    const slot = typeof obj.slot === 'number' ? obj.slot : slotHint;
    const blockTime = typeof obj.blockTime === 'number' ? obj.blockTime : null;
    return (obj.transactions as unknown[]).map((t, i) => {
      if (!isTxLike(t)) throw new Error(`block transaction ${i} has no transaction/meta`);
      return { ...t, slot: t.slot ?? slot, blockTime: t.blockTime ?? blockTime, txIndex: t.txIndex ?? i };
    });
  }
  throw new Error('not a transaction, block or array (no "transaction"/"meta" or "transactions")');
}

export async function* readRecorded(paths: string[]): AsyncGenerator<RecordedItem> {
  for (const entry of await listRecordedFiles(paths)) {
    if (typeof entry !== 'string') {
      yield entry;
      continue;
    }
    let text: string;
    try {
      text = await readFile(entry, 'utf8');
    } catch (err) {
      yield { kind: 'error', origin: entry, message: (err as Error).message };
      continue;
    }
    const lines = /\.(jsonl|ndjson)$/i.test(entry);
    if (lines) {
      const rows = text.split('\n');
      for (let i = 0; i < rows.length; i++) {
        const row = rows[i].trim();
        if (!row) continue;
        yield* parseOne(row, `${entry}:${i + 1}`);
      }
    } else {
      yield* parseOne(text, entry, slotFromName(entry));
    }
  }
}

/** `…/312000003.json` or `…/block-312000003.json` → 312000003. */
function slotFromName(path: string): number | null {
  const m = /(?:^|[/\\]|block[-_])(\d{1,12})\.json$/i.exec(path);
  return m ? Number(m[1]) : null;
}

function* parseOne(text: string, origin: string, slotHint: number | null = null): Generator<RecordedItem> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    yield { kind: 'error', origin, message: `invalid JSON (${(err as Error).message})` };
    return;
  }
  let txs: RawTransaction[];
  try {
    txs = unwrapRecorded(value, slotHint);
  } catch (err) {
    yield { kind: 'error', origin, message: (err as Error).message };
    return;
  }
  for (const tx of txs) yield { kind: 'tx', tx, origin };
}
