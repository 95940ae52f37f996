import { describe, expect, it } from 'vitest';
import { redactKnown, redactText, redactUrl } from '../../src/util/redact.js';

describe('redactUrl', () => {
  it('hides api-key query params, userinfo and long path keys', () => {
    expect(redactUrl('https://rpc.example.com/?api-key=SECRET123&commitment=confirmed')).toBe(
      'https://rpc.example.com/?api-key=***&commitment=confirmed',
    );
    expect(redactUrl('https://alice:hunter22@rpc.example.com/')).toBe('https://***:***@rpc.example.com/');
    expect(redactUrl('wss://example.quiknode.pro/0123456789abcdef0123456789abcdef/')).toBe('wss://example.quiknode.pro/***/');
  });

  it('hides a PostgreSQL password and user', () => {
    const out = redactUrl('postgres://solflow:PGSECRETpw@db.internal:5432/solflow');
    expect(out).not.toContain('PGSECRETpw');
    expect(out).toContain('db.internal:5432/solflow');
  });

  it('hides an x-token passed as a query parameter', () => {
    expect(redactUrl('https://grpc.example.com:443/?x-token=XTOKENsecret')).not.toContain('XTOKENsecret');
  });
});

describe('redactText', () => {
  it('redacts URLs of every credential-carrying scheme inside free text', () => {
    const text =
      'failed https://a.com/?api-key=K1SECRET then wss://b.com/abcdefabcdefabcdefabcdef then ' +
      'postgresql://u:PGPASSWORD1@h/db then grpcs://g.io/?token=GTOKEN1';
    const out = redactText(text);
    for (const secret of ['K1SECRET', 'abcdefabcdefabcdefabcdef', 'PGPASSWORD1', 'GTOKEN1']) expect(out).not.toContain(secret);
    expect(out).toContain('failed https://a.com/');
  });

  it('redacts x-token and bearer headers quoted in messages or dumped objects', () => {
    expect(redactText('x-token: XT0KENVALUE rejected')).toBe('x-token: *** rejected');
    expect(redactText('{"x-token":"XT0KENVALUE","other":1}')).toBe('{"x-token":"***","other":1}');
    expect(redactText("X-Token='XT0KENVALUE'")).not.toContain('XT0KENVALUE');
    expect(redactText('authorization: Bearer BEARERsecret')).toBe('authorization: Bearer ***');
  });

  it('redacts libpq keyword passwords', () => {
    expect(redactText('host=db port=5432 password=hunter22 dbname=x')).toBe('host=db port=5432 password=*** dbname=x');
    expect(redactText("password='with space' user=x")).toBe('password=*** user=x');
  });

  it('leaves ordinary text alone', () => {
    const text = 'slot 250000000 decoded 12 trades (pumpfun) in 3 ms; token count=4';
    expect(redactText(text)).toBe(text);
  });
});

describe('redactKnown', () => {
  it('replaces every occurrence of a known secret, longest first', () => {
    expect(redactKnown('tok=abcdef123 and abcdef123456', ['abcdef123', 'abcdef123456'])).toBe('tok=*** and ***');
  });

  it('ignores values too short to be credentials', () => {
    expect(redactKnown('a b c', ['a', ''])).toBe('a b c');
  });
});
