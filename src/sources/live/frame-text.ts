/**
 * A WebSocket frame's bytes as the string JSON.parse reads, cheaply for the big ones.
 *
 * A blockNotification of a busy block is megabytes. Buffer#toString('utf8') turns a frame with
 * even one non-ASCII character (an emoji in one transaction's logs is enough) into a two-byte
 * string of the whole frame, decoded at about a tenth of the speed of a Latin-1 copy, and
 * JSON.parse then walks twice the bytes: in the soak bench that decode alone was a third of
 * ingest's CPU. So: an ASCII frame is read as Latin-1 (for ASCII bytes the same characters);
 * in any other, each run of non-ASCII bytes — which valid JSON holds only inside strings — is
 * decoded as UTF-8 and written as \uXXXX escapes, which JSON.parse reads back to the very same
 * characters. The result is a one-byte string equivalent as JSON to the UTF-8 decoding.
 */
import { isAscii } from 'node:buffer';

const NON_ASCII_RUN = /[\x80-\xff]+/g;

export function frameText(data: Buffer | ArrayBuffer | Buffer[] | string): string {
  if (typeof data === 'string') return data;
  const buf = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
  const latin1 = buf.toString('latin1');
  if (isAscii(buf)) return latin1;
  const parts: string[] = [];
  let last = 0;
  NON_ASCII_RUN.lastIndex = 0;
  for (let m = NON_ASCII_RUN.exec(latin1); m !== null; m = NON_ASCII_RUN.exec(latin1)) {
    parts.push(latin1.slice(last, m.index), escapeNonAscii(buf.toString('utf8', m.index, m.index + m[0].length)));
    last = m.index + m[0].length;
  }
  parts.push(latin1.slice(last));
  return parts.join('');
}

function escapeNonAscii(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) out += `\\u${text.charCodeAt(i).toString(16).padStart(4, '0')}`;
  return out;
}
