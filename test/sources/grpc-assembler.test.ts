/**
 * The gRPC source's pure parts: slot assembly (order, block time, watermark, stale slots,
 * duplicates after a replay), the reading of the client library's errors, and base58.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SubscribeUpdateTransactionInfo } from '@triton-one/yellowstone-grpc';
import { SlotAssembler } from '../../src/sources/grpc/assembler.js';
import { signatureOf } from '../../src/sources/grpc/convert.js';
import { classifyGrpcError, describeGrpcError } from '../../src/sources/grpc/errors.js';
import { loadDump, RAW_GRPC_DIR } from '../support/grpc-replay/index.js';
import { readdirSync } from 'node:fs';
import fc from 'fast-check';
import { base58Key } from '../../src/sources/grpc/base58.js';
import { base58Encode as base58 } from '../../src/core/decode/base58.js';
import bs58 from 'bs58';

const dumps = readdirSync(RAW_GRPC_DIR).filter((f) => f.endsWith('.json')).sort();
const info = (n: number, index: number): SubscribeUpdateTransactionInfo => ({
  ...loadDump(join(RAW_GRPC_DIR, dumps[n])),
  index: String(index),
});
const sigOf = (i: SubscribeUpdateTransactionInfo) => signatureOf(i)!;

describe('SlotAssembler', () => {
  it('holds a slot until its meta, then emits its transactions by index with the block time, then the watermark', () => {
    const a = new SlotAssembler(99);
    const [t0, t1, t2] = [info(0, 7), info(1, 2), info(2, 5)];
    expect(a.transaction(100, t0)).toEqual([]);
    expect(a.transaction(100, t1)).toEqual([]);
    expect(a.transaction(100, t2)).toEqual([]);
    const out = a.blockMeta(100, 1_750_000_000);
    expect(out.map((e) => e.kind)).toEqual(['tx', 'tx', 'tx', 'watermark']);
    expect(out.slice(0, 3).map((e) => (e.kind === 'tx' ? e.txIndex : null))).toEqual([2, 5, 7]);
    expect(out.slice(0, 3).map((e) => (e.kind === 'tx' ? (e.tx.transaction as any).signatures[0] : null))).toEqual(
      [t1, t2, t0].map(sigOf),
    );
    for (const e of out) if (e.kind === 'tx') expect(e.tx.blockTime).toBe(1_750_000_000);
    expect(out[3]).toEqual({ kind: 'watermark', slot: 100, blockTime: 1_750_000_000 });
    expect(a.watermark).toBe(100);
  });

  it('keeps slot order: a later slot waits for an earlier one; a slot whose meta never comes becomes a gap', () => {
    const a = new SlotAssembler(null, 3);
    a.transaction(10, info(0, 0));
    expect(a.blockMeta(11, 1)).toEqual([]); // 10 still waits for its meta
    expect(a.blockMeta(12, 2)).toEqual([]);
    expect(a.blockMeta(13, 3)).toEqual([]);
    const out = a.blockMeta(14, 4); // 10 is now more than 3 metas behind
    expect(out).toEqual([
      { kind: 'gap', from: 10, to: 10, reason: 'block meta never arrived' },
      { kind: 'watermark', slot: 11, blockTime: 1 },
      { kind: 'watermark', slot: 12, blockTime: 2 },
      { kind: 'watermark', slot: 13, blockTime: 3 },
      { kind: 'watermark', slot: 14, blockTime: 4 },
    ]);
  });

  it('drops what a replay repeats at or below the watermark, and partial slots on reset', () => {
    const a = new SlotAssembler(null);
    a.transaction(5, info(0, 0));
    a.blockMeta(5, 50);
    expect(a.transaction(5, info(0, 0))).toEqual([]);
    expect(a.blockMeta(5, 50)).toEqual([]);
    expect(a.counts.duplicates).toBe(2);
    a.transaction(6, info(1, 0)); // the connection dies before slot 6's meta
    a.reset();
    a.transaction(6, info(1, 0)); // replayed from 6
    const out = a.blockMeta(6, 60);
    expect(out.filter((e) => e.kind === 'tx')).toHaveLength(1);
  });

  it('an unconvertible transaction is a skip with its signature; the slot still completes', () => {
    const a = new SlotAssembler(null);
    const bad = info(3, 1);
    bad.meta = undefined;
    a.transaction(8, info(2, 0));
    a.transaction(8, bad);
    const out = a.blockMeta(8, 80);
    expect(out.map((e) => e.kind)).toEqual(['tx', 'skip', 'watermark']);
    expect(out[1]).toMatchObject({ kind: 'skip', slot: 8, signature: sigOf(bad), reason: expect.stringMatching(/without meta/) });
    expect(a.counts.skipped).toBe(1);
  });
});

describe('reading the client library\'s errors', () => {
  /** The shape the napi client produces: a message, with the gRPC status two causes down. */
  const napiError = (code: string, message: string) =>
    Object.assign(new Error('failed to open subscribe stream'), {
      cause: Object.assign(new Error(`gRPC status: code: '${code}', message: "${message}"`), {
        cause: new Error(`code: '${code}', message: "${message}"`),
      }),
    });

  it('a rejected token is fatal, said in one line', () => {
    const f = classifyGrpcError(napiError('The request does not have valid authentication credentials', 'invalid x-token'));
    expect(f).toEqual({
      kind: 'auth',
      message: 'failed to open subscribe stream: invalid x-token (The request does not have valid authentication credentials)',
    });
  });

  it('Dragon\'s Mouth\'s replay refusal gives the first slot it holds; others give none', () => {
    expect(classifyGrpcError(napiError('Operation was attempted past the valid range', 'broadcast from 100 is not available, last available: 140'))).toMatchObject({
      kind: 'replay-unavailable',
      firstAvailable: 140,
    });
    expect(classifyGrpcError(napiError('Internal error', 'from_slot is not supported'))).toMatchObject({
      kind: 'replay-unavailable',
      firstAvailable: null,
    });
    expect(classifyGrpcError(new Error('failed to connect to gRPC endpoint'))).toMatchObject({ kind: 'transient' });
  });

  it('never repeats a secret or a URL key', () => {
    const text = describeGrpcError(
      new Error('connect https://user:pw@grpc.example.com/abcdefghijklmnopqrstuvwx?api-key=SEKRET failed, token tok-123456'),
      ['tok-123456'],
    );
    expect(text).not.toMatch(/pw@|abcdefghijklmnopqrstuvwx|SEKRET|tok-123456/);
    expect(text).toContain('***');
  });
});

describe('the conversion\'s base58', () => {
  it('spells every byte string as bs58 does (leading zeros, odd lengths, keys from the cache)', () => {
    fc.assert(
      fc.property(fc.nat({ max: 4 }), fc.uint8Array({ maxLength: 600 }), (zeros, tail) => {
        const bytes = Uint8Array.from([...new Array(zeros).fill(0), ...tail]);
        expect(base58(bytes)).toBe(bs58.encode(bytes));
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (key) => {
        expect(base58Key(key)).toBe(bs58.encode(key));
        expect(base58Key(key.slice())).toBe(bs58.encode(key));
      }),
      { numRuns: 500 },
    );
    expect(base58(new Uint8Array(0))).toBe('');
    expect(base58(new Uint8Array(32))).toBe('11111111111111111111111111111111');
  });
});
