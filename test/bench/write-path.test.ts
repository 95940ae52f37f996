import { expect, it } from 'vitest';
import { benchWritePath } from './write-path.js';

// Keeps the benchmark runnable; the numbers themselves come from `npm run bench`.
it('the write-path benchmark runs end to end on a small input', async () => {
  const r = await benchWritePath(3000);
  expect(r.trades).toBe(3000);
  for (const k of ['pipelineTradesPerSec', 'sameThreadTradesPerSec', 'writerAloneTradesPerSec', 'ceilingTradesPerSec', 'batchedCeilingTradesPerSec', 'buildingRowsTradesPerSec', 'keyOnlyCeilingTradesPerSec', 'engineOnlyTradesPerSec', 'pipelineCpuUsPerTrade', 'ceilingCpuUsPerTrade', 'engineCpuUsPerTrade', 'cores'] as const) {
    expect(r[k], k).toBeGreaterThan(0);
  }
  expect(r.ratio).toBeCloseTo(r.pipelineTradesPerSec / r.ceilingTradesPerSec, 6);
}, 60_000);
