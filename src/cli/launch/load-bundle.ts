/**
 * Loads the CLI bundle (dist/bundle/*.cjs, src/build-bundle.mjs) as Node loads CommonJS, but
 * compiles each file through `vm.Script` with V8's code cache: bytecode saved from an earlier
 * run, so a start does not parse and compile the ~400 KB `query stats` runs (about a tenth of its
 * start-up). Node 20 has no compile cache of its own (`module.enableCompileCache` came in 22) and
 * gives ES modules no way to pass cached data without a flag, hence CommonJS chunks and this
 * loader. Built by esbuild into dist/bundle/launch.cjs, which bin/solflow.js requires.
 *
 * The caches are made by the build (src/build-code-cache.mjs runs a few commands with
 * SOLFLOW_CODE_CACHE=write, after which they hold the functions those commands ran). A cache that
 * is missing, or was made from other source or by another Node, is made again when the process
 * exits, if the directory is writable. One V8 refuses (`cachedDataRejected`, other V8 flags)
 * costs nothing but the normal compile, and is left alone so two sets of flags do not take turns
 * rewriting it. SOLFLOW_CODE_CACHE=off neither reads nor writes one.
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Script } from 'node:vm';
import { cacheKey, cachePath, readCodeCache, writeCodeCache } from './code-cache-file.js';

export type CacheMode = 'use' | 'off' | 'write';

interface BundleModule {
  exports: unknown;
}

/** A bundle file once compiled, with what it takes to write its cache at exit. */
interface Compiled {
  script: Script;
  cacheFile: string;
  key: string;
  /** Write its cache at exit: asked to, or the one on disk was missing or made from other code. */
  save: boolean;
}

/**
 * The function a bundle file's code is wrapped in. `__import` is how the bundle reaches ES
 * modules: code compiled by vm.Script has no working `import()` in Node 20 (a flag, or a warning
 * and a callback lost when the code comes from the cache), so the build renders every dynamic
 * import of a package as `__import(…)`.
 */
const HEAD = '(function (exports, require, module, __filename, __dirname, __import) {';
const TAIL = '\n})';

export function cacheModeFrom(env: NodeJS.ProcessEnv): CacheMode {
  const v = env.SOLFLOW_CODE_CACHE;
  return v === 'off' || v === 'write' ? v : 'use';
}

/**
 * A `require` for the bundle in `dir`: `./x.cjs` loads a bundle file (once), anything else is
 * Node's require from `dir`, except the ES modules `__import` has loaded, which `require` returns
 * from then on (a chunk that imports an ES-only package statically is loaded after the build's
 * code has imported that package: src/build-bundle.mjs).
 */
export function bundleRequire(dir: string, mode: CacheMode, nodeImport: (specifier: string) => Promise<unknown>): (specifier: string) => unknown {
  const nodeRequire = createRequire(join(dir, 'launch.cjs'));
  const loaded = new Map<string, BundleModule>();
  const esModules = new Map<string, unknown>();
  const compiled: Compiled[] = [];

  const importModule = async (specifier: string): Promise<unknown> => {
    const ns = await nodeImport(specifier);
    esModules.set(specifier, ns);
    return ns;
  };

  const requireFn = (specifier: string): unknown => {
    if (specifier.startsWith('./') && specifier.endsWith('.cjs')) return load(join(dir, specifier.slice(2)));
    if (esModules.has(specifier)) return esModules.get(specifier);
    return nodeRequire(specifier);
  };
  requireFn.resolve = nodeRequire.resolve;
  requireFn.cache = nodeRequire.cache;

  function load(file: string): unknown {
    const known = loaded.get(file);
    if (known) return known.exports;
    const module: BundleModule = { exports: {} };
    loaded.set(file, module);
    try {
      const fn = compile(file).runInThisContext() as (...args: unknown[]) => void;
      fn.call(module.exports, module.exports, requireFn, module, file, dir, importModule);
    } catch (err) {
      loaded.delete(file); // as Node does: a file that failed to load is not half there next time
      throw err;
    }
    return module.exports;
  }

  function compile(file: string): Script {
    const source = HEAD + readFileSync(file, 'utf8') + TAIL;
    if (mode === 'off') return new Script(source, { filename: file });
    const cacheFile = cachePath(file);
    let key: string;
    try {
      key = cacheKey(file);
    } catch {
      return new Script(source, { filename: file });
    }
    const cachedData = mode === 'write' ? undefined : readCodeCache(cacheFile, key);
    const script = new Script(source, { filename: file, cachedData });
    const save = mode === 'write' || cachedData === undefined;
    if (save && compiled.every((c) => !c.save)) process.once('exit', saveCaches);
    compiled.push({ script, cacheFile, key, save });
    return script;
  }

  /** At exit, so the cache holds the functions this run compiled, not just the top level. */
  function saveCaches(): void {
    for (const c of compiled) {
      if (!c.save) continue;
      writeCodeCache(c.cacheFile, c.key, () => c.script.createCachedData());
    }
  }

  return requireFn;
}
