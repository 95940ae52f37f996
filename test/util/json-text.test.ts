/**
 * jsonText: JSON bytes read as Latin-1 with non-ASCII runs escaped must mean, to
 * JSON.parse, exactly what the UTF-8 decoding means — for any JSON, whatever characters its
 * strings hold — and must come out all ASCII (the one-byte string that makes it fast).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonText } from '../../src/util/json-text.js';

const ascii = (s: string) => !/[^\x00-\x7f]/.test(s);

describe('jsonText', () => {
  it('parses to the same value as the UTF-8 decoding, for any JSON with any characters', () => {
    const value = fc.jsonValue({ maxDepth: 3, stringUnit: 'binary' });
    fc.assert(
      fc.property(value, fc.string({ unit: 'binary' }), (v, extra) => {
        const buf = Buffer.from(JSON.stringify({ v, extra, logs: [`Program log: ${extra}`] }));
        const text = jsonText(buf);
        expect(ascii(text)).toBe(true);
        expect(JSON.parse(text)).toEqual(JSON.parse(buf.toString('utf8')));
      }),
      { seed: 1414, numRuns: 500 },
    );
  });

  it('keeps emoji, accents and CJK in logs, and passes ASCII frames through unchanged', () => {
    const frame = { method: 'blockNotification', params: { result: { logs: ['Program log: gm 🐠 café 東京', 'plain'] } } };
    const buf = Buffer.from(JSON.stringify(frame));
    expect(JSON.parse(jsonText(buf))).toEqual(frame);
    const plain = JSON.stringify({ a: 1, b: ['x', null, true] });
    expect(jsonText(Buffer.from(plain))).toBe(plain);
    expect(jsonText([Buffer.from(plain.slice(0, 5)), Buffer.from(plain.slice(5))])).toBe(plain);
    expect(jsonText(plain)).toBe(plain);
    expect(JSON.parse(jsonText(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"x":"é"}')])))).toEqual({ x: 'é' });
  });

  it('reads bytes that are not UTF-8 the way Buffer#toString does (replacement characters)', () => {
    const buf = Buffer.concat([Buffer.from('{"s":"a'), Buffer.from([0xff, 0xc3]), Buffer.from('b"}')]);
    expect(JSON.parse(jsonText(buf))).toEqual(JSON.parse(buf.toString('utf8')));
  });
});
