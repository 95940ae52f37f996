/**
 * Start a worker thread on a module that sits beside the caller: the built .js (beside it in
 * dist/ as tsc lays it out, or in dist/bundle/, where each worker is a bundle entry of its own
 * in the one flat directory of chunks — src/build-bundle.mjs lists them), or under tsx/vitest
 * (running the .ts sources) the .ts file loaded through tsx's API, since a worker does not
 * inherit the loader.
 */
import type { Worker, WorkerOptions } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

/** `callerUrl`: the caller's import.meta.url; `name`: the worker module's file name without extension. */
export function startWorker(callerUrl: string, name: string, options: WorkerOptions): Worker {
  // Required here, not imported: every command that may start a worker would otherwise load
  // Node's worker modules at start-up (~2 ms), most of them without ever starting one.
  const { Worker } = createRequire(callerUrl)('node:worker_threads') as typeof import('node:worker_threads');
  if (!callerUrl.endsWith('.ts')) return new Worker(new URL(`./${name}.js`, callerUrl), options);
  // tsx/esm/api's import build sits beside the require build that require.resolve finds.
  const tsx = new URL('./index.mjs', pathToFileURL(createRequire(callerUrl).resolve('tsx/esm/api'))).href;
  const script = new URL(`./${name}.ts`, callerUrl).href;
  const code = `import(${JSON.stringify(tsx)}).then((api) => api.tsImport(${JSON.stringify(script)}, ${JSON.stringify(callerUrl)}))`;
  return new Worker(code, { ...options, eval: true });
}
