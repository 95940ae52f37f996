/**
 * One transaction per venue with exact amounts. Pump.fun and PumpSwap values were checked by
 * hand against the events' fields and the pool accounts' balance changes; the rest agree with
 * their transactions' balances (corpus.test.ts) and are pinned here so they cannot drift.
 */
import { describe, expect, it } from 'vitest';
import { decodeTransaction } from '../../src/core/decode/index.js';
import { loadTx, sig } from './support.js';
import { compileLabels, DEFAULT_LABELS_FILE } from '../../src/core/labels.js';

type Row = [string, string, string, 'buy' | 'sell', string, string, string, string, string, string | null];

const PINNED: Row[] = [
  // [signature prefix, ixPath, venue, side, base mint, base amount, quote mint, quote amount, trader, pool]
  ['3bYXWjjNkV', '3.0', 'pumpfun', 'sell', 'CnNVDyM7GXBBcH8giuRYm17YCn6kpFTTbnd6Tx4hpump', '592443959000000', 'So11111111111111111111111111111111111111112', '37437283903', '4DdrfiDHpmx55i4SPssxVzS9ZaKLb8qr45NKY9Er9nNh', '6cSXbsWdUE86Nvwq8UZSQS8X8v4Rz3TP39V6gSb9Rg6f'],
  ['4pCgZ28WbX', '7.0', 'pumpswap', 'buy', 'MeU6gTPJkV8J5TwWfUArnmM4sD6X5SYmXotcJtYpump', '1205966600208', 'So11111111111111111111111111111111111111112', '696638045', '2QVgwx93rJXm2po3kQpEaU4B23fsUiq58ygkFs3sWPjG', '89aDWhVE39VYX8XCYT9PSNh7A7txWmkKLXZiSBs9D7ur'],
  ['5gtu6ARVv1', '4.2', 'pumpswap', 'sell', 'CzdpPoGiyWHg62uSziwNswjN2STE4xXDGsVTKZ2BQKGk', '22614342682', 'So11111111111111111111111111111111111111112', '10324347', '9SnmfKrHuWPw9Xv88W5tYeFL51ukLyCN2hPuXBBQm4iv', '34oYd3R5oM6ymwD4ofskhWtTs3U7hYsDapqVb2ueTrPi'],
  ['22K6ixTV6H', '4.1', 'pumpfun', 'buy', '4eLCXkNbDw2bvdrZZVn1cXurtL63H4z9ZfbYCY17pump', '4087530976228', 'So11111111111111111111111111111111111111112', '246875000', 'FwjYcbfktK8PC2bzCrqxR6QkUPxmHFbcFGNrz3YAV7ft', 'DzEuwnKqiZxfZgeo7MjpZ3FWfZzt5ERRzjkNpx856Ram'], // n=33
  ['23BXcBmnM3', '3.0', 'meteora-dbc', 'sell', 'EeXMYKCMjVLU1PrjAi4o2fMpC37h9RpuU3y7k4WHBQN9', '47192506267', 'So11111111111111111111111111111111111111112', '553679124', 'H2GjtXqmbhRCedTidoMPbzuvVjgSeWt1KYMrKcaCC2R7', 'CQLuGpgxg5qmuw5BnHCG8zHquKn3jxXuVrgSLYGBk48t'], // n=1
  ['26Yh1zLZma', '2.0', 'raydium-amm-v4', 'buy', 'Fj7qoqGJ7QSoPWNWcZag58AwCbHXgxzKHAwfiefHpump', '181542520507', 'So11111111111111111111111111111111111111112', '194231121', 'DxEyMGDat253hpcvTxdJcRLT7VRRetEX8eqPGzgQGWc7', 'Dj3cjxPqLh2DKRZLC5NorkmgyJUXe4v55LDtxU1sLcUS'], // n=38
  ['28rWme56aM', '3.1', 'obric-v2', 'sell', 'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v', '991250', 'So11111111111111111111111111111111111111112', '5903984', '3xTPAZxmpwd8GrNEKApaTw6VH4jqJ31WFXUvQzgwhR7c', 'Fn68NZzCCgZKtYmnAYbkL6w5NNx3TgjW91dGkLA3hsDK'], // n=3
  ['2BppD7Zqzc', '2.1', 'openbook-v1', 'buy', 'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v', '27086960', 'So11111111111111111111111111111111111111112', '200000000', '4qLQDSpCwGJSig3tDvkfUbgW1TJWgeABpr5BtR3r3vZo', 'CTz5UMLQm2SRWHzQnU62Pi4yJqbNGjgRBHqqp6oDHfF7'], // n=2
  ['2BppD7Zqzc', '2.12', 'raydium-clmm', 'sell', 'mSoLzYCxHdYgdzU16g5QSh3i5K3z3KZK7ytfqcJm7So', '166770422', 'So11111111111111111111111111111111111111112', '200085236', '4qLQDSpCwGJSig3tDvkfUbgW1TJWgeABpr5BtR3r3vZo', '8EzbUfvcRT1Q6RL462ekGkgqbxsPmwC5FMLQZhSPMjJ3'], // n=9
  ['2DfsmTYvMq', '1.0', 'meteora-dlmm', 'sell', 'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v', '116033029', 'So11111111111111111111111111111111111111112', '521092597', 'MfDuWeqSHEqTFVYZ7LoexgAK9dxk7cy4DFJWjWMGVWa', 'HTvjzsfX3yU6BUodCjZ5vZkUrAxMDTrBs3CJaq43ashR'], // n=9
  ['2bhr1FWqeL', '3.1', 'raydium-cpmm', 'sell', '7atgF8KQo4wJrD5ATGX7t1V2zVvykPJbFfNeVf1icFv1', '344448', 'So11111111111111111111111111111111111111112', '15742', 'E8oVrS4Pk74ouemj4t6grJ6w5Ah7SFLYa8VoRtvtWpnw', '8THC7UQN8zPXRL61o75fP4gcwRyB5W3o74yHyqarkqZ9'], // n=3
  ['2kai9Wa4rc', '4.2', 'orca-whirlpool', 'buy', '7vfCXTUXx5WJV5JADk17DUJ4ksgau7utNKj4b963voxs', '2945866', 'So11111111111111111111111111111111111111112', '500000000', 'Ex2F9oJN9UjBnSy273ezWH2kwaAzKTkm4ZmpDuqwzevY', 'HktfL7iwGKT5QHjywQkcDnZXScoh811k7akrMZJkCcEF'], // n=7
  ['2kai9Wa4rc', '4.6', 'jupiter-perps', 'buy', '27G8MtK7VtTcCHkpASjSDdkWWYfoqT6ggEuKidVJidD4', '23753244', '7vfCXTUXx5WJV5JADk17DUJ4ksgau7utNKj4b963voxs', '2945866', 'Ex2F9oJN9UjBnSy273ezWH2kwaAzKTkm4ZmpDuqwzevY', null], // n=1
  ['2m6e4MBQ2w', '3.2', 'meteora-damm-v1', 'buy', 'AkVt31h8vgji5wF4nVbq1QmBV5wBoe8JdSoDTkDhQwEw', '398451555', 'vVe16q1aGVSnZtK8PCXFnsh45VW6HCVrJPKCBSbpump', '5878070878', '6oHypdkuE3n41w3XBidags663HQRiXBN8W4qjxyUz4YS', 'HUxzmWt8ACyyJKEUMVAkwKpXc1MMYGqdoPxuk15B3Vru'], // n=4
  ['3LF4ABXfbE', '2.24', 'sanctum-router', 'buy', 'mSoLzYCxHdYgdzU16g5QSh3i5K3z3KZK7ytfqcJm7So', '17398506594', 'EPCz5LK372vmvCkZH3HgSuGNKACJJwwxsofW6fypCPZL', '20000000000', 'J6SiqG6aWGWFxcXFd6c3xjrvbsX8PTYyYNY97dxceH4P', null], // n=1
  ['3LF4ABXfbE', '2.35', 'lifinity-v2', 'buy', 'Es9vMFrzaCERmJfrF4H2FYD4KCoNkY11McCe8BenwNYB', '2994093354', 'So11111111111111111111111111111111111111112', '20847655935', 'J6SiqG6aWGWFxcXFd6c3xjrvbsX8PTYyYNY97dxceH4P', 'EiEAydLqSKFqRPpuwYoVxEJ6h9UZh9tsTaHgs4f8b8Z5'], // n=3
  ['3QHC6GMfi2', '3.0', 'meteora-damm-v2', 'buy', '4KCqTCbhV4qkCTGcc7adxSym5j7irot7ZW7EEVUJ2s7C', '10049442880', 'So11111111111111111111111111111111111111112', '3853747', '8QXHLs61dPPz9V4SLKPw7WN1vsuRpgGqxVo3Wtc55jWy', 'yJLejZTJeMnETVDuUcbucL3FhEydMBsFLWtqnY9NABf'], // n=2
  ['3p36wGRa19', '3.2', 'phoenix', 'sell', 'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v', '249243111', 'So11111111111111111111111111111111111111112', '1154100000', 'GKj54MVFppoYsxPU9jMn7CMniVRAuveFadyTtFhn1vXy', 'B8a4RCvFaG9AFsatCZLpGLkbCPytyr9K6jSZWLQZDjg1'], // n=3
  ['4VhDRLUK5Q', '8.2', 'solfi', 'sell', '6p6xgHyF7AeE6TZkSmFsko444wqoP15icUSqi2jfGiPN', '49563', 'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v', '543506', '8VCfQcnssNJznDqDoDDuzoKhdxgZWwwe5ikcKbAVWet5', '3AbG3ZA19fJKjTSTMTCz7j2bodPagXog4PwTBi8H7UA4'], // n=2
  ['51SfoFAgv3', '3.2', 'invariant', 'buy', 'oreoN2tQbHXVaZsr3pf66A48miqcBXCDJozganhEJgz', '188382438', 'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v', '20000000', 'AVYG9UHetNHT1FEDPLv9pN2sCCH4CLsjvkzGjVXBfEiS', 'J4uBbeoWpZE8fH58PM1Fp9n9K6f1aThyeVCyRdJbaXqt'], // n=2
  ['53mugqLKTa', '2.0', 'boop', 'sell', 'M9QGLh7U64McMoEU8Xb4ANWW76Teom4fnTwphUBboop', '399211831516600', 'So11111111111111111111111111111111111111112', '11873865', 'G8SNiK7rp1vYTG4KcRS9EDn439HCdsweLUo9BCHWdtbw', 'ANrfBPkQKsXo8oKN1Hz9yxhjY6NSobWpyGLTguATHUsm'], // n=1
  ['5DJFLgNiZD', '4.5', 'goonfi', 'sell', 'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v', '65819076', 'So11111111111111111111111111111111111111112', '291301114', '4dC1XCS2R2rqm1TXgq2K2QX4T5eCSYTW5QSu4TJAYh23', '4ynTYgJK5ruYx3AZMRjCHrJk1qkm61fePF7dkbvRQD46'], // n=1
  ['5LuTa5k9Uv', '2.3', 'zerofi', 'buy', 'JUPyiwrYJFskUPiHa7hkeR8VUtAeFoSYbKedZNsDvCN', '2143812', 'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v', '1090650', 'DtMUkCoeyzs35B6EpQQxPyyog6TRwXxV1W1Acp8nWBNa', 'HWcEXBF7Gu2HnjBPfrSYpUKYrV4bBrkMJRWnb5Qn1zUe'], // n=1
  ['5LzhiGZB46', '6.0', 'raydium-launchlab', 'buy', '54y4DV6shhwvojpRCCqwvgRTPd45UGrCEghpsa9pBj7F', '352899251106', 'So11111111111111111111111111111111111111112', '9999999', '7hnTzCVKCa3ToiKC8wgFHzc2s5jRBVDwwg5DpffUKjUu', 'C9HhQft4MTfnboDfpqS5Vy1zdkxPzL9qscWarUMtA999'], // n=1
  ['5SnGKXqNQ6', '1.2', 'saros', 'sell', 'DezXAZ8z7PnrnRJjz3wXBoRgixCa6xjnB7YaB1pPB263', '21466335085', 'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v', '4939254', '7eCimQLMWipNjqr3DjvrfXRNuaFZXuSfRofqvwMvvpz2', '2PFvRYt5h88ePdQXBrH3dyFmQqJHTNZYLztE847dHWYz'], // n=1
  ['5UWcde33J3', '2.0', 'moonit', 'buy', '8bhuFRNgQxiKFVsGzmygaiwX1CyGf4hu4A5giVE9moon', '6551568276092', 'So11111111111111111111111111111111111111112', '1965030', '3xPtPLAfgBan33sbmcoxgDaAm2qkSNRKajMBj1oN1w27', 'Hn7KyhXmojuLe7Z3EovB2JXDAUJniyQEXhoviJwAJrNo'], // n=1
  ['GCeRpjvfNX', '4.1', 'cropper-whirlpool', 'sell', 'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v', '4439613', 'So11111111111111111111111111111111111111112', '32095199', '46ECY5pTrN9Fbu5HdobxWBKxeAQXMo6uXTDwozrKadWZ', '3kyVVxbnEASKjLQB3wyPUc55VEGJWNeWZKf6Uv79YeuD'], // n=1
  ['GCeRpjvfNX', '4.21', 'fluxbeam', 'sell', 'J5tzd1ww1V1qrgDUQHVCGqpmpbnEnjzGs9LAqJxwkNde', '6299890045', 'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v', '4453650', '46ECY5pTrN9Fbu5HdobxWBKxeAQXMo6uXTDwozrKadWZ', 'BimzSqnS92JbPaBEv7S2MJmGNPgSpcjZxnMLfS8wAGfB'], // n=1
  ['vRYNRDqsLW', '2.2', 'humidifi', 'buy', 'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v', '472821137', 'So11111111111111111111111111111111111111112', '2092119022', 'EATRppgyCqBBQmJpjetBjMnQPTZ2ojSazWh1ncnHbXVW', '6n9VhCwQ7EwK6NqFDjnHPzEk6wZdRBTfh43RFgHQWHuQ'], // n=1
];

