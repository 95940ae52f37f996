/** Re-export: the synthetic chain lives in src/replay (solflow demo --watch serves it). */
export * from '../../../src/replay/chain.js';
