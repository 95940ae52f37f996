import { expect, it } from 'vitest';
import { benchWritePath } from './write-path.js';

// Keeps the benchmark runnable; the numbers themselves come from `npm run bench`.
it('the write-path benchmark runs end to end on a small input', async () => {
  const r = await benchWritePath(3000);
  expect(r.trades).toBe(3000);
  expect(r.pipelineTradesPerSec).toBeGreaterThan(0);
  expect(r.ceilingTradesPerSec).toBeGreaterThan(0);
}, 60_000);
