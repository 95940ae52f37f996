import bs58 from 'bs58';
import { describe, expect, it } from 'vitest';
import { base58Decode, base58Encode, pubkeyAt } from '../../src/core/decode/base58.js';
import { decodeTransaction } from '../../src/core/decode/index.js';
import type { RawTransaction } from '../../src/core/decode/rawtx.js';
import { loadTx, manifest, realSignatures, sig } from './support.js';

describe('base58', () => {
  it('round-trips and agrees with the reference implementation', () => {
    const samples = [new Uint8Array(0), new Uint8Array([0, 0, 1]), new Uint8Array(32).fill(255)];
    for (let n = 1; n < 300; n += 7) samples.push(Uint8Array.from({ length: n }, (_, i) => (i * 131 + n * 7) & 0xff));
    for (const s of samples) {
      const text = base58Encode(s);
      expect(text).toBe(bs58.encode(s));
      expect(Array.from(base58Decode(text))).toEqual(Array.from(s));
    }
  });
  it('agrees with the reference at every length and leading-zero count (the limbs take 3 bytes / 4 digits per step)', () => {
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) & 0xff;
    for (let n = 0; n <= 130; n++) {
      for (let zeros = 0; zeros <= Math.min(n, 3); zeros++) {
        for (const fill of ['random', 'max', 'one'] as const) {
          const b = Uint8Array.from({ length: n }, (_, i) => (i < zeros ? 0 : fill === 'max' ? 255 : fill === 'one' ? (i === n - 1 ? 1 : 0) : next()));
          const text = bs58.encode(b);
          expect(base58Encode(b)).toBe(text);
          expect(Buffer.from(base58Decode(text)).equals(Buffer.from(b))).toBe(true);
        }
      }
    }
  });
  it('reads a public key at any offset, also one cut short by the end of the bytes', () => {
    const b = Uint8Array.from({ length: 80 }, (_, i) => (i * 97 + 13) & 0xff);
    for (let off = 0; off <= 80; off++) expect(pubkeyAt(b, off)).toBe(bs58.encode(b.subarray(off, off + 32)));
  });
  it('rejects characters outside the alphabet', () => {
    expect(() => base58Decode('abc0')).toThrow(/invalid base58/);
  });
});

describe('message versions and encodings', () => {
  it('decodes legacy, v0 and jsonParsed fixtures', () => {
    const man = manifest();
    const seen = new Set<string>();
    for (const s of realSignatures()) {
      const m = man.get(s);
      const key = `${m?.encoding}:${String(m?.version)}`;
      if (seen.has(key) || m?.dex !== 'raydium-amm-v4' && m?.dex !== 'jupiter-v6' && m?.dex !== 'pumpfun') continue;
      if (decodeTransaction(loadTx(s)).length > 0) seen.add(key);
    }
    expect([...seen].sort()).toEqual(expect.arrayContaining(['json:0', 'json:legacy', 'jsonParsed:0']));
  });

  it('reads a version-1 message (constructed from a real v0 swap)', () => {
    const v0 = loadTx(sig('2NPwsoX7Ny'));
    const v1 = structuredClone(v0) as RawTransaction & { transaction: { message: Record<string, unknown> } };
    const msg = v1.transaction.message as { accountKeys: string[]; addressTableLookups?: unknown; transactionConfig?: unknown };
    // v1 has no lookup tables: the loaded addresses become static keys in the same order.
    msg.accountKeys = [...msg.accountKeys, ...v0.meta!.loadedAddresses!.writable, ...v0.meta!.loadedAddresses!.readonly];
    delete msg.addressTableLookups;
    msg.transactionConfig = { priorityFee: 123456, computeUnitLimit: 200000 };
    v1.meta = { ...v1.meta!, loadedAddresses: null };
    v1.version = 1;
    const a = decodeTransaction(v0);
    const b = decodeTransaction(v1);
    expect(a.length).toBeGreaterThan(0);
    expect(b.map((t) => ({ ...t, priorityFee: 0 }))).toEqual(a.map((t) => ({ ...t, priorityFee: 0 })));
    expect(b[0].priorityFee).toBe(123456);
  });

  it('uses lookup-table addresses (meta.loadedAddresses) for accounts', () => {
    const tx = loadTx(sig('rNMFZpBmbr'));
    expect(tx.meta!.loadedAddresses!.writable.length + tx.meta!.loadedAddresses!.readonly.length).toBeGreaterThan(0);
    expect(decodeTransaction(tx).length).toBe(3);
  });
});

describe('malformed input', () => {
  it('says what is wrong in one line', () => {
    expect(() => decodeTransaction({} as RawTransaction)).toThrow(/missing meta/);
    expect(() => decodeTransaction({ meta: { err: null, fee: 0, preBalances: [], postBalances: [] }, transaction: ['AAAA', 'base64'] } as RawTransaction)).toThrow(/not in json or jsonParsed/);
    const broken = loadTx(sig('2NPwsoX7Ny'));
    (broken.transaction as { message: { instructions: Array<{ programIdIndex: number }> } }).message.instructions[0].programIdIndex = 999;
    expect(() => decodeTransaction(broken)).toThrow(/out of range/);
  });

  it('names the field and what is wrong with it', () => {
    const tx = loadTx(sig('2pfnv4drhn')) as unknown as { meta: { innerInstructions: Array<{ instructions: Array<{ stackHeight: unknown }> }>; logMessages: unknown[]; postTokenBalances: Array<{ uiTokenAmount: { amount?: unknown } }> } };
    tx.meta.innerInstructions[1].instructions[2].stackHeight = -1;
    expect(() => decodeTransaction(tx as unknown as RawTransaction)).toThrow('meta.innerInstructions[1].instructions[2].stackHeight: -1 is not a call depth');
    tx.meta.innerInstructions[1].instructions[2].stackHeight = 3;
    tx.meta.logMessages[5] = 7;
    expect(() => decodeTransaction(tx as unknown as RawTransaction)).toThrow('meta.logMessages[5]: expected a string, got 7');
    tx.meta.logMessages[5] = 'Program log: fine';
    delete tx.meta.postTokenBalances[0].uiTokenAmount.amount;
    expect(() => decodeTransaction(tx as unknown as RawTransaction)).toThrow('meta.postTokenBalances[0].uiTokenAmount.amount: undefined is not a u64 decimal string');
  });
});

describe('counts written as decimal strings', () => {
  // A real Jupiter route whose recorder wrote slot, blockTime and fee as strings: they mean the
  // same numbers (the gRPC twin of this transaction carries fee 74,798 as an integer).
  it('reads slot, blockTime and fee from strings, and refuses a string that is not a count', () => {
    const raw = loadTx(sig('2pfnv4drhn'));
    const trades = decodeTransaction(raw);
    expect(trades.length).toBeGreaterThan(0);
    for (const t of trades) {
      expect(t.txFee).toBe(74_798);
      expect(t.slot).toBe(322_982_554);
      expect(t.blockTime).toBe(1_740_480_781);
    }
    const bad = structuredClone(raw) as RawTransaction & { meta: { fee: unknown } };
    bad.meta.fee = '-5';
    expect(() => decodeTransaction(bad)).toThrow(/meta\.fee.*not a non-negative integer/);
  });
});
