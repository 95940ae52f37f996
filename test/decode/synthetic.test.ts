/**
 * Shapes the corpus has no sample of, built in the test from the programs' instruction layouts:
 * one instruction through two pools, and a marketplace-like transfer pair that is not a swap.
 */
import { describe, expect, it } from 'vitest';
import { base58Encode } from '../../src/core/decode/base58.js';
import { decodeTransaction } from '../../src/core/decode/index.js';
import type { RawTransaction } from '../../src/core/decode/rawtx.js';

const TOKEN = 'TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA';
const key = (n: number) => base58Encode(Uint8Array.from({ length: 32 }, (_, i) => (i === 0 ? n : (n * 7 + i) & 0xff)));

function transferData(amount: bigint): string {
  const b = new Uint8Array(9);
  b[0] = 3;
  for (let i = 0; i < 8; i++) b[1 + i] = Number((amount >> BigInt(8 * i)) & 0xffn);
  return base58Encode(b);
}

interface Acct { key: string; mint?: string; owner?: string; decimals?: number }

function build(program: string, accts: Acct[], transfers: Array<[number, number, bigint]>): RawTransaction {
  const keys = [...accts.map((a) => a.key), program, TOKEN];
  const p = keys.length - 2;
  const t = keys.length - 1;
  const balances = accts
    .map((a, i) => ({ a, i }))
    .filter(({ a }) => a.mint)
    .map(({ a, i }) => ({ accountIndex: i, mint: a.mint!, owner: a.owner, uiTokenAmount: { amount: '1000000000000', decimals: a.decimals ?? 6 } }));
  return {
    slot: 1,
    blockTime: 1_700_000_000,
    version: 0,
    meta: {
      err: null,
      fee: 5000,
      preBalances: keys.map(() => 1_000_000),
      postBalances: keys.map(() => 1_000_000),
      preTokenBalances: balances,
      postTokenBalances: balances,
      innerInstructions: [
        { index: 0, instructions: transfers.map(([from, to, amount]) => ({ programIdIndex: t, accounts: [from, to, 0], data: transferData(amount), stackHeight: 2 })) },
      ],
      logMessages: [],
      loadedAddresses: { writable: [], readonly: [] },
    },
    transaction: {
      signatures: ['5'.repeat(88)],
      message: {
        accountKeys: keys,
        header: { numRequiredSignatures: 1, numReadonlySignedAccounts: 0, numReadonlyUnsignedAccounts: 2 },
        instructions: [{ programIdIndex: p, accounts: accts.map((_, i) => i), data: '1', stackHeight: null }],
      },
    },
  };
}

describe('one instruction through two pools', () => {
  it('gives one leg per pool, each with its own key', () => {
    const [user, x, y, z, pool1, pool2] = [key(1), key(2), key(3), key(4), key(5), key(6)];
    const tx = build('whirLbMiicVdio4qvUfM5KAg6Ct8VwpYzGff3uctyCc', [
      { key: user },
      { key: key(10), mint: x, owner: user },
      { key: key(11), mint: x, owner: pool1 },
      { key: key(12), mint: y, owner: pool1 },
      { key: key(13), mint: y, owner: pool2 },
      { key: key(14), mint: z, owner: pool2 },
      { key: key(15), mint: z, owner: user },
    ], [
      [1, 2, 1_000n], // user pays X into pool 1
      [3, 4, 2_000n], // pool 1 pays Y straight into pool 2
      [5, 6, 3_000n], // pool 2 pays Z to the user
    ]);
    const trades = decodeTransaction(tx);
    expect(trades.map((t) => [t.pool, t.baseMint === y || t.quoteMint === y, t.ixPath])).toEqual([
      [pool1, true, '0.0'],
      [pool2, true, '0.2'],
    ]);
    expect(trades.every((t) => t.trader === user)).toBe(true);
  });
});

describe('an unlabelled program', () => {
  it('paying one wallet and handing over an NFT from an escrow is not a swap', () => {
    const [buyer, seller, escrow, nft] = [key(21), key(22), key(23), key(24)];
    const tx = build(key(99), [
      { key: buyer },
      { key: key(30), mint: 'So11111111111111111111111111111111111111112', owner: buyer, decimals: 9 },
      { key: key(31), mint: 'So11111111111111111111111111111111111111112', owner: seller, decimals: 9 },
      { key: key(32), mint: nft, owner: escrow, decimals: 0 },
      { key: key(33), mint: nft, owner: buyer, decimals: 0 },
    ], [
      [1, 2, 5_000_000_000n],
      [3, 4, 1n],
    ]);
    expect(decodeTransaction(tx)).toEqual([]);
  });

  it('that takes one token and pays another from the same owner is a swap', () => {
    const [user, pool, a, b] = [key(41), key(42), key(43), key(44)];
    const tx = build(key(98), [
      { key: user },
      { key: key(50), mint: a, owner: user },
      { key: key(51), mint: a, owner: pool },
      { key: key(52), mint: b, owner: pool },
      { key: key(53), mint: b, owner: user },
    ], [
      [1, 2, 700n],
      [3, 4, 900n],
    ]);
    const [t] = decodeTransaction(tx);
    expect(t.venue).toBe('unknown');
    expect([t.side, t.baseMint, t.baseAmount, t.quoteAmount, t.trader, t.pool]).toEqual(['buy', b, 900n, 700n, user, pool]);
  });
});
