/**
 * JSON bytes (a WebSocket frame, an HTTP body) as the string JSON.parse reads, cheaply for
 * the big ones.
 *
 * A blockNotification or a getBlock answer for a busy block is megabytes. Buffer#toString('utf8') turns a frame with
 * even one non-ASCII character (an emoji in one transaction's logs is enough) into a two-byte
 * string of the whole frame, decoded at about a tenth of the speed of a Latin-1 copy, and
 * JSON.parse then walks twice the bytes: in the soak bench that decode alone was a third of
 * ingest's CPU. So: an ASCII frame is read as Latin-1 (for ASCII bytes the same characters);
 * in any other, each run of non-ASCII bytes — which valid JSON holds only inside strings — is
 * decoded as UTF-8 and written as \uXXXX escapes, which JSON.parse reads back to the very same
 * characters. The result is a one-byte string equivalent as JSON to the UTF-8 decoding.
 */
import { isAscii } from 'node:buffer';

const BOM = [0xef, 0xbb, 0xbf];
/** Ranges this short are scanned byte by byte; longer ones are halved while not all ASCII. */
const SCAN_BYTES = 512;

export function jsonText(data: Buffer | ArrayBuffer | Buffer[] | string): string {
  if (typeof data === 'string') return data;
  let buf = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
  // A byte-order mark is not JSON: drop it, as a UTF-8 decoder reading text would.
  if (buf[0] === BOM[0] && buf[1] === BOM[1] && buf[2] === BOM[2]) buf = buf.subarray(3);
  if (isAscii(buf)) return buf.toString('latin1');
  // Copy ASCII stretches as they are and the non-ASCII runs escaped, then one Latin-1 read.
  // (Joining strings instead cost more than the UTF-8 decode it replaces.)
  const parts: Buffer[] = [];
  let last = 0;
  for (const [from, to] of nonAsciiRuns(buf)) {
    parts.push(buf.subarray(last, from), Buffer.from(escapeNonAscii(buf.toString('utf8', from, to)), 'latin1'));
    last = to;
  }
  parts.push(buf.subarray(last));
  return Buffer.concat(parts).toString('latin1');
}

/**
 * The runs of bytes >= 0x80, in order. isAscii (SIMD) rules out all-ASCII halves at memory
 * speed, so a frame of megabytes with a few emoji costs a few passes, not a byte loop.
 */
function nonAsciiRuns(buf: Buffer): Array<[number, number]> {
  const runs: Array<[number, number]> = [];
  const visit = (from: number, to: number): void => {
    if (to - from > SCAN_BYTES) {
      if (isAscii(buf.subarray(from, to))) return;
      const mid = (from + to) >>> 1;
      visit(from, mid);
      visit(mid, to);
      return;
    }
    for (let i = from; i < to; i++) {
      if (buf[i] < 0x80) continue;
      // Runs that straddle two ranges are merged, so a character is never cut.
      const prev = runs[runs.length - 1];
      if (prev && prev[1] === i) prev[1] = i + 1;
      else runs.push([i, i + 1]);
    }
  };
  visit(0, buf.length);
  return runs;
}
function escapeNonAscii(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) out += `\\u${text.charCodeAt(i).toString(16).padStart(4, '0')}`;
  return out;
}