describe('one transaction per venue, exact amounts', () => {
  for (const [prefix, ixPath, venue, side, baseMint, baseAmount, quoteMint, quoteAmount, trader, pool] of PINNED) {
    it(`${venue} (${prefix} at ${ixPath})`, () => {
      const trades = decodeTransaction(loadTx(sig(prefix)));
      const t = trades.find((x) => x.ixPath === ixPath);
      expect(t, `no trade at ${ixPath}`).toBeDefined();
      expect({ venue: t!.venue, side: t!.side, baseMint: t!.baseMint, baseAmount: t!.baseAmount.toString(), quoteMint: t!.quoteMint, quoteAmount: t!.quoteAmount.toString(), trader: t!.trader, pool: t!.pool }).toEqual({
        venue, side, baseMint, baseAmount, quoteMint, quoteAmount, trader, pool,
      });
    });
  }
});

describe('a program nobody labelled', () => {
  it('is decoded from its vaults and named by its program id', () => {
    const labels = compileLabels(DEFAULT_LABELS_FILE);
    labels.programs.delete('HyaB3W9q6XdA5xwpU4XnSZV94htfmbmqJXZcEbRaJutt');
    const t = decodeTransaction(loadTx(sig('51SfoFAgv3')), { labels }).find((x) => x.ixPath === '3.2')!;
    expect(t.venue).toBe('unknown');
    expect(t.programId).toBe('HyaB3W9q6XdA5xwpU4XnSZV94htfmbmqJXZcEbRaJutt');
    expect([t.side, t.baseAmount, t.quoteAmount]).toEqual(['buy', 188382438n, 20000000n]);
  });

  it('that routes to known pools is a router, not an extra trade', () => {
    // ArbiT5 wraps a Jupiter route: without its label it is still not reported as a swap.
    const labels = compileLabels(DEFAULT_LABELS_FILE);
    labels.programs.delete('ArbiT5roZVrSvdXE4AWiBGkTMZrU1hWV7i7yuAhcJZBW');
    const trades = decodeTransaction(loadTx(sig('vRYNRDqsLW')), { labels });
    expect(trades.map((t) => t.venue)).toEqual(['humidifi', 'raydium-clmm']);
  });
});

describe('a venue decoded from its events', () => {
  it('is named by its label, like the vault-delta fallback for the same program', () => {
    const labels = compileLabels(DEFAULT_LABELS_FILE, {
      programs: { '6EF8rrecthR5Dkzon8Nwu78hRvfCKubJ14M5uBEwF6P': { name: 'pump.fun', kind: 'dex', decoder: 'pumpfun' } },
    });
    const t = decodeTransaction(loadTx(sig('3bYXWjjNkV')), { labels }).find((x) => x.ixPath === '3.0')!;
    expect([t.venue, t.baseAmount]).toEqual(['pump.fun', 592443959000000n]);
  });
});
