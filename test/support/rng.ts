/** Re-export: the seeded PRNG lives in src/util/rng.ts (the replay server uses it). */
export { seededRandom } from '../../src/util/rng.js';
