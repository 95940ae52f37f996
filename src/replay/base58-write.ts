/**
 * Base58 (Bitcoin alphabet) written straight into a byte buffer: the replay server signs every
 * copy of a recording anew for each block it sends (tens of thousands a second in the soak
 * bench), and the decoder's textbook encoder (src/core/decode/base58.ts), quadratic in single
 * digits and building a string, was most of the server's time. This one divides 16-bit limbs by
 * 58^5 (five digits a step; every intermediate stays below 2^46, exact in a double) and writes
 * the digits as ASCII where the JSON goes. Same output as base58Encode, byte for byte.
 */
import { BASE58_ALPHABET } from '../core/decode/base58.js';

const ALPHABET = Buffer.from(BASE58_ALPHABET, 'latin1');
const DIV = 58 ** 5;
/** Scratch, grown on demand: the limbs of the number being divided, and its digits. */
let limbs = new Float64Array(64);
let digits = new Uint8Array(128);

/** Base58 of `bytes` written at `out[at]`; returns the offset after it. `out` needs room for maxBase58Length(bytes.length). */
export function writeBase58(bytes: Uint8Array, out: Uint8Array, at: number): number {
  const n = bytes.length;
  let zeros = 0;
  while (zeros < n && bytes[zeros] === 0) zeros++;
  // Big-endian 16-bit limbs of the number after the leading zero bytes.
  const len = n - zeros;
  const count = (len + 1) >> 1;
  if (limbs.length < count) limbs = new Float64Array(count);
  let i = zeros;
  let l = 0;
  if (len & 1) limbs[l++] = bytes[i++];
  for (; i < n; i += 2) limbs[l++] = bytes[i] * 256 + bytes[i + 1];

  const maxDigits = maxBase58Length(len) + 5;
  if (digits.length < maxDigits) digits = new Uint8Array(maxDigits);
  let d = 0; // digits, least significant first
  let start = 0;
  while (start < count && limbs[start] === 0) start++;
  while (start < count) {
    let rem = 0;
    for (let j = start; j < count; j++) {
      const cur = rem * 65536 + limbs[j];
      const q = Math.floor(cur / DIV);
      rem = cur - q * DIV;
      limbs[j] = q;
    }
    for (let k = 0; k < 5; k++) {
      const q = Math.floor(rem / 58);
      digits[d++] = rem - q * 58;
      rem = q;
    }
    while (start < count && limbs[start] === 0) start++;
  }
  // The last group of five may end in zero digits: they are not part of the number.
  while (d > 0 && digits[d - 1] === 0) d--;
  for (let z = 0; z < zeros; z++) out[at++] = 49; // '1'
  while (d > 0) out[at++] = ALPHABET[digits[--d]];
  return at;
}

/** The longest base58 text of `n` bytes (log 256 / log 58 ≈ 1.3657 characters a byte). */
export function maxBase58Length(n: number): number {
  return Math.ceil(n * 1.3658) + 1;
}
