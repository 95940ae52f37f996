/**
 * The integer a trade's signature is keyed on in trade_rows (sql/004): the idempotency index held
 * it instead of the signature's text, ~16 bytes an entry instead of ~100, and a plain insert in
 * the writer's 20,000-row transactions ran 1.2-1.5x faster (test/bench/write-path.ts). Since
 * sql/006 the index is (slot, sig_key, ix_path): led by the key alone its entries landed on
 * random pages, and commits slowed as the file grew.
 *
 * A transaction signature is 64 random bytes, so its base58 text is uniform from the second
 * character on (the first is biased: the number's top digit). Nine of those characters read as a
 * base-58 number give 52.7 bits, an exact integer in a JS number and in SQLite. Anything that is
 * not such a string (a test's made-up signature) gets a hash instead, in the same range.
 *
 * Keys can collide (two signatures sharing those nine characters: expected a few times in 10^8
 * trades). The writer resolves that exactly (see writer.ts): the key only narrows the search.
 */
import { base58Digit } from '../core/decode/base58.js';

const FROM = 1;
const DIGITS = 9;
/** 58^9 < 2^53: every key is a safe integer. */
const RANGE = 58 ** DIGITS;

export function sigKey(signature: string): number {
  if (signature.length >= FROM + DIGITS) {
    let v = 0;
    let i = FROM;
    for (; i < FROM + DIGITS; i++) {
      const d = base58Digit(signature.charCodeAt(i));
      if (d < 0) break;
      v = v * 58 + d;
    }
    if (i === FROM + DIGITS) return v;
  }
  return hashKey(signature);
}

/**
 * Two independent 32-bit lanes over every UTF-16 unit (FNV-1a, and a rotate-multiply), each
 * finished with murmur3's fmix32, folded into [0, 58^9): no collision among a million random
 * strings (test/store/sig-key.test.ts), as ~53 bits should give.
 */
function hashKey(s: string): number {
  let a = 0x811c9dc5 | 0;
  let b = 0x9e3779b9 | 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(((b << 5) | (b >>> 27)) ^ c, 0x85ebca77);
  }
  return ((fmix32(a) >>> 0) * 0x200000 + (fmix32(b) >>> 11)) % RANGE;
}

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** Name of the SQL function every connection gets (migration 004 keys existing rows with it). */
export const SIG_KEY_FUNCTION = 'solflow_sig_key';
