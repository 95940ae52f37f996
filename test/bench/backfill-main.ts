/** `npx vite-node test/bench/backfill-main.ts`: the backfill benchmark on its own. */
import { benchBackfill } from './backfill.js';

await benchBackfill();
