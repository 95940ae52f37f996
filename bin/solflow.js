#!/usr/bin/env node
// Thin launcher: the CLI is compiled to dist/ by `npm install` (the package's prepare script).
import { run } from '../dist/cli/main.js';

run(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`solflow: ${err?.message ?? err}\n`);
    process.exitCode = 1;
  },
);
