// What cli-table3 measures cells with in the CLI bundle (src/build-bundle.mjs hands it this in
// place of string-width): a cell of printable ASCII, once its colour codes are taken out, is as
// wide as it is long, and string-width would say so only after running emoji-regex's pattern
// over it, which cost ~10 ms of a cold `query stats` (compiling the pattern, then a run per
// measure, several per cell). Anything else is measured by string-width itself.
'use strict';
const stringWidth = require('string-width');

// eslint-disable-next-line no-control-regex
const SGR = /\x1b\[[0-9;]*m/g;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

module.exports = function asciiFirstWidth(s) {
  if (typeof s === 'string') {
    const plain = s.includes('\x1b') ? s.replace(SGR, '') : s;
    if (PRINTABLE_ASCII.test(plain)) return plain.length;
  }
  return stringWidth(s);
};
