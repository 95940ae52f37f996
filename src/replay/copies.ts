/**
 * Copies of recorded transactions, so a chain can serve a hundred-odd recordings thousands of
 * times over as distinct transactions: each copy's signature derived from its recording's and
 * its copy number (and read back from it), and its JSON written as bytes from text serialised
 * once per recording.
 */
import { createHash } from 'node:crypto';
import { base58Decode } from '../core/decode/base58.js';
import { createBase58Of64, maxBase58Length } from './base58-write.js';
import type { BlockTx } from './block.js';

/**
 * Copy c > 0 of a recording gets its own signature: the recording's 64 signature bytes with
 * the last 8 replaced by c and the first 8 mixed with a hash of c. The first bytes vary because
 * the store keys signatures on their leading base58 characters (src/store/sig-key.ts): copies
 * that shared them would all collide. The middle bytes name the recording, the last the copy,
 * so find() reads both back without any table of copies.
 */
export function createCopier(txs: BlockTx[]) {
  const base = txs.map((tx) => {
    const first = tx.transaction.signatures[0];
    let bytes: Uint8Array;
    try {
      bytes = base58Decode(first);
    } catch {
      bytes = new Uint8Array(0);
    }
    // A made-up signature (a test's) still needs 64 bytes to vary.
    return bytes.length === 64 ? Buffer.from(bytes) : createHash('sha512').update(first).digest();
  });
  const byMiddle = new Map<string, number>();
  base.forEach((b, i) => byMiddle.set(b.toString('hex', 8, 56), i));
  const originals = new Map<string, number>();
  txs.forEach((tx, i) => originals.set(tx.transaction.signatures[0], i));
  // Serialised once per recording, split around the first signature.
  const texts = txs.map((tx) => {
    const text = JSON.stringify(tx);
    const sig = JSON.stringify(tx.transaction.signatures[0]);
    const at = text.indexOf(sig);
    return { head: Buffer.from(text.slice(0, at)), tail: Buffer.from(text.slice(at + sig.length)) };
  });

  // Copy 0's signature as the JSON splices it (latin1, as json() always has).
  const quoted = txs.map((tx) => Buffer.from(JSON.stringify(tx.transaction.signatures[0]), 'latin1'));
  const copyQuoted = maxBase58Length(64) + 2;

  let mixFor = -1;
  let mix: Buffer = Buffer.alloc(8);
  const first8 = Buffer.alloc(8);
  const text = Buffer.alloc(maxBase58Length(64));
  // Copies share their recording's middle bytes: base58 of one is a sum of precomputed parts.
  const base58Of = createBase58Of64(base.map((b) => b.subarray(8, 56)));
  /** Copy c > 0's signature in base58 at `out[at]`; returns the end. */
  function writeSignature(recording: number, c: number, out: Uint8Array, at: number): number {
    if (c !== mixFor) {
      mix = createHash('sha256').update(`copy:${c}`).digest().subarray(0, 8);
      mixFor = c;
    }
    for (let i = 0; i < 8; i++) first8[i] = base[recording][i] ^ mix[i];
    return base58Of(recording, first8, c, out, at);
  }
  function signature(recording: number, c: number): string {
    if (c === 0) return txs[recording].transaction.signatures[0];
    return text.toString('latin1', 0, writeSignature(recording, c, text, 0));
  }

  return {
    signature,
    copy(recording: number, c: number): BlockTx {
      const tx = txs[recording];
      if (c === 0) return tx;
      const [, ...rest] = tx.transaction.signatures;
      return { ...tx, transaction: { ...tx.transaction, signatures: [signature(recording, c), ...rest] } };
    },
    /** The recording and copy a signature names, or null. */
    find(sig: string): { recording: number; copy: number } | null {
      const original = originals.get(sig);
      if (original !== undefined) return { recording: original, copy: 0 };
      let bytes: Buffer;
      try {
        bytes = Buffer.from(base58Decode(sig));
      } catch {
        return null;
      }
      if (bytes.length !== 64) return null;
      const recording = byMiddle.get(bytes.toString('hex', 8, 56));
      if (recording === undefined) return null;
      const c = bytes.readBigUInt64BE(56);
      if (c < 1n || c > BigInt(Number.MAX_SAFE_INTEGER)) return null;
      const copy = Number(c);
      return signature(recording, copy) === sig ? { recording, copy } : null;
    },
    /** The most bytes writeJson writes for a copy of this recording. */
    maxJsonBytes(recording: number): number {
      return texts[recording].head.length + texts[recording].tail.length + Math.max(quoted[recording].length, copyQuoted);
    },
    /** Copy c of a recording as JSON (JSON.stringify of copy(recording, c)) at `out[at]`; returns the end. */
    writeJson(recording: number, c: number, out: Buffer, at: number): number {
      const t = texts[recording];
      out.set(t.head, at);
      at += t.head.length;
      if (c === 0) {
        out.set(quoted[recording], at);
        at += quoted[recording].length;
      } else {
        out[at++] = 34; // '"'
        at = writeSignature(recording, c, out, at);
        out[at++] = 34;
      }
      out.set(t.tail, at);
      return at + t.tail.length;
    },
  };
}
