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
// files every command loaded, and `query stats` loaded 23. Each file costs Node's ESM loader a
// resolve, a read and a link, in turn. Rollup keeps what main.js loads in main (main.cjs) and
// puts the code most commands share in one chunk (CORE below): --help loads main.cjs alone,
// query stats main.cjs and that chunk.
//
// The chunks are CommonJS (.cjs), loaded by dist/bundle/launch.cjs (src/cli/launch/load-bundle.ts)
// through vm.Script with V8's code cache, which src/build-code-cache.mjs makes at the end: Node 20
// can cache compiled code only for scripts, not ES modules. A package the chunks import that is
// ES-only (ESM_ONLY) cannot be required, so a chunk that imports one is loaded after the package
// has been imported (`__import`, below).
//
// Plain JavaScript that Node runs as it is (tsc leaves it alone), in src/ because the package's
// top level is fixed.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { build } from 'esbuild';
import { rollup } from 'rollup';
import { buildCodeCache } from './build-code-cache.mjs';

const OUT = 'dist/bundle';
const STAGE = 'dist/bundle-esbuild';

// CommonJS bundled into ESM reaches Node's builtins (and any package left outside) through
// esbuild's __require, which needs a real `require` in its chunk's scope: the workers' ES modules
// make one; the CLI's chunks, CommonJS in the end, are given one by their loader.
const REQUIRE_BANNER = "import { createRequire as __solflowCreateRequire } from 'node:module'; const require = __solflowCreateRequire(import.meta.url);";

/** Packages the chunks import that Node 20 cannot require(): see `esOnlyFirst` below. */
const ESM_ONLY = ['ink'];

/**
 * commander requires node:child_process at load for the one thing it spawns (a subcommand that is
 * an executable file, which solflow has none of): ~6 ms of Node's own modules (net, stream…) on
 * every start. Here it is required when spawn is first called.
 */
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(b) {
    b.onLoad({ filter: /[\\/]commander[\\/]lib[\\/]command\.js$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      const eager = "const childProcess = require('node:child_process');";
      if (!text.includes(eager)) throw new Error(`${args.path}: no "${eager}" to make lazy; commander changed, update src/build-bundle.mjs`);
      return { contents: text.replace(eager, "const childProcess = { spawn: (...args) => require('node:child_process').spawn(...args) };"), loader: 'js' };
    });
  },
};

/**
 * cli-table3 measures cells with string-width, which runs emoji-regex's large pattern over every
 * string: ~10 ms of a cold `query stats`. Its require of string-width gets an ASCII-first measure
 * (src/cli/string-width-ascii.cjs) that hands anything else to string-width.
 */
const asciiFirstWidth = {
  name: 'ascii-first-width',
  setup(b) {
    b.onResolve({ filter: /^string-width$/ }, (args) =>
      /[\\/]cli-table3[\\/]/.test(args.importer) ? { path: resolve('src/cli/string-width-ascii.cjs') } : undefined,
    );
  },
};

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
  entryNames: '[name]',
  sourcemap: true,
  logLevel: 'warning',
};

