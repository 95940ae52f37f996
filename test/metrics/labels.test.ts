import { describe, expect, it } from 'vitest';
import { labelGuard, labelSlug, oneOf } from '../../src/metrics/index.js';

describe('labelSlug', () => {
  it('keeps ordinary reasons readable', () => {
    expect(labelSlug('balance_check_failed_for_leg')).toBe('balance_check_failed_for_leg');
    expect(labelSlug('Malformed notification')).toBe('malformed_notification');
    expect(labelSlug('getTransaction returned null')).toBe('gettransaction_returned_null');
  });

  it('replaces URLs, signatures, addresses and numbers, so no value is per-item or secret', () => {
    const sig = '5VERv8NMvzbJMEkV8xnrLkEaWRtSz9CosKDYjCJjBRnbJLgp8uirBgmQpjKhoR4tjF3ZpRzrFmBV6UjKdiSZkQUW';
    expect(labelSlug(`tx ${sig} failed`)).toBe('tx_id_failed');
    expect(labelSlug('pool 9W959DqEETiGZocYWCQPaJ6sBmUzgfxXfqGeTEdp3aQP missing')).toBe('pool_id_missing');
    expect(labelSlug('slot 312000123 not available')).toBe('slot_n_not_available');
    expect(labelSlug('fetch https://rpc.example.com/?api-key=APIKEYSECRET1 failed')).toBe('fetch_url_failed');
    expect(labelSlug('dial rpc.example.com:8899/abcdef failed')).toBe('dial_url_failed');
    expect(labelSlug('x-token: XTOKENSECRET7 refused')).toBe('x_token_refused');
    expect(labelSlug('')).toBe('unknown');
    expect(labelSlug('y'.repeat(100)).length).toBeLessThanOrEqual(48);
  });
});

describe('labelGuard and oneOf', () => {
  it('caps the distinct values a guard lets through', () => {
    const guard = labelGuard(2);
    expect([guard('a'), guard('b'), guard('c'), guard('a')]).toEqual(['a', 'b', 'other', 'a']);
  });

  it('maps values outside a vocabulary to other', () => {
    const source = oneOf(['websocket', 'grpc']);
    expect([source('grpc'), source('wss://x'), source(undefined)]).toEqual(['grpc', 'other', 'other']);
  });
});
