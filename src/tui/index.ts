/** The watch screen's public surface: a feed goes in (feed.ts), startWatch shows it. */
export type { WatchFeed, WatchUpdate, WatchStatus, WatchSource, WatchWindow, FlowRow, FlowSnapshot } from './feed.js';
export { WATCH_WINDOWS } from './feed.js';
export type { WatchFilters } from './filters.js';
export { tradeFilter } from './filters.js';
export { startWatch, type StartWatchOptions, type WatchHandle } from './mount.js';
export { WatchApp, type WatchAppProps } from './WatchApp.js';
export { writeTradeLines } from './write-lines.js';
export { ndjsonLine, plainLine } from './lines.js';
export { rankFlows } from './flow-rows.js';
