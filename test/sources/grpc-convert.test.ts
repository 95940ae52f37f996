/**
 * The gRPC conversion against real recordings: each recorded Yellowstone transaction update,
 * converted, must equal its getTransaction twin (fixtures/tx) in every field, and decode to
 * exactly the trades the twin decodes to.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SubscribeUpdateTransactionInfo } from '@triton-one/yellowstone-grpc';
import { decodeTransaction } from '../../src/core/decode/index.js';
import { GrpcConversionError, signatureOf, toRawTransaction } from '../../src/sources/grpc/convert.js';
import { grpcServableFixtures, loadDump, numericMeta, RAW_GRPC_DIR, toTransactionInfo } from '../support/grpc-replay/index.js';
import { FIXTURES, loadTx } from '../decode/support.js';

const manifest = new Map<string, any>(
  readFileSync(join(FIXTURES, 'manifest.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l))
    .map((m) => [m.signature, m]),
);
const dumps = readdirSync(RAW_GRPC_DIR).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).sort();

/**
 * What the twin says where a recording tool lost information, each checked by reading the dump:
 * - Vixen's fixtures record every message with `versioned: false`, no lookup tables and
 *   `index: 0`. The twins' versions were established by verifying the signature over the
 *   rebuilt message, and a legacy message cannot load addresses, so the dump is what is wrong:
 *   for these the conversion's `version` and `addressTableLookups` follow the dump.
 * - A zero token balance: the twins, written from the recordings, have `uiAmount` 0 or leave it
 *   out (proto3 JSON drops zeros). Agave stores the meta as protobuf and turns a zero `uiAmount`
 *   into null on the way back, which is what getTransaction answers (99 of the 130 zero balances
 *   in fixtures/tx say null), so the conversion gives null. The decoder reads `amount` only.
 */
function expectedFromTwin(signature: string, twin: any, converted: any): any {
  const expected = structuredClone(twin);
  if (manifest.get(signature)?.source?.repo === 'rpcpool/yellowstone-vixen') {
    expected.version = converted.version;
    if (converted.version === 'legacy') delete expected.transaction.message.addressTableLookups;
  }
  for (const list of [expected.meta.preTokenBalances, expected.meta.postTokenBalances]) {
    for (const b of list ?? []) if (!b.uiTokenAmount.uiAmount) b.uiTokenAmount.uiAmount = null;
  }
  return expected;
}

describe('Yellowstone update → getTransaction shape, against recorded twins', () => {
  it('has the recordings, each with its twin', () => {
    expect(dumps.length).toBe(35);
    for (const s of dumps) expect(manifest.has(s)).toBe(true);
  });

  for (const signature of dumps) {
    const entry = manifest.get(signature);
    it(`${signature.slice(0, 10)} (${entry?.source?.repo}, ${entry?.dex}) equals its twin`, () => {
      const info = loadDump(join(RAW_GRPC_DIR, `${signature}.json`));
      const twin = loadTx(signature) as any;
      const converted = toRawTransaction(info, twin.slot, twin.blockTime) as any;
      expect(converted.transaction.signatures[0]).toBe(signature);
      expect(signatureOf(info)).toBe(signature);
      expect(converted).toEqual(expectedFromTwin(signature, twin, converted));
      // toEqual ignores undefined-valued keys; the decoder does not, so compare the JSON too.
      expect(JSON.stringify(sortKeys(converted))).toBe(JSON.stringify(sortKeys(expectedFromTwin(signature, twin, converted))));
      expect(decodeTransaction(converted)).toEqual(decodeTransaction(twin));
    });
  }

  it('the recordings hold swaps (the trade comparison is not vacuous)', () => {
    let trades = 0;
    for (const s of dumps) trades += decodeTransaction(loadTx(s)).length;
    expect(trades).toBeGreaterThan(30);
  });

  it('takes the block time it is given (updates carry none)', () => {
    const s = dumps[0];
    const converted = toRawTransaction(loadDump(join(RAW_GRPC_DIR, `${s}.json`)), 123, 1_700_000_000);
    expect(converted.slot).toBe(123);
    expect(converted.blockTime).toBe(1_700_000_000);
    const [trade] = decodeTransaction(converted);
    expect(trade?.blockTime).toBe(1_700_000_000);
  });
});

