/**
 * Every real mainnet fixture: decoded trades agree with what the transaction's own balances say
 * happened to each trader, and transactions that are not swaps give nothing.
 */
import { describe, expect, it } from 'vitest';
import { decodeTransaction, MalformedTransactionError } from '../../src/core/decode/index.js';
import { checkTradesAgainstBalances } from '../../src/core/decode/balance-check.js';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES, loadTx, manifest, realSignatures, sig } from './support.js';

/**
 * Swaps whose trader's own balances cannot show the trade, each checked by hand:
 * the funds sit with a program's PDA, or the tokens were handed to another wallet.
 */
const BALANCES_ELSEWHERE: Record<string, string> = {
  [sig('41AWfawcj9')]: 'tokens handed from one signer to the other before the sell; proceeds to a third wallet',
  [sig('4s7dTu58vV')]: "the bot program's PDA holds the tokens and the SOL",
  [sig('5SnGKXqNQ6')]: "a wrapper program's PDA holds the route's tokens",
  [sig('k1LPbZb3E4')]: 'the creator pays for a buy whose tokens go to a second wallet',
};

/** Corpus entries that are not swaps, verified by reading them (labels in the manifest are guesses). */
const NOT_SWAPS = new Set(['failed', 'vote', 'transfer', 'spl-transfer', 'pumpfun-create', 'jupiter-dca', 'other', 'serum-v3']);


describe('real mainnet fixtures', () => {
  const man = manifest();
  const sigs = realSignatures();

  it('has the corpus', () => {
    expect(sigs.length).toBeGreaterThan(150);
  });

  for (const s of sigs) {
    const entry = man.get(s);
    const label = entry?.dex ?? '?';
    it(`${s.slice(0, 10)} (${label}) agrees with its balances`, () => {
      const raw = loadTx(s);
      const trades = decodeTransaction(raw);
      const notSwap =
        NOT_SWAPS.has(label) || label.startsWith('pool-init') || label.startsWith('liquidity') || raw.meta?.err;
      if (notSwap) {
        expect(trades).toEqual([]);
        return;
      }
      for (const t of trades) {
        expect(t.signature).toBe(s);
        expect(t.baseMint).not.toBe(t.quoteMint);
        expect(t.baseAmount > 0n && t.quoteAmount > 0n).toBe(true);
      }
      // ixPath is the identity of a leg within a transaction.
      expect(new Set(trades.map((t) => t.ixPath)).size).toBe(trades.length);
      if (BALANCES_ELSEWHERE[s]) return;
      expect(checkTradesAgainstBalances(raw, trades)).toEqual([]);
    });
  }
});

describe('the corpus entry recorded with keys missing', () => {
  it('is reported as malformed, not crashed on', () => {
    const dir = join(FIXTURES, 'malformed');
    for (const f of readdirSync(dir)) {
      const raw = JSON.parse(readFileSync(join(dir, f), 'utf8'));
      expect(() => decodeTransaction(raw)).toThrow(MalformedTransactionError);
    }
  });
});

describe('transactions that are not swaps', () => {
  it('Orca admin instructions give nothing', () => {
    for (const p of ['2afdjGJ1eo', '44wFosGvqD', '4vto7KJBeM', '44ZmSukwzN', '5pTMgSeqxq', 'FVH6m5tFRS']) {
      expect(decodeTransaction(loadTx(sig(p)))).toEqual([]);
    }
  });
  it('a Raydium pool creation and liquidity add/remove give nothing', () => {
    for (const p of ['3yq88CT3MU', '66cbwhMBm9', 'pXPLUDJPBn', '5qsohPWiHw']) {
      expect(decodeTransaction(loadTx(sig(p)))).toEqual([]);
    }
  });
  it('a failed swap gives nothing', () => {
    const raw = loadTx(sig('58FymkjJUe'));
    expect(raw.meta?.err).toBeTruthy();
    expect(decodeTransaction(raw)).toEqual([]);
  });
});
