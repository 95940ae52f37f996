/**
 * A bounds-checked little-endian reader for Anchor/Borsh payloads. Events grow trailing fields
 * over time, so decoders read what they know and ask `remaining()` before optional tails.
 */
import { pubkeyAt } from './base58.js';
import { MalformedTransactionError } from './errors.js';

/** Little-endian u32 at `off`; the caller has checked the length. */
function u32At(b: Uint8Array, off: number): number {
  return (b[off] | (b[off + 1] << 8) | (b[off + 2] << 16)) + b[off + 3] * 0x1000000;
}

/** Little-endian u64 at `off`; the caller has checked the length. */
export function u64At(b: Uint8Array, off: number): bigint {
  return (BigInt(u32At(b, off + 4)) << 32n) | BigInt(u32At(b, off));
}

export class ByteReader {
  private off: number;
  constructor(
    private readonly b: Uint8Array,
    offset = 0,
  ) {
    this.off = offset;
  }

  remaining(): number {
    return this.b.length - this.off;
  }

  private need(n: number): void {
    // Payloads come from the transaction: one shorter than its own discriminator promises is damaged input.
    if (this.off + n > this.b.length) throw new MalformedTransactionError(`event or instruction payload too short: need ${n} bytes at ${this.off}, have ${this.b.length}`);
  }

  u8(): number {
    this.need(1);
    return this.b[this.off++];
  }

  bool(): boolean {
    return this.u8() !== 0;
  }

  u32(): number {
    this.need(4);
    const v = u32At(this.b, this.off);
    this.off += 4;
    return v;
  }

  u64(): bigint {
    this.need(8);
    const v = u64At(this.b, this.off);
    this.off += 8;
    return v;
  }

  pubkey(): string {
    this.need(32);
    const s = pubkeyAt(this.b, this.off);
    this.off += 32;
    return s;
  }

  skip(n: number): void {
    this.need(n);
    this.off += n;
  }
}

/** Lowercase hex of every byte value. */
const HEX_CODES: number[][] = Array.from({ length: 256 }, (_, v) => Array.from(v.toString(16).padStart(2, '0'), (c) => c.charCodeAt(0)));
const hexScratch: number[] = [];

/** Lowercase hex of bytes [start, end): discriminators, read for every event and instruction. */
export function hex(b: Uint8Array, start: number, end: number): string {
  const stop = Math.min(end, b.length);
  // One flat string from char codes, instead of a chain of two-character concatenations.
  let n = 0;
  for (let i = start; i < stop; i++) {
    const pair = HEX_CODES[b[i]];
    hexScratch[n++] = pair[0];
    hexScratch[n++] = pair[1];
  }
  hexScratch.length = n;
  return String.fromCharCode.apply(null, hexScratch);
}