/** Rollup reads esbuild's files with their source maps, so the final maps point into src/. */
const fromEsbuild = {
  name: 'from-esbuild',
  load(id) {
    const code = readFileSync(id, 'utf8').replace(/\n\/\/# sourceMappingURL=.*\n?$/, '\n');
    return { code, map: existsSync(`${id}.map`) ? readFileSync(`${id}.map`, 'utf8') : null };
  },
};

/** The package an import names: `react/jsx-runtime` → `react`, `@a/b/c` → `@a/b`. */
const packageOf = (id) => id.split('/').slice(0, id.startsWith('@') ? 2 : 1).join('/');

/**
 * Dynamic imports in CommonJS chunks. Of a package: `__import(…)`, the loader's (Node's import(),
 * which code compiled by vm.Script cannot use). Of a chunk that imports an ES-only package: that
 * package is imported first, and the chunk's require() of it gets the module then
 * (src/cli/launch/load-bundle.ts). Any other chunk: rollup's require().
 */
const esOnlyFirst = {
  name: 'es-only-first',
  renderDynamicImport({ targetChunk, getTargetChunkImports }) {
    if (!targetChunk) return { left: '__import(', right: ')' };
    const esOnly = (getTargetChunkImports() ?? []).filter((i) => i.type === 'external' && ESM_ONLY.includes(packageOf(i.fileName)));
    if (esOnly.length === 0) return null;
    const first = esOnly.map((i) => `__import(${JSON.stringify(i.fileName)})`).join(', ');
    return { left: `Promise.all([${first}]).then(function () { return require(`, right: '); })' };
  },
  /**
   * What the loading above relies on: a chunk importing an ES-only package is reached only by
   * dynamic imports (a static require of it would run before anything imported the package), and
   * every other package the chunks import can be required.
   */
  generateBundle(_options, bundle) {
    const chunks = Object.values(bundle).filter((c) => c.type === 'chunk');
    const staticallyImported = new Set(chunks.flatMap((c) => c.imports));
    for (const chunk of chunks) {
      for (const id of chunk.imports.filter((i) => !bundle[i])) {
        const pkg = packageOf(id);
        if (id.startsWith('node:') || ESM_ONLY.includes(pkg)) continue;
        const manifest = JSON.parse(readFileSync(resolve('node_modules', pkg, 'package.json'), 'utf8'));
        if (manifest.type === 'module') throw new Error(`${chunk.fileName} imports ${id}, an ES module package: add ${pkg} to ESM_ONLY in src/build-bundle.mjs`);
      }
      const esOnly = chunk.imports.filter((i) => ESM_ONLY.includes(packageOf(i)));
      if (esOnly.length > 0 && (chunk.isEntry || staticallyImported.has(chunk.fileName))) {
        throw new Error(`${chunk.fileName} imports ${esOnly.join(', ')} (ES-only) but is loaded by require(): import it dynamically`);
      }
    }
  },
};

rmSync(OUT, { recursive: true, force: true });
rmSync(STAGE, { recursive: true, force: true });
const { metafile } = await build({ ...common, entryPoints: ['src/cli/main.ts'], outdir: STAGE, metafile: true, plugins: [lazyChildProcess, asciiFirstWidth] });

/**
 * The code most commands run once they open a SQLite file: the query subcommands, the CLI's
 * output helpers, the SQLite store (not the Kysely reports) and the CommonJS libraries under
 * them. Rollup would still cut it by which commands share what; one chunk is fewer files for
 * every command (query top-flows 18 -> 7) at the price of some code a command does not run.
 */
const CORE = [
  /^src\/cli\/query\//,
  /^src\/cli\/[a-z-]+\.ts$/,
  /^src\/format\//,
  /^src\/store\/[a-z-]+\.ts$/,
  /^src\/store\/writer\//,
  /^src\/store\/sqlite\/(?!report-sql)[a-z-]+\.ts$/, // report-sql is Kysely's
  /^src\/core\/labels/,
  /^src\/core\/decode\/base58/,
  /^src\/util\//,
  /node_modules\/(cli-table3|string-width|strip-ansi|ansi-regex|emoji-regex|is-fullwidth-code-point|@colors|better-sqlite3|bindings|file-uri-to-path)\//,
  /^src\/cli\/string-width-ascii\.cjs$/,
];
const outputs = new Map(Object.entries(metafile.outputs).map(([file, o]) => [resolve(file), o]));
/** esbuild's chunks main.js imports, loaded on every run: rollup keeps them in main.js. */
const loadedByMain = new Set();
const markLoaded = (file) => {
  if (loadedByMain.has(file)) return;
  loadedByMain.add(file);
  for (const i of outputs.get(file).imports) if (i.kind === 'import-statement' && !i.external) markLoaded(resolve(i.path));
};
markLoaded(resolve(`${STAGE}/main.js`));
/** Rollup's manualChunks: an esbuild chunk made only of core code goes into the one core chunk. */
function chunkOf(id) {
  if (loadedByMain.has(id)) return 'main';
  const inputs = Object.keys(outputs.get(id)?.inputs ?? {});
  return inputs.length > 0 && inputs.every((input) => CORE.some((re) => re.test(input))) ? 'core' : undefined;
}

const cli = await rollup({
  input: { main: `${STAGE}/main.js` },
  // Everything esbuild left as an import of a package or builtin stays one.
  external: (id) => !id.startsWith('.') && !id.startsWith('/'),
  // esbuild has already dropped what is unused.
  treeshake: false,
  // main.js may export more than run() (what the chunks loaded later take from it), so it holds
  // that code itself rather than re-exporting it from one more file.
  preserveEntrySignatures: 'allow-extension',
  plugins: [fromEsbuild, esOnlyFirst],
  onwarn(warning, warn) {
    if (warning.code !== 'CIRCULAR_DEPENDENCY') warn(warning);
  },
});
await cli.write({
  manualChunks: chunkOf,
  dir: OUT,
  format: 'cjs',
  // Namespace objects of ES modules (ESM_ONLY) and CommonJS packages alike.
  interop: 'auto',
  generatedCode: 'es2015',
  entryFileNames: '[name].cjs',
  chunkFileNames: 'chunk-[hash].cjs',
  sourcemap: true,
});
await cli.close();
rmSync(STAGE, { recursive: true, force: true });
// The worker threads' entries (src/util/start-worker.ts finds them beside the chunk that starts
// them), built apart from the command line: built together, every module both use became a chunk
// of its own. Few files, so esbuild's chunks stay as they are.
await build({ ...common, banner: { js: REQUIRE_BANNER }, entryPoints: ['src/store/sqlite/writer-worker.ts', 'src/sources/live/frame-worker.ts'], outdir: OUT, chunkNames: 'worker-[hash]' });
// The loader bin/solflow.js requires, CommonJS as Node loads it.
await build({ ...common, splitting: false, format: 'cjs', entryPoints: { launch: 'src/cli/launch/load-bundle.ts' }, outExtension: { '.js': '.cjs' }, outdir: OUT });
await buildCodeCache();
