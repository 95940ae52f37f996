/**
 * `npx vite-node test/bench/backfill-main.ts`: the backfill benchmark on its own;
 * `… backfill-main.ts --matrix`: the learned limit against other endpoints (see backfill.ts).
 */
import { benchBackfill, benchBackfillMatrix } from './backfill.js';

if (process.argv.includes('--matrix')) await benchBackfillMatrix();
else await benchBackfill();
