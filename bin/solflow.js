#!/usr/bin/env node
// Thin launcher: the CLI is built by `npm install` (the package's prepare script): tsc compiles
// src/ to dist/, and src/build-bundle.mjs bundles the command line into dist/bundle/: Node loads a
// few files in place of solflow's ~60 and Kysely's ~400, each subcommand's code a chunk loaded
// when it runs (test/bench/startup.ts). Libraries that are native or ESM-only stay outside the
// bundle (src/build-bundle.mjs lists them).
//
// CommonJS (bin/package.json), as the bundle is: an ES module entry costs Node ~7 ms of module
// loader before the first line runs, and CommonJS lets dist/bundle/launch.cjs compile the bundle
// with V8's code cache (src/cli/launch/load-bundle.ts).
'use strict';

// React (under `solflow watch`) reads NODE_ENV once when first loaded; unset, it loads its
// development build, several times slower per frame.
process.env.NODE_ENV ??= 'production';
const { join } = require('node:path');
const { bundleRequire, cacheModeFrom } = require('../dist/bundle/launch.cjs');

const requireBundle = bundleRequire(join(__dirname, '..', 'dist', 'bundle'), cacheModeFrom(process.env), (specifier) => import(specifier));
const { run } = requireBundle('./main.cjs');

// A reader that stops early (`solflow … | head`) closes the pipe: end quietly, as Unix tools do,
// instead of an EPIPE stack. Said to process.stdout when something first makes it, not here:
// making it loads Node's stream modules (~6 ms for a pipe), which query output written straight
// to a pipe or file does without (src/cli/stdout.ts, which knows by this getter still being there
// that nothing has written through the stream).
const makeStdout = Object.getOwnPropertyDescriptor(process, 'stdout');
function lazyStdout() {
  const stdout = makeStdout.get.call(process);
  Object.defineProperty(process, 'stdout', { configurable: true, enumerable: true, writable: false, value: stdout });
  stdout.on('error', (err) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
  return stdout;
}
lazyStdout[Symbol.for('solflow.lazy-stdout')] = true;
Object.defineProperty(process, 'stdout', { configurable: true, enumerable: true, get: lazyStdout });

run(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`solflow: ${err?.message ?? err}\n`);
    process.exitCode = 1;
  },
);