describe('the replay server\'s fixtures, through protobuf and back', () => {
  // The gRPC replay server serves fixtures/tx as protobuf (test/support/grpc-replay/to-proto.ts);
  // converted back they must decode to the trades the fixtures decode to, or a gRPC ingest could
  // not be compared with a backfill of the same chain.
  const txs = grpcServableFixtures();
  it('covers the json-encoded fixtures, failed ones included', () => {
    expect(txs.length).toBeGreaterThan(100);
    expect(txs.some((t) => t.meta.err)).toBe(true);
  });
  it('every one decodes to the same trades, with the same error', () => {
    let trades = 0;
    for (const [i, fx] of txs.entries()) {
      const raw = { slot: 7, blockTime: 1_700_000_000, ...fx, meta: numericMeta(fx.meta) } as any;
      const back = toRawTransaction(SubscribeUpdateTransactionInfo.decode(
        SubscribeUpdateTransactionInfo.encode(toTransactionInfo(fx, i)).finish(),
      ), 7, 1_700_000_000) as any;
      expect(back.meta.err ?? null).toEqual(fx.meta.err ?? null);
      expect(back.transaction.message.accountKeys).toEqual(fx.transaction.message.accountKeys);
      expect(back.meta.loadedAddresses).toEqual(fx.meta.loadedAddresses ?? { writable: [], readonly: [] });
      expect(back.meta.logMessages).toEqual(fx.meta.logMessages ?? null);
      let expected: unknown;
      try {
        expected = decodeTransaction(raw);
      } catch (e) {
        expected = (e as Error).message;
      }
      let got: unknown;
      try {
        got = decodeTransaction(back);
      } catch (e) {
        got = (e as Error).message;
      }
      expect(got).toEqual(expected);
      if (Array.isArray(expected)) trades += expected.length;
    }
    expect(trades).toBeGreaterThan(80);
  });
});

describe('Yellowstone update fields the recordings do not exercise', () => {
  const base = () => loadDump(join(RAW_GRPC_DIR, `${dumps[0]}.json`));

  it('a failed transaction: bincode error → the RPC JSON error and status', () => {
    const info = base();
    // InstructionError(2, Custom(6001)), bincode: u32 variant 8, u8 index, u32 variant 25, u32 code.
    info.meta!.err = { err: new Uint8Array([8, 0, 0, 0, 2, 25, 0, 0, 0, 0x71, 0x17, 0, 0]) };
    const tx = toRawTransaction(info, 1, null) as any;
    expect(tx.meta.err).toEqual({ InstructionError: [2, { Custom: 6001 }] });
    expect(tx.meta.status).toEqual({ Err: { InstructionError: [2, { Custom: 6001 }] } });
    expect(decodeTransaction(tx)).toEqual([]);
  });

  it('return data, rewards, cost units, and the "none" markers', () => {
    const info = base();
    const programId = info.transaction!.message!.accountKeys[1];
    info.meta!.returnData = { programId, data: new Uint8Array([1, 2, 3]) };
    info.meta!.returnDataNone = false;
    info.meta!.costUnits = '1234';
    info.meta!.rewards = [
      { pubkey: 'x', lamports: '-5', postBalance: '10', rewardType: 1, commission: '', commissionBps: '' },
    ];
    let tx = toRawTransaction(info, 1, null) as any;
    expect(tx.meta.returnData).toEqual({ programId: tx.transaction.message.accountKeys[1], data: ['AQID', 'base64'] });
    expect(tx.meta.costUnits).toBe(1234);
    expect(tx.meta.rewards).toEqual([{ pubkey: 'x', lamports: -5, postBalance: 10, rewardType: 'Fee', commission: null }]);
    info.meta!.returnDataNone = true;
    info.meta!.logMessagesNone = true;
    info.meta!.innerInstructionsNone = true;
    tx = toRawTransaction(info, 1, null) as any;
    expect(tx.meta.returnData).toBeUndefined();
    expect(tx.meta.logMessages).toBeNull();
    expect(tx.meta.innerInstructions).toBeNull();
  });

  it('rejects, with one line, updates that cannot be a transaction', () => {
    const cases: Array<[string, (i: SubscribeUpdateTransactionInfo) => void, RegExp]> = [
      ['no meta', (i) => (i.meta = undefined), /without meta/],
      ['no message', (i) => (i.transaction!.message = undefined), /without a message/],
      ['short key', (i) => (i.transaction!.message!.accountKeys[0] = new Uint8Array(31)), /account key of 31 bytes/],
      ['short signature', (i) => (i.transaction!.signatures[0] = new Uint8Array(3)), /signature of 3 bytes/],
      ['balances', (i) => i.meta!.preBalances.pop(), /balances for/],
      ['program index', (i) => (i.transaction!.message!.instructions[0].programIdIndex = 250), /programIdIndex 250/],
      ['fee', (i) => (i.meta!.fee = '-1'), /fee is not a u64/],
      ['error bytes', (i) => (i.meta!.err = { err: new Uint8Array([200, 0, 0, 0]) }), /undecodable transaction error/],
    ];
    for (const [, mutate, message] of cases) {
      const info = base();
      mutate(info);
      expect(() => toRawTransaction(info, 1, null)).toThrow(GrpcConversionError);
      expect(() => toRawTransaction(info, 1, null)).toThrow(message);
    }
  });
});

function sortKeys(v: any): any {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys(v[k])]));
  return v;
}
