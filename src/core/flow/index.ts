export { createFlowEngine } from './engine.js';
export type { FlowEngine, EngineStats, PushOptions } from './engine.js';
export { DEFAULT_OPTIONS, mergeOptions } from './options.js';
export type { EngineOptions, EngineOptionsInput, BotOptions, SignalOptions } from './options.js';
export { SIGNAL_DEFS } from './signals.js';
export * from './types.js';
