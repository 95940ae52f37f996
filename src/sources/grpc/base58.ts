/**
 * base58 for the gRPC conversion's hot path. A getTransaction-shaped object spells every key,
 * signature and instruction's data in base58, and the stream converts ~40 keys per transaction:
 * the byte-at-a-time encoder in core/decode made conversion the live path's bottleneck.
 *
 * Same output as core/decode/base58's base58Encode (a property test holds them equal); two
 * changes make it fast: it carries in limbs of 58^5 and takes input two bytes at a time (both
 * stay far inside a double's exact range: limb × 65536 + carry < 2^46), and account keys, which
 * repeat across transactions (programs, pools, mints), come from a bounded cache.
 */
import { BASE58_ALPHABET } from '../../core/decode/base58.js';

const LIMB = 58 ** 5;
const KEY_CACHE_MAX = 100_000;
const keyCache = new Map<string, string>();

export function base58(bytes: Uint8Array): string {
  let zeros = 0;
  while (zeros < bytes.length && bytes[zeros] === 0) zeros++;
  const limbs: number[] = [];
  const push = (value: number, mul: number) => {
    let carry = value;
    for (let j = 0; j < limbs.length; j++) {
      const x = limbs[j] * mul + carry;
      carry = Math.floor(x / LIMB);
      limbs[j] = x - carry * LIMB;
    }
    while (carry > 0) {
      const next = Math.floor(carry / LIMB);
      limbs.push(carry - next * LIMB);
      carry = next;
    }
  };
  let i = zeros;
  if ((bytes.length - i) % 2 === 1) push(bytes[i++], 256);
  for (; i < bytes.length; i += 2) push(bytes[i] * 256 + bytes[i + 1], 65536);

  const digits: string[] = [];
  for (const limb of limbs) {
    let v = limb;
    for (let k = 0; k < 5; k++) {
      const q = Math.floor(v / 58);
      digits.push(BASE58_ALPHABET[v - q * 58]);
      v = q;
    }
  }
  // The top limb's padding shows as leading "1"s; real leading zero bytes are added back below.
  while (digits.length > 0 && digits[digits.length - 1] === '1') digits.pop();
  return '1'.repeat(zeros) + digits.reverse().join('');
}

/** A 32-byte account key, cached: the same programs and pools appear in transaction after transaction. */
export function base58Key(bytes: Uint8Array): string {
  const id = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  let s = keyCache.get(id);
  if (s === undefined) {
    if (keyCache.size >= KEY_CACHE_MAX) keyCache.clear();
    s = base58(bytes);
    keyCache.set(id, s);
  }
  return s;
}
