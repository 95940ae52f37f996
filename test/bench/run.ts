/**
 * `npm run bench`: every benchmark, figures printed as measured (ratios against a baseline run
 * in the same process where one exists). Set BENCH_SECONDS to change the decode duration.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { benchDecode } from './decode.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 3);
await benchDecode(seconds);

// Other parts register here as they land: each module exports one async function.
const others: Array<[string, string]> = [
  ['write-path.ts', 'benchWritePath'],
  ['flow-memory.ts', 'benchFlowMemory'],
  ['write-path-pg.ts', 'benchWritePathPg'],
  ['backfill.ts', 'benchBackfill'],
  ['store-queries.ts', 'benchStoreQueries'],
  ['analyze-pg.ts', 'benchAnalyzePg'],
  ['prune.ts', 'benchPrune'],
  ['decode-property.ts', 'benchDecodeProperty'],
  ['startup.ts', 'benchStartup'],
  ['watch-render.ts', 'benchWatchRender'],
  ['watch-pipeline.ts', 'benchWatchPipeline'],
  ['ingest-soak.ts', 'benchIngestSoak'],
];
for (const [file, fn] of others) {
  const path = join(import.meta.dirname, file);
  if (!existsSync(path)) continue;
  const mod = (await import(path)) as Record<string, () => Promise<unknown>>;
  if (typeof mod[fn] === 'function') {
    console.log('');
    await mod[fn]();
  }
}
