/**
 * A bounds-checked little-endian reader for Anchor/Borsh payloads. Events grow trailing fields
 * over time, so decoders read what they know and ask `remaining()` before optional tails.
 */
import { base58Encode } from './base58.js';

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
    if (this.off + n > this.b.length) throw new RangeError(`payload too short: need ${n} bytes at ${this.off}, have ${this.b.length}`);
  }

  u8(): number {
    this.need(1);
    return this.b[this.off++];
  }

  bool(): boolean {
    return this.u8() !== 0;
  }

  u16(): number {
    this.need(2);
    const v = this.b[this.off] | (this.b[this.off + 1] << 8);
    this.off += 2;
    return v;
  }

  u32(): number {
    this.need(4);
    const b = this.b;
    const o = this.off;
    this.off += 4;
    return (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16)) + b[o + 3] * 0x1000000;
  }

  u64(): bigint {
    this.need(8);
    const lo = this.u32();
    const hi = this.u32();
    return (BigInt(hi) << 32n) | BigInt(lo);
  }

  i64(): bigint {
    const v = this.u64();
    return v >= 1n << 63n ? v - (1n << 64n) : v;
  }

  u128(): bigint {
    const lo = this.u64();
    const hi = this.u64();
    return (hi << 64n) | lo;
  }

  pubkey(): string {
    this.need(32);
    const s = base58Encode(this.b.subarray(this.off, this.off + 32));
    this.off += 32;
    return s;
  }

  skip(n: number): void {
    this.need(n);
    this.off += n;
  }
}

export function hex(b: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end && i < b.length; i++) s += (b[i] < 16 ? '0' : '') + b[i].toString(16);
  return s;
}
