import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BASE58_ALPHABET } from '../../src/core/decode/base58.js';
import type { RawTransaction } from '../../src/core/decode/rawtx.js';
import { decodeTransaction } from '../../src/core/decode/index.js';
import type { Trade } from '../../src/core/trade.js';

/**
 * The same signature with its last character changed: a different transaction whose
 * signature key (src/store/sig-key.ts, characters 2-10) is the same, so the two collide.
 */
export function twinSignature(signature: string): string {
  const last = signature[signature.length - 1];
  return signature.slice(0, -1) + BASE58_ALPHABET[(BASE58_ALPHABET.indexOf(last) + 1) % 58];
}

export const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures');

export interface ManifestEntry {
  signature: string;
  dex?: string;
  encoding?: string;
  version?: unknown;
}

export function manifest(): Map<string, ManifestEntry> {
  const rows = readFileSync(join(FIXTURES, 'manifest.jsonl'), 'utf8').trim().split('\n');
  return new Map(rows.map((l) => JSON.parse(l) as ManifestEntry).map((m) => [m.signature, m]));
}

export function realSignatures(): string[] {
  return readdirSync(join(FIXTURES, 'tx'))
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -5))
    .sort();
}

export function loadTx(signature: string, dir = 'tx'): RawTransaction {
  return JSON.parse(readFileSync(join(FIXTURES, dir, `${signature}.json`), 'utf8')) as RawTransaction;
}

/** Find a fixture by signature prefix (test tables stay readable). */
export function sig(prefix: string): string {
  const hit = realSignatures().filter((s) => s.startsWith(prefix));
  if (hit.length !== 1) throw new Error(`${prefix}: ${hit.length} fixtures match`);
  return hit[0];
}

/** Every trade the decoder finds in the real fixtures (undecodable ones are the decoder tests' business). */
export function decodedCorpusTrades(): Trade[] {
  const out: Trade[] = [];
  for (const s of realSignatures()) {
    try {
      out.push(...decodeTransaction(loadTx(s)));
    } catch {
      // skipped: see test/decode
    }
  }
  return out;
}
