/**
 * The one logger of long-running commands (ingest). Two shapes:
 *
 * - plain: `2026-12-04T13:50:26.123Z INFO  reconnected source=websocket attempt=2`
 * - json (`--json`, for log shippers): one object per line,
 *   `{"time":"…","level":"info","msg":"reconnected","source":"websocket","attempt":2}`
 *   (a field named time/level/msg is written as field_time… rather than overwrite those).
 *
 * Everything written — message and every field, nested ones too — passes through the redaction
 * in src/util/redact.ts, plus literal replacement of the secrets the command knows (`secrets`),
 * plus blanking of fields whose name says they are a credential.
 *
 * A status line (status.ts) may own the terminal's last line: the logger clears it before each
 * record and has it redrawn after, so records never land in the middle of it.
 */
import { cleanFields, cleanText, formatPairs, oneLine, type Fields } from './fields.js';

export type Level = 'debug' | 'info' | 'warn' | 'error';
const RANK: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };
export const LEVELS = Object.keys(RANK) as Level[];

export interface LogStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** Something drawn on the stream that log records must not overwrite (the status line). */
export interface Overlay {
  clear(): void;
  redraw(): void;
}

export interface LoggerOptions {
  /** Default process.stderr. */
  stream?: LogStream;
  json?: boolean;
  /** Lowest level written; default 'info'. */
  level?: Level;
  /** Values to blank wherever they appear (an x-token, a password from the environment). */
  secrets?: readonly string[];
  now?: () => Date;
}

export interface Logger {
  readonly json: boolean;
  readonly stream: LogStream;
  debug(msg: string, fields?: Fields): void;
  info(msg: string, fields?: Fields): void;
  warn(msg: string, fields?: Fields): void;
  error(msg: string, fields?: Fields): void;
  /** A logger that adds `fields` to every record (same stream, level, overlay). */
  child(fields: Fields): Logger;
  /** Learn one more secret to blank (e.g. read after start-up). */
  addSecret(secret: string): void;
  setOverlay(overlay: Overlay | null): void;
}

export function createLogger(opts: LoggerOptions = {}): Logger {
  const shared = {
    stream: opts.stream ?? process.stderr,
    json: opts.json ?? false,
    min: RANK[opts.level ?? 'info'],
    secrets: [...(opts.secrets ?? [])],
    now: opts.now ?? (() => new Date()),
    overlay: null as Overlay | null,
  };

  function write(level: Level, msg: string, fields: Fields): void {
    if (RANK[level] < shared.min) return;
    const text = oneLine(cleanText(String(msg), shared.secrets));
    const clean = cleanFields(fields, shared.secrets);
    const time = shared.now().toISOString();
    let line: string;
    if (shared.json) {
      const record: Fields = { time, level, msg: text };
      for (const [k, v] of Object.entries(clean)) record[k in record ? `field_${k}` : k] = v;
      line = JSON.stringify(record);
    } else {
      const pairs = oneLine(formatPairs(clean));
      line = `${time} ${level.toUpperCase().padEnd(5)} ${text}${pairs ? ` ${pairs}` : ''}`;
    }
    shared.overlay?.clear();
    shared.stream.write(`${line}\n`);
    shared.overlay?.redraw();
  }

  function make(base: Fields): Logger {
    const at = (level: Level) => (msg: string, fields?: Fields) => write(level, msg, { ...base, ...fields });
    return {
      json: shared.json,
      stream: shared.stream,
      debug: at('debug'),
      info: at('info'),
      warn: at('warn'),
      error: at('error'),
      child: (fields) => make({ ...base, ...fields }),
      addSecret(secret) {
        shared.secrets.push(secret);
      },
      setOverlay(overlay) {
        shared.overlay = overlay;
      },
    };
  }
  return make({});
}

export function parseLevel(text: string): Level {
  const level = text.toLowerCase() as Level;
  if (!(level in RANK)) throw new Error(`log level must be one of ${LEVELS.join(', ')}, not "${text}"`);
  return level;
}
