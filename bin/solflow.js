#!/usr/bin/env node
// Thin launcher: the CLI is built by `npm install` (the package's prepare script): tsc compiles
// src/ to dist/, and src/build-bundle.mjs bundles the command line into dist/bundle/: Node loads a
// few files in place of solflow's ~60 and Kysely's ~400, each subcommand's code a chunk loaded
// when it runs (test/bench/startup.ts). Libraries that are native or ESM-only stay outside the
// bundle (src/build-bundle.mjs lists them).
// React (under `solflow watch`) reads NODE_ENV once when first loaded; unset, it loads its
// development build, several times slower per frame. Static imports run before this module's
// body, so main.js is imported dynamically below, after the default is set.
process.env.NODE_ENV ??= 'production';
const { run } = await import('../dist/bundle/main.js');

// A reader that stops early (`solflow … | head`) closes the pipe: end quietly, as Unix tools do,
// instead of an EPIPE stack.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

run(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`solflow: ${err?.message ?? err}\n`);
    process.exitCode = 1;
  },
);
