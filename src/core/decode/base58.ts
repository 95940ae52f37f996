/**
 * Base58 (Bitcoin alphabet) for instruction data and public keys.
 *
 * The textbook decoder is quadratic in single bytes; event payloads run to a few hundred
 * characters, so this one folds five digits at a time into 16-bit limbs (58^5 · 2^16 < 2^53,
 * so every step stays exact in a double). It is the hottest loop of the decoder.
 */
export const BASE58_ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const DIGIT = new Int8Array(128).fill(-1);
for (let i = 0; i < BASE58_ALPHABET.length; i++) DIGIT[BASE58_ALPHABET.charCodeAt(i)] = i;

/** A character code's base58 digit, or -1. */
export const base58Digit = (code: number): number => (code < 128 ? DIGIT[code] : -1);
const POW58 = [1, 58, 3364, 195112, 11316496, 656356768];

export function base58Decode(s: string): Uint8Array {
  const n = s.length;
  let zeros = 0;
  while (zeros < n && s.charCodeAt(zeros) === 49 /* '1' */) zeros++;
  // little-endian 16-bit limbs of the big number
  const limbs = new Float64Array(Math.ceil(((n - zeros) * 733) / 1000 / 2) + 2);
  let used = 0;
  let i = zeros;
  while (i < n) {
    const take = Math.min(5, n - i);
    let chunk = 0;
    for (let k = 0; k < take; k++) {
      const c = s.charCodeAt(i + k);
      const d = c < 128 ? DIGIT[c] : -1;
      if (d < 0) throw new Error(`invalid base58 character '${s[i + k]}'`);
      chunk = chunk * 58 + d;
    }
    i += take;
    const mul = POW58[take];
    let carry = chunk;
    for (let j = 0; j < used; j++) {
      const v = limbs[j] * mul + carry;
      carry = Math.floor(v / 65536);
      limbs[j] = v - carry * 65536;
    }
    while (carry > 0) {
      const q = Math.floor(carry / 65536);
      limbs[used++] = carry - q * 65536;
      carry = q;
    }
  }
  let byteLen = used * 2;
  if (used > 0 && limbs[used - 1] < 256) byteLen--;
  const out = new Uint8Array(zeros + byteLen);
  for (let b = 0; b < byteLen; b++) {
    const limb = limbs[b >> 1];
    out[out.length - 1 - b] = b & 1 ? limb >> 8 : limb & 0xff;
  }
  return out;
}

export function base58Encode(bytes: Uint8Array): string {
  let zeros = 0;
  while (zeros < bytes.length && bytes[zeros] === 0) zeros++;
  const digits: number[] = [];
  for (let i = zeros; i < bytes.length; i++) {
    let carry = bytes[i];
    for (let j = 0; j < digits.length; j++) {
      carry += digits[j] << 8;
      digits[j] = carry % 58;
      carry = (carry / 58) | 0;
    }
    while (carry > 0) {
      digits.push(carry % 58);
      carry = (carry / 58) | 0;
    }
  }
  let out = '1'.repeat(zeros);
  for (let k = digits.length - 1; k >= 0; k--) out += BASE58_ALPHABET[digits[k]];
  return out;
}

/** Encode 32 bytes at `offset` as a public key string. */
export function pubkeyAt(bytes: Uint8Array, offset: number): string {
  return base58Encode(bytes.subarray(offset, offset + 32));
}
