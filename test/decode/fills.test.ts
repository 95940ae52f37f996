/**
 * Keeper fills never vanish: a fill is read from its event (self-CPI or `Program data:` log), or
 * failing that from the order vault → keeper → maker transfers, over one hop or many; a fill that
 * cannot be read keeps the keeper's route legs. fixtures/fills holds a real limit-order v1 fill
 * and multi-hop constructed ones (test/support/build-constructed.mjs).
 */
import { describe, expect, it } from 'vitest';
import { decodeTransaction } from '../../src/core/decode/index.js';
import type { RawTransaction } from '../../src/core/decode/rawtx.js';
import { loadTx } from './support.js';

const REAL_V1 = '5cm2kyqtj73fWEjvSGWvA5XzqPfYjdX4XLJhRLykQ5BfWQeJaMXfAdJDUZ1Fjr3rKhZMJTVzir7Zg6hSNnQbfNub';
const KEEPER = '71WDyyCsZwyEYDV91Qrb212rdg6woCHYQhFnmZUBxiJ6';
const MAKER = 'ctKPiwiyfAmEzM4SKDB5iyqsvUWxFJvoskKwwEymdNQ';
const ORDER = 'CVYjfci2W2iCivHXvnr1sRMNUoPWwHVwiLprn3s6Mfk2';
const USDT = 'Es9vMFrzaCERmJfrF4H2FYD4KCoNkY11McCe8BenwNYB';
const USDC = 'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v';
const OWNER = '4vYWDeg6NHUt1VoUZoV8RqZA51AUEd4VCCghA4arfuH7';
const PUMP_TOKEN = 'HaMv3cdfDW6357yjpDur6kb6w52BUPJrMJpR76tjpump';

interface Meta {
  logMessages: string[];
  innerInstructions: Array<{ index: number; instructions: unknown[] }>;
  preTokenBalances: Array<{ owner: string; mint: string; uiTokenAmount: { amount: string } }>;
  postTokenBalances: Array<{ owner: string; mint: string; uiTokenAmount: { amount: string } }>;
}
const metaOf = (tx: RawTransaction) => tx.meta as unknown as Meta;

/** What the transaction's own token balances say `owner` gained in `mint`. */
function balanceChange(tx: RawTransaction, owner: string, mint: string): bigint {
  const m = metaOf(tx);
  let d = 0n;
  for (const b of m.postTokenBalances) if (b.owner === owner && b.mint === mint) d += BigInt(b.uiTokenAmount.amount);
  for (const b of m.preTokenBalances) if (b.owner === owner && b.mint === mint) d -= BigInt(b.uiTokenAmount.amount);
  return d;
}

const withoutLogEvents = (tx: RawTransaction): RawTransaction => {
  metaOf(tx).logMessages = metaOf(tx).logMessages.filter((l) => !l.startsWith('Program data: '));
  return tx;
};

describe('a real Jupiter limit-order v1 fill (keeper flash fill, three Jupiter hops, event in the logs)', () => {
  const tx = loadTx(REAL_V1, 'fills');

  it('is one trade of the maker, flagged as a limit order, never the keeper', () => {
    const trades = decodeTransaction(tx);
    expect(trades).toHaveLength(1);
    const [t] = trades;
    expect(t.trader).toBe(MAKER);
    expect(t.signer).toBe(KEEPER);
    expect(t.isLimitOrder).toBe(true);
    expect(t.router).toBe('jupiter-limit');
    expect(t.venue).toBe('jupiter-limit-v1');
  });

  it('matches the balances: the order vault paid the USDT, the maker received the USDC', () => {
    const [t] = decodeTransaction(tx);
    const usdtIn = t.baseMint === USDT ? t.baseAmount : t.quoteAmount;
    const usdcOut = t.baseMint === USDC ? t.baseAmount : t.quoteAmount;
    expect(-balanceChange(tx, ORDER, USDT)).toBe(usdtIn);
    expect(balanceChange(tx, MAKER, USDC)).toBe(usdcOut);
    expect([usdtIn, usdcOut]).toEqual([3582052n, 3584644n]);
  });

  it('reads the same fill from the transfers when the log event is gone', () => {
    const trades = decodeTransaction(withoutLogEvents(loadTx(REAL_V1, 'fills')));
    expect(trades).toHaveLength(1);
    expect(trades[0].trader).toBe(MAKER);
    expect([trades[0].baseAmount, trades[0].quoteAmount]).toEqual([3582052n, 3584644n]);
  });

  it('keeps the keeper’s three route legs when the fill cannot be read at all', () => {
    const bare = withoutLogEvents(loadTx(REAL_V1, 'fills'));
    // Drop the keeper → maker transfer (the fill instruction's inner list).
    metaOf(bare).innerInstructions = metaOf(bare).innerInstructions.filter((g) => g.index !== 8);
    const trades = decodeTransaction(bare);
    expect(trades.map((t) => t.venue)).toEqual(['raydium-amm-v4', 'orca-whirlpool', 'lifinity-v2']);
    expect(trades.every((t) => t.trader === KEEPER && !t.isLimitOrder)).toBe(true);
  });
});

describe('multi-hop fills (constructed from a real two-hop route)', () => {
  it('a DCA fill whose FilledEvent is only a log line is one DCA trade of the owner', () => {
    const trades = decodeTransaction(loadTx('jupiter-dca-fill-2hop-logged.constructed', 'fills'));
    expect(trades).toHaveLength(1);
    const [t] = trades;
    expect([t.trader, t.isDca, t.side, t.baseMint, t.baseAmount, t.quoteMint, t.quoteAmount]).toEqual([OWNER, true, 'buy', PUMP_TOKEN, 2583728601n, USDC, 10000n]);
    expect(t.fee).toBe(2583728n);
  });

  it('the same DCA fill without its event keeps the keeper’s two route legs', () => {
    const trades = decodeTransaction(withoutLogEvents(loadTx('jupiter-dca-fill-2hop-logged.constructed', 'fills')));
    expect(trades.map((t) => t.venue)).toEqual(['meteora-dlmm', 'pumpfun']);
    expect(trades.every((t) => t.trader === 'DCAKuApAuZtVNYLk3KTAVW9GLWVvPbnb5CxxRRmVgcTr' && !t.isDca)).toBe(true);
  });

  it('a limit-order v2 fill over two hops is one trade of the maker', () => {
    const trades = decodeTransaction(loadTx('jupiter-limit-v2-fill-2hop.constructed', 'fills'));
    expect(trades).toHaveLength(1);
    expect([trades[0].trader, trades[0].isLimitOrder, trades[0].baseAmount, trades[0].quoteAmount]).toEqual([OWNER, true, 2583728601n, 10000n]);
  });
});
