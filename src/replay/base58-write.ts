/**
 * Base58 (Bitcoin alphabet) of the replay's copied signatures, written straight into a byte
 * buffer: the server signs every copy of a recording anew for each block it sends (thousands
 * a block in the soak bench). A copy differs from its recording only in its first and last 8
 * bytes, so its base58 is a sum of limbs computed once per recording, cheaper than encoding
 * the 64 bytes whole with the decoder's base58Encode (src/core/decode/base58.ts), whose output
 * this matches byte for byte.
 */
import { BASE58_ALPHABET } from '../core/decode/base58.js';

const ALPHABET = Buffer.from(BASE58_ALPHABET, 'latin1');
const DIV = 58 ** 5;
/** The longest base58 text of `n` bytes (log 256 / log 58 ≈ 1.3657 characters a byte). */
export function maxBase58Length(n: number): number {
  return Math.ceil(n * 1.3658) + 1;
}

const LIMBS = 18; // 58^90 > 2^512: eighteen base-58^5 limbs hold any 64-byte number
/** Two base58 digits (as ASCII) per value below 58^2. */
const PAIRS = new Uint8Array(58 * 58 * 2);
for (let v = 0; v < 58 * 58; v++) {
  PAIRS[2 * v] = ALPHABET[Math.floor(v / 58)];
  PAIRS[2 * v + 1] = ALPHABET[v % 58];
}

function limbsOf(value: bigint): Float64Array {
  const limbs = new Float64Array(LIMBS);
  for (let i = 0; i < LIMBS; i++, value /= BigInt(DIV)) limbs[i] = Number(value % BigInt(DIV));
  return limbs;
}

const toBigInt = (bytes: Uint8Array): bigint => (bytes.length === 0 ? 0n : BigInt(`0x${Buffer.from(bytes).toString('hex')}`));

/**
 * Base58 of 64-byte numbers `first8 ‖ middles[family] ‖ last as u64 BE`, the shape of the
 * replay's copied signatures (see chain.ts): the number is a sum of the family's middle
 * (converted to base-58^5 limbs once), the four 16-bit words of `first8` times their powers of
 * two (limbs precomputed) and `last`, so each one costs some hundred multiply-adds and a carry
 * pass instead of a whole encoding. Same output as base58Encode of the 64 bytes.
 */
export function createBase58Of64(middles: Uint8Array[]): (family: number, first8: Uint8Array, last: number, out: Uint8Array, at: number) => number {
  const middleLimbs = middles.map((m) => {
    if (m.length !== 48) throw new Error('createBase58Of64: middles are 48 bytes');
    return limbsOf(toBigInt(m) << 64n);
  });
  const leadingZeros = middles.map((m) => {
    let z = 0;
    while (z < 48 && m[z] === 0) z++;
    return z;
  });
  const powers = [0, 1, 2, 3].map((j) => limbsOf(1n << BigInt(448 + 16 * (3 - j))));
  const [p0, p1, p2, p3] = powers;
  const acc = new Float64Array(LIMBS);
  const text = new Uint8Array(LIMBS * 5);
  return (family, first8, last, out, at) => {
    const m = middleLimbs[family];
    const h0 = first8[0] * 256 + first8[1];
    const h1 = first8[2] * 256 + first8[3];
    const h2 = first8[4] * 256 + first8[5];
    const h3 = first8[6] * 256 + first8[7];
    // last < 2^53 < DIV^2: two limbs.
    const c1 = Math.floor(last / DIV);
    const c0 = last - c1 * DIV;
    // Every term below 2^46 and six of them: exact in a double, as is the carry pass.
    let carry = 0;
    for (let i = 0; i < LIMBS; i++) {
      let v = m[i] + h0 * p0[i] + h1 * p1[i] + h2 * p2[i] + h3 * p3[i] + carry;
      if (i === 0) v += c0;
      else if (i === 1) v += c1;
      carry = Math.floor(v / DIV);
      let limb = v - carry * DIV;
      // A quotient rounded across an integer (not expected at these sizes): put it right.
      if (limb < 0) {
        limb += DIV;
        carry--;
      } else if (limb >= DIV) {
        limb -= DIV;
        carry++;
      }
      acc[i] = limb;
    }
    // Digits, most significant first.
    for (let i = 0; i < LIMBS; i++) {
      const limb = acc[LIMBS - 1 - i];
      const top = Math.floor(limb / 195112); // 58^3
      const rest = limb - top * 195112;
      const mid = Math.floor(rest / 58);
      const o = i * 5;
      text[o] = PAIRS[2 * top];
      text[o + 1] = PAIRS[2 * top + 1];
      text[o + 2] = PAIRS[2 * mid];
      text[o + 3] = PAIRS[2 * mid + 1];
      text[o + 4] = ALPHABET[rest - mid * 58];
    }
    // Leading zero bytes are '1's; the number's own leading zero digits are dropped.
    let zeros = 0;
    while (zeros < 8 && first8[zeros] === 0) zeros++;
    if (zeros === 8) zeros += leadingZeros[family];
    if (zeros === 56) {
      let b = 56;
      while (b < 64 && Math.floor(last / 2 ** (8 * (63 - b))) % 256 === 0) b++;
      zeros = b;
    }
    for (let z = 0; z < zeros; z++) out[at++] = 49;
    let d = 0;
    while (d < text.length && text[d] === 49) d++;
    for (; d < text.length; d++) out[at++] = text[d];
    return at;
  };
}
