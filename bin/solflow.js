#!/usr/bin/env node
// Thin launcher: the CLI is compiled to dist/ by `npm install` (the package's prepare script).
import { run } from '../dist/cli/main.js';

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
