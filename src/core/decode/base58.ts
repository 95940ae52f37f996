/**
 * Base58 (Bitcoin alphabet) for instruction data and public keys. These are the hottest loops of
 * the decoder (every event payload and transfer is base58 text; every pubkey in an event is
 * turned back into text), so both directions work on wide limbs instead of single bytes, and
 * neither allocates more than its result.
 *
 * Decoding folds four digits at a time (58^4 < 2^24) into 24-bit limbs: limb · 58^4 + carry
 * < 2^48, exact in a double, and a limb is exactly three output bytes. Encoding is the mirror:
 * three bytes at a time (< 2^24) into limbs of four base58 digits (58^4), limb · 2^24 + carry
 * < 2^48. Limbs live in one scratch array reused across calls (the decoder is synchronous).
 */
export const BASE58_ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const DIGIT = new Int8Array(128).fill(-1);
for (let i = 0; i < BASE58_ALPHABET.length; i++) DIGIT[BASE58_ALPHABET.charCodeAt(i)] = i;
const ALPHABET_CODES = Uint8Array.from(BASE58_ALPHABET, (c) => c.charCodeAt(0));

/** A character code's base58 digit, or -1. */
export const base58Digit = (code: number): number => (code < 128 ? DIGIT[code] : -1);

const POW58 = [1, 58, 3364, 195112, 11316496];
const TWO24 = 16777216;
const INV_TWO24 = 1 / TWO24; // exact: multiplying by it is dividing by 2^24
const LIMB58 = 11316496; // 58^4

/** Scratch limbs, grown on demand; 256 covers a 1 kB payload. */
let scratch = new Float64Array(256);
function limbsFor(n: number): Float64Array {
  if (scratch.length < n) scratch = new Float64Array(Math.max(n, scratch.length * 2));
  return scratch;
}

/**
 * Results are carved from shared 64 kB slabs, as Buffer does for small buffers: a typed array of
 * its own costs a separately allocated, zeroed and GC-tracked backing store, which was a quarter
 * of the decode. A slab is never reused (fresh memory is zero, which the leading '1's rely on);
 * it is freed once nothing points into it. Large results get their own buffer.
 */
const SLAB_BYTES = 64 * 1024;
const POOLED_MAX = 2048;
let slab = new ArrayBuffer(SLAB_BYTES);
let slabUsed = 0;

function outputBytes(n: number): Uint8Array {
  if (n > POOLED_MAX) return new Uint8Array(n);
  if (slabUsed + n > SLAB_BYTES) {
    slab = new ArrayBuffer(SLAB_BYTES);
    slabUsed = 0;
  }
  const out = new Uint8Array(slab, slabUsed, n);
  slabUsed += n;
  return out;
}

/** The bytes of base58 text `s`; the array may share its ArrayBuffer with other results. */
export function base58Decode(s: string): Uint8Array {
  const n = s.length;
  let zeros = 0;
  while (zeros < n && s.charCodeAt(zeros) === 49 /* '1' */) zeros++;
  // little-endian 24-bit limbs of the big number; log(58)/log(2^24) < 0.245 limbs per digit
  const limbs = limbsFor(Math.ceil((n - zeros) * 0.245) + 2);
  let used = 0;
  let i = zeros;
  // A short first chunk keeps every later chunk at four digits.
  let take = (n - zeros) % 4 || 4;
  while (i < n) {
    let chunk = 0;
    for (let k = 0; k < take; k++) {
      const c = s.charCodeAt(i + k);
      const d = c < 128 ? DIGIT[c] : -1;
      if (d < 0) throw new Error(`invalid base58 character '${s[i + k]}'`);
      chunk = chunk * 58 + d;
    }
    i += take;
    const mul = POW58[take];
    take = 4;
    let carry = chunk;
    for (let j = 0; j < used; j++) {
      const v = limbs[j] * mul + carry;
      carry = Math.floor(v * INV_TWO24);
      limbs[j] = v - carry * TWO24;
    }
    while (carry > 0) {
      const q = Math.floor(carry * INV_TWO24);
      limbs[used++] = carry - q * TWO24;
      carry = q;
    }
  }
  let byteLen = used * 3;
  if (used > 0) {
    const top = limbs[used - 1];
    if (top < 65536) byteLen--;
    if (top < 256) byteLen--;
  }
  const out = outputBytes(zeros + byteLen);
  let pos = out.length - 1;
  for (let j = 0; j < used; j++) {
    const limb = limbs[j];
    out[pos--] = limb & 0xff;
    if (pos < zeros) break;
    out[pos--] = (limb >> 8) & 0xff;
    if (pos < zeros) break;
    out[pos--] = limb >> 16;
    if (pos < zeros) break;
  }
  return out;
}

/** Base58 text of bytes [from, to). */
function encodeRange(bytes: Uint8Array, from: number, to: number): string {
  let zeros = 0;
  while (from + zeros < to && bytes[from + zeros] === 0) zeros++;
  // little-endian limbs of four base58 digits; log(256)/log(58^4) < 0.35 limbs per byte
  const limbs = limbsFor(Math.ceil((to - from) * 0.35) + 2);
  let used = 0;
  let i = from + zeros;
  // A short first group keeps every later group at three bytes.
  let take = (to - i) % 3 || 3;
  while (i < to) {
    let chunk = 0;
    for (let k = 0; k < take; k++) chunk = chunk * 256 + bytes[i + k];
    const mul = take === 3 ? TWO24 : take === 2 ? 65536 : 256;
    i += take;
    take = 3;
    let carry = chunk;
    for (let j = 0; j < used; j++) {
      const v = limbs[j] * mul + carry;
      carry = Math.floor(v / LIMB58);
      limbs[j] = v - carry * LIMB58;
    }
    while (carry > 0) {
      const q = Math.floor(carry / LIMB58);
      limbs[used++] = carry - q * LIMB58;
      carry = q;
    }
  }
  // Digits most significant first; the top limb's leading zero digits are dropped.
  const codes = new Array<number>(zeros + used * 4);
  let len = 0;
  for (let z = 0; z < zeros; z++) codes[len++] = 49; // '1'
  let started = false;
  for (let j = used - 1; j >= 0; j--) {
    let v = limbs[j];
    const d3 = v % 58;
    v = (v - d3) / 58;
    const d2 = v % 58;
    v = (v - d2) / 58;
    const d1 = v % 58;
    const d0 = (v - d1) / 58;
    if (started || d0) (codes[len++] = ALPHABET_CODES[d0]), (started = true);
    if (started || d1) (codes[len++] = ALPHABET_CODES[d1]), (started = true);
    if (started || d2) (codes[len++] = ALPHABET_CODES[d2]), (started = true);
    codes[len++] = ALPHABET_CODES[d3];
    started = true;
  }
  codes.length = len;
  return String.fromCharCode.apply(null, codes);
}

export function base58Encode(bytes: Uint8Array): string {
  return encodeRange(bytes, 0, bytes.length);
}

/** Encode 32 bytes at `offset` as a public key string. */
export function pubkeyAt(bytes: Uint8Array, offset: number): string {
  return encodeRange(bytes, offset, Math.min(offset + 32, bytes.length));
}
