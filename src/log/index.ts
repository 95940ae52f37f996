export { createLogger, parseLevel, LEVELS, type Level, type Logger, type LoggerOptions, type LogStream, type Overlay } from './logger.js';
export { startStatusLine, formatStatus, fitWidth, type StatusFields, type StatusLine, type StatusOptions } from './status.js';
export { createRate, type Rate } from './rate.js';
export type { Fields } from './fields.js';
