/**
 * The replay server writes copied signatures with its own base58 writer (src/replay/base58-write.ts)
 * while the decoder and every consumer read them with base58Encode/Decode: the two must agree on
 * every input, leading zero bytes (each a '1') included, or a copy's signature in a block would
 * not be the one getTransaction answers for. (The chain's copies never have the rare shapes;
 * the property draws them on purpose.)
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base58Encode } from '../../../src/core/decode/base58.js';
import { createBase58Of64, maxBase58Length } from '../../../src/replay/base58-write.js';

describe('createBase58Of64', () => {
  const assembled = (first8: Uint8Array, middle: Uint8Array, last: number) => {
    const bytes = Buffer.alloc(64);
    bytes.set(first8, 0);
    bytes.set(middle, 8);
    bytes.writeBigUInt64BE(BigInt(last), 56);
    return bytes;
  };
  const bytesOf = (n: number, zeros: number) => fc.uint8Array({ minLength: n - Math.min(n, zeros), maxLength: n - Math.min(n, zeros) }).map((b) => Uint8Array.from([...new Array(Math.min(n, zeros)).fill(0), ...b]));
  const writeWith = (write: ReturnType<typeof createBase58Of64>, family: number, first8: Uint8Array, last: number) => {
    const out = Buffer.alloc(maxBase58Length(64) + 10, 0xff);
    const end = write(family, first8, last, out, 5);
    expect(out[4]).toBe(0xff);
    expect(out[end]).toBe(0xff);
    return out.toString('latin1', 5, end);
  };

  it('writes what base58Encode returns for first8 ‖ middle ‖ last, leading zero bytes in any part included', () => {
    fc.assert(
      fc.property(
        fc.nat(10).chain((z) => fc.tuple(bytesOf(8, z), bytesOf(48, z > 8 ? 48 : 0), fc.oneof(fc.maxSafeNat(), fc.nat(300), fc.constant(0)))),
        ([first8, middle, last]) => {
          const write = createBase58Of64([new Uint8Array(48).fill(7), middle]);
          expect(writeWith(write, 1, first8, last)).toBe(base58Encode(assembled(first8, middle, last)));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('covers the extremes: all zero, all 0xff, the largest copy number', () => {
    const write = createBase58Of64([new Uint8Array(48), new Uint8Array(48).fill(0xff)]);
    for (const [family, first, last] of [
      [0, 0, 0],
      [0, 0, 1],
      [0, 0, 256],
      [1, 0xff, Number.MAX_SAFE_INTEGER],
      [0, 0xff, 2 ** 32],
    ] as const) {
      const first8 = new Uint8Array(8).fill(first);
      expect(writeWith(write, family, first8, last)).toBe(base58Encode(assembled(first8, family === 0 ? new Uint8Array(48) : new Uint8Array(48).fill(0xff), last)));
    }
  });
});
