// The CLI bundle (npm run build, after tsc), in dist/bundle/: the command line split into chunks
// so each subcommand loads only its own code (test/bench/startup.ts). Libraries that are native,
// ESM-only with their own dependency trees, or used by few commands stay outside, as packages
// Node resolves at run time; commander, cli-table3 and better-sqlite3's JavaScript (plain
// CommonJS that nearly every command loads) are bundled, which spares Node resolving and reading
// ~35 files (better-sqlite3's addon stays a file: src/store/sqlite/driver.ts).
//
// Two steps. esbuild compiles and bundles (TypeScript, CommonJS inside ESM), then rollup cuts the
// chunks again: esbuild makes a chunk for each set of entry points that share code and never lets
// a chunk import the entry, so the ~10 small modules both main.ts and the commands use were ~10
// files every command loaded, and `query stats` loaded 23. Rollup keeps what main.js already
// loaded in main.js and merges more (--help 1 file beside main.js's, query stats 12), and each
// file costs Node a resolve, a read and a link, in turn.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { build } from 'esbuild';
import { rollup } from 'rollup';

const OUT = 'dist/bundle';
const STAGE = 'dist/bundle-esbuild';

// CommonJS bundled into ESM reaches Node's builtins (and any package left outside) through
// esbuild's __require, which needs a real `require` in its chunk's scope.
const REQUIRE_BANNER = "import { createRequire as __solflowCreateRequire } from 'node:module'; const require = __solflowCreateRequire(import.meta.url);";

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
  banner: { js: REQUIRE_BANNER },
  entryNames: '[name]',
  sourcemap: true,
  logLevel: 'warning',
};

/**
 * Rollup reads esbuild's files with their source maps, so the final maps point into src/. The
 * `require` banner stays only in the file that defines __require (the line is blanked elsewhere,
 * keeping the maps' line numbers).
 */
const fromEsbuild = {
  name: 'from-esbuild',
  load(id) {
    let code = readFileSync(id, 'utf8').replace(/\n\/\/# sourceMappingURL=.*\n?$/, '\n');
    if (!code.includes('typeof require')) code = code.replace(REQUIRE_BANNER, '');
    return { code, map: existsSync(`${id}.map`) ? readFileSync(`${id}.map`, 'utf8') : null };
  },
};

rmSync(OUT, { recursive: true, force: true });
rmSync(STAGE, { recursive: true, force: true });
await build({ ...common, entryPoints: ['src/cli/main.ts'], outdir: STAGE });
const cli = await rollup({
  input: { main: `${STAGE}/main.js` },
  // Everything esbuild left as an import of a package or builtin stays one.
  external: (id) => !id.startsWith('.') && !id.startsWith('/'),
  // esbuild has already dropped what is unused.
  treeshake: false,
  // main.js may export more than run() (what the chunks loaded later take from it), so it holds
  // that code itself rather than re-exporting it from one more file.
  preserveEntrySignatures: 'allow-extension',
  plugins: [fromEsbuild],
  onwarn(warning, warn) {
    if (warning.code !== 'CIRCULAR_DEPENDENCY') warn(warning);
  },
});
await cli.write({ dir: OUT, format: 'es', entryFileNames: '[name].js', chunkFileNames: 'chunk-[hash].js', sourcemap: true });
await cli.close();
rmSync(STAGE, { recursive: true, force: true });
// The worker threads' entries (src/util/start-worker.ts finds them beside the chunk that starts
// them), built apart from the command line: built together, every module both use became a chunk
// of its own. Few files, so esbuild's chunks stay as they are.
await build({ ...common, entryPoints: ['src/store/sqlite/writer-worker.ts', 'src/sources/live/frame-worker.ts'], outdir: OUT, chunkNames: 'worker-[hash]' });
