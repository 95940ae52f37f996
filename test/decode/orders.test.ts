/**
 * Jupiter DCA and limit-order keeper fills. The corpus has opens and closes but no fill, so
 * these fixtures are constructed (fixtures/constructed, built by test/support/build-constructed.mjs)
 * from a real Jupiter route plus the programs' published layouts.
 */
import { describe, expect, it } from 'vitest';
import { decodeTransaction } from '../../src/core/decode/index.js';
import { loadTx, sig } from './support.js';

const OWNER = '4vYWDeg6NHUt1VoUZoV8RqZA51AUEd4VCCghA4arfuH7';

describe('Jupiter DCA fill (constructed)', () => {
  const trades = decodeTransaction(loadTx('jupiter-dca-fill.constructed', 'constructed'));

  it('is one trade, flagged DCA, credited to the order owner and never to the keeper', () => {
    expect(trades).toHaveLength(1);
    const [t] = trades;
    expect(t.isDca).toBe(true);
    expect(t.trader).toBe(OWNER);
    expect(t.signer).toBe('DCAKuApAuZtVNYLk3KTAVW9GLWVvPbnb5CxxRRmVgcTr');
    expect(t.router).toBe('jupiter-v6');
  });

  it('takes its amounts from the FilledEvent, at the pool the keeper routed through', () => {
    const [t] = trades;
    expect([t.side, t.quoteAmount, t.baseAmount, t.venue]).toEqual(['buy', 6420986n, 227222628794n, 'pumpfun']);
    expect(t.fee).toBe(227222628n);
  });

  it('the same route signed by the owner is an ordinary trade of the owner', () => {
    const real = decodeTransaction(loadTx(sig('65Cb18HWEH')));
    expect(real).toHaveLength(1);
    expect(real[0].isDca).toBe(false);
    expect([real[0].quoteAmount, real[0].baseAmount]).toEqual([6356777n, 227222628794n]);
  });
});

describe('Jupiter limit-order fill (constructed)', () => {
  it('is one trade credited to the maker', () => {
    const trades = decodeTransaction(loadTx('jupiter-limit-fill.constructed', 'constructed'));
    expect(trades).toHaveLength(1);
    expect(trades[0].isLimitOrder).toBe(true);
    expect(trades[0].trader).toBe(OWNER);
    expect([trades[0].quoteAmount, trades[0].baseAmount]).toEqual([6420986n, 227222628794n]);
  });
});

describe('DCA opens and closes', () => {
  it('are not trades', () => {
    for (const p of ['ei3hSQvysm', '63hssgYbn6', '536zhoTN4a', '5EZNycMMgz']) {
      expect(decodeTransaction(loadTx(sig(p)))).toEqual([]);
    }
  });
});
