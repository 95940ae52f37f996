/**
 * The status of a long-running command, shown where it fits:
 *
 * - on a terminal (and not in --json mode): one line at the bottom, redrawn in place
 *   (`\r` + clear-line, cut to the terminal's width so it never wraps), at most every
 *   `minRedrawMs` however often `refresh()` is called, and every `refreshMs` regardless. Log
 *   records clear it first and redraw it after (see Overlay in logger.ts);
 * - anywhere else (a pipe, journald, a file, or --json): no escape code ever; a summary record
 *   through the logger every `summaryEveryMs` (a minute by default).
 *
 * What it says comes from the `fields` callback (slot, lag, trades/s, reconnects...).
 */
import { cleanText, oneLine } from './fields.js';
import type { Logger, LogStream } from './logger.js';

export type StatusFields = Record<string, string | number | boolean | null | undefined>;

export interface StatusOptions {
  logger: Logger;
  fields: () => StatusFields;
  /** Draw in place? Default: the logger's stream is a TTY and the logger is not in JSON mode. */
  tty?: boolean;
  /** Secrets to blank in the line (the logger's own are applied to summary records). */
  secrets?: readonly string[];
  /** TTY: redraw at least this often; default 1000 ms. */
  refreshMs?: number;
  /** TTY: redraw at most this often; default 100 ms. */
  minRedrawMs?: number;
  /** Off a TTY: a summary record this often; default 60 000 ms. */
  summaryEveryMs?: number;
  /** The summary record's message; default 'status'. */
  summaryMessage?: string;
  now?: () => number;
}

export interface StatusLine {
  readonly tty: boolean;
  /** Something changed: redraw soon (throttled). No-op off a TTY. */
  refresh(): void;
  /** Stop the timers; on a TTY, clear the line. */
  stop(): void;
}

const CLEAR_LINE = '\r\x1b[2K';

export function startStatusLine(opts: StatusOptions): StatusLine {
  const stream = opts.logger.stream;
  const tty = opts.tty ?? (stream.isTTY === true && !opts.logger.json);
  return tty ? startTtyLine(opts, stream) : startSummaries(opts);
}

function startSummaries(opts: StatusOptions): StatusLine {
  const every = opts.summaryEveryMs ?? 60_000;
  const timer = setInterval(() => {
    const fields = readFields(opts);
    if (fields) opts.logger.info(opts.summaryMessage ?? 'status', fields);
  }, every);
  timer.unref();
  return {
    tty: false,
    refresh() {},
    stop() {
      clearInterval(timer);
    },
  };
}

function startTtyLine(opts: StatusOptions, stream: LogStream): StatusLine {
  const now = opts.now ?? Date.now;
  const minRedraw = opts.minRedrawMs ?? 100;
  const secrets = opts.secrets ?? [];
  let shown: string | null = null;
  let lastDraw = -Infinity;
  let pending: NodeJS.Timeout | null = null;
  let stopped = false;

  const write = (text: string) => {
    stream.write(`${CLEAR_LINE}${text}`);
    shown = text;
  };
  const draw = () => {
    if (stopped) return;
    if (pending) {
      clearTimeout(pending);
      pending = null;
    }
    const fields = readFields(opts);
    if (!fields) return;
    lastDraw = now();
    write(fitWidth(oneLine(cleanText(formatStatus(fields), secrets)), stream.columns));
  };
  const overlay = {
    clear() {
      if (shown !== null) stream.write(CLEAR_LINE);
    },
    redraw() {
      if (shown !== null && !stopped) write(fitWidth(shown, stream.columns));
    },
  };
  opts.logger.setOverlay(overlay);
  const timer = setInterval(draw, opts.refreshMs ?? 1000);
  timer.unref();
  draw();

  return {
    tty: true,
    refresh() {
      if (stopped || pending) return;
      const wait = lastDraw + minRedraw - now();
      if (wait <= 0) return draw();
      pending = setTimeout(draw, wait);
      pending.unref();
    },
    stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      if (pending) clearTimeout(pending);
      opts.logger.setOverlay(null);
      if (shown !== null) stream.write(CLEAR_LINE);
      shown = null;
    },
  };
}

function readFields(opts: StatusOptions): StatusFields | null {
  try {
    return opts.fields();
  } catch {
    // A status that cannot be computed this time is skipped, not fatal to the command.
    return null;
  }
}

/** `slot 250000123 | lag 2 | trades/s 143.2` — absent values show as `-`. */
export function formatStatus(fields: StatusFields): string {
  return Object.entries(fields)
    .map(([k, v]) => `${k} ${v === null || v === undefined ? '-' : typeof v === 'number' ? formatNumber(v) : String(v)}`)
    .join(' | ');
}

function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return '-';
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

/**
 * Cut to one column less than the terminal, so the cursor never reaches the last column (where
 * some terminals wrap at once). Counted in code points; status text is ASCII in practice.
 */
export function fitWidth(text: string, columns: number | undefined): string {
  const width = Math.max(1, (columns && columns > 0 ? columns : 80) - 1);
  const chars = [...text];
  if (chars.length <= width) return text;
  return width === 1 ? chars[0] : `${chars.slice(0, width - 1).join('')}~`;
}
