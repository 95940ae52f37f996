/**
 * The CLI straight from src/ for child-process tests (kill -9, Ctrl-C), so they exercise the
 * code under test rather than whatever dist/ last built:
 *   node node_modules/vite-node/vite-node.mjs test/support/solflow-cli.ts backfill …
 */
import { run } from '../../src/cli/main.js';

run(['node', 'solflow', ...process.argv.slice(2)]).then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`solflow: ${err?.message ?? err}\n`);
    process.exit(1);
  },
);
