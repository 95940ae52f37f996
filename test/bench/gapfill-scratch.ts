import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_LABELS_FILE } from '../../src/core/labels.js';
import { createPipeline } from '../../src/core/pipeline.js';
import { fillRange } from '../../src/jobs/fill.js';
import { createFrameReader } from '../../src/sources/live/frame-reader.js';
import { RpcClient } from '../../src/sources/rpc/client.js';
import { openStore } from '../../src/store/index.js';
import { startReplay } from '../support/replay/index.js';

const PROGRAMS = new Set(Object.entries(DEFAULT_LABELS_FILE.programs ?? {}).filter(([, p]) => ['dex', 'router', 'dca', 'limit'].includes(p.kind)).map(([id]) => id));
const blocks = Number(process.env.BLOCKS ?? 60);
const server = await startReplay({ copies: Math.ceil((blocks * 1.25 * 1250) / 155) + 2, txPerBlock: 1250 });
const dir = mkdtempSync(join(tmpdir(), 'gf-'));
const reader = createFrameReader({ programs: PROGRAMS, threads: Number(process.env.THREADS ?? 2) });
await reader.ready();
for (const mode of (process.env.MODES ?? 'workers,inline').split(',')) {
  const store = await openStore({ db: join(dir, `${mode}.db`) });
  const pipeline = await createPipeline({ store });
  const client = new RpcClient({ url: server.url, rps: process.env.RPS ? Number(process.env.RPS) : undefined });
  const from = server.chain.firstSlot;
  const to = server.chain.produced[Math.min(blocks, server.chain.produced.length) - 1];
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const r = await fillRange({ client, pipeline, range: [from, to], commitment: 'confirmed', readAnswer: mode === 'workers' ? (s, b) => reader.readBlockAnswer(s, b) : undefined });
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(c0);
  await pipeline.close();
  console.log(mode, `${to - from + 1} slots, ${r.checkpoint.counts.blocks} blocks, ${r.checkpoint.counts.transactions} tx, ${r.checkpoint.counts.trades} trades in ${ms.toFixed(0)} ms: ${(r.checkpoint.counts.blocks / (ms / 1000)).toFixed(1)} blocks/s; main-thread+workers cpu ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms; rate ${JSON.stringify(client.rate).slice(0, 120)}`);
  client.close();
  await store.close();
}
reader.close();
await server.close();
rmSync(dir, { recursive: true, force: true });
