/**
 * base58 for the gRPC conversion: a getTransaction-shaped object spells every key, signature
 * and instruction's data in base58, ~40 keys per transaction. The encoding is the decoder's
 * (core/decode/base58.ts); account keys, which repeat across transactions (programs, pools,
 * mints), come from a bounded cache on top of it.
 */
import { base58Encode } from '../../core/decode/base58.js';

const KEY_CACHE_MAX = 100_000;
const keyCache = new Map<string, string>();

/** A 32-byte account key, cached: the same programs and pools appear in transaction after transaction. */
export function base58Key(bytes: Uint8Array): string {
  const id = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  let s = keyCache.get(id);
  if (s === undefined) {
    if (keyCache.size >= KEY_CACHE_MAX) keyCache.clear();
    s = base58Encode(bytes);
    keyCache.set(id, s);
  }
  return s;
}
