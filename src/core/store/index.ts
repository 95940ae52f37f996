/** The Store interface (src/core/store/types.ts) and the shapes it speaks in. */
export * from './types.js';
export * from './reports.js';
export * from './prune.js';
