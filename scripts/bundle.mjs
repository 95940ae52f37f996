// The CLI bundle (npm run build, after tsc): esbuild bundles the command line into dist/bundle/,
// split into chunks so each subcommand loads only its own code (test/bench/startup.ts). Libraries
// that are native, ESM-only with their own dependency trees, or used by few commands stay outside,
// as packages Node resolves at run time; commander, cli-table3 and better-sqlite3's JavaScript
// (plain CommonJS that nearly every command loads) are bundled, which spares Node resolving and
// reading ~35 files (better-sqlite3's addon stays a file: src/store/sqlite/driver.ts).
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

const OUT = 'dist/bundle';

const common = {
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: [
    '@solana/web3.js',
    '@triton-one/yellowstone-grpc',
    'ink',
    'pg',
    'prom-client',
    'react',
    'ws',
  ],
  // CommonJS bundled into ESM reaches Node's builtins (and any package left outside) through
  // esbuild's __require, which needs a real `require` in the chunk's scope.
  banner: { js: "import { createRequire as __solflowCreateRequire } from 'node:module'; const require = __solflowCreateRequire(import.meta.url);" },
  entryNames: '[name]',
  outdir: OUT,
  sourcemap: true,
  logLevel: 'warning',
};

rmSync(OUT, { recursive: true, force: true });
// The worker threads' entries (src/util/start-worker.ts finds them beside the chunk that starts
// them) are built apart from the command line: built together, every module both use became a
// chunk of its own, and `query stats` loaded ~35 files.
await build({ ...common, entryPoints: ['src/cli/main.ts'] });
await build({ ...common, entryPoints: ['src/store/sqlite/writer-worker.ts', 'src/sources/live/frame-worker.ts'] });
