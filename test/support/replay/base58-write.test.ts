/**
 * The replay server writes copied signatures with its own base58 writer (src/replay/base58-write.ts)
 * while the decoder and every consumer read them with base58Encode/Decode: the two must agree on
 * every input, leading zero bytes (each a '1') included, or a copy's signature in a block would
 * not be the one getTransaction answers for.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base58Encode } from '../../../src/core/decode/base58.js';
import { maxBase58Length, writeBase58 } from '../../../src/replay/base58-write.js';

const written = (bytes: Uint8Array): string => {
  const out = Buffer.alloc(maxBase58Length(bytes.length) + 8, 0xff);
  const end = writeBase58(bytes, out, 3);
  expect(out[2]).toBe(0xff);
  expect(out[end]).toBe(0xff);
  return out.toString('latin1', 3, end);
};

describe('writeBase58', () => {
  it('writes what base58Encode returns, for any bytes', () => {
    fc.assert(
      fc.property(fc.nat(8), fc.uint8Array({ minLength: 0, maxLength: 80 }), (zeros, rest) => {
        const bytes = Uint8Array.from([...new Array(zeros).fill(0), ...rest]);
        expect(written(bytes)).toBe(base58Encode(bytes));
      }),
      { numRuns: 3000 },
    );
  });

  it('covers the edges of 64-byte signatures: all zero, all 0xff, a single low byte', () => {
    const cases = [new Uint8Array(64), new Uint8Array(64).fill(0xff), Uint8Array.from({ length: 64 }, (_, i) => (i === 63 ? 1 : 0)), Uint8Array.from({ length: 64 }, (_, i) => (i === 0 ? 1 : 0))];
    for (const bytes of cases) {
      expect(written(bytes)).toBe(base58Encode(bytes));
      expect(written(bytes).length).toBeLessThanOrEqual(maxBase58Length(64));
    }
  });
});
