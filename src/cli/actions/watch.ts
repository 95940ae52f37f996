/**
 * `solflow watch`: options → a feed (tailing the database, or the live pipeline run here) →
 * the screen (src/tui) until q, Ctrl-C, SIGTERM or a closed pipe, all exit 0. A failure that
 * ends watch is printed once the terminal is restored, as one line (exit 1).
 */
import { existsSync } from 'node:fs';
import type { Store } from '../../core/store/types.js';
import { openStore, resolveDbPath, isPostgresUrl } from '../../store/index.js';
import { loadWatch } from '../../tui/load.js';
import { WATCH_WINDOWS, type WatchWindow } from '../../tui/feed.js';
import type { WatchFilters } from '../../tui/filters.js';
import { EXIT, UsageError } from '../errors.js';
import { parseAddress, parsePositiveInt, parseRps } from '../options.js';

export interface WatchCliOptions {
  db?: string;
  rpc?: string;
  ws?: string;
  grpc?: string;
  xToken?: string;
  ndjson?: boolean;
  backlog?: string;
  mint?: string;
  wallet?: string;
  venue?: string;
  minSol?: string;
  botsOnly?: boolean;
  /** --no-bots sets this false. */
  bots?: boolean;
  dcaOnly?: boolean;
  window?: string;
  flowConfig?: string;
  rps?: string;
  verbose?: boolean;
}

/** The tape's first screenful when no --backlog is given. */
export const SCREENFUL = 200;

export function watchFilters(o: WatchCliOptions): WatchFilters {
  const f: WatchFilters = {};
  if (o.mint !== undefined) f.mint = parseAddress('--mint', o.mint);
  if (o.wallet !== undefined) f.wallet = parseAddress('--wallet', o.wallet);
  if (o.venue !== undefined) f.venue = o.venue;
  if (o.minSol !== undefined) {
    const n = Number(o.minSol);
    if (o.minSol.trim() === '' || !Number.isFinite(n) || n < 0) throw new UsageError(`bad --min-sol '${o.minSol}': expected a number of SOL >= 0`);
    f.minSol = n;
  }
  if (o.botsOnly) f.botsOnly = true;
  if (o.bots === false) f.noBots = true;
  if (o.dcaOnly) f.dcaOnly = true;
  if (f.botsOnly && f.noBots) throw new UsageError('--bots-only and --no-bots exclude each other');
  return f;
}

function parseWindow(text: string | undefined): WatchWindow {
  const w = (text ?? '5m') as WatchWindow;
  if (!WATCH_WINDOWS.includes(w)) throw new UsageError(`bad --window '${text}': expected one of ${WATCH_WINDOWS.join(', ')}`);
  return w;
}

export async function runWatchCommand(opts: WatchCliOptions, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const filters = watchFilters(opts);
  const window = parseWindow(opts.window);
  const backlog = opts.backlog === undefined ? null : parsePositiveInt('--backlog', opts.backlog, 100_000);
  if (opts.grpc !== undefined && opts.rpc === undefined) throw new UsageError('--grpc needs --rpc too (the HTTP endpoint catch-up and gaps are fetched from)');
  if ((opts.ws !== undefined || opts.xToken !== undefined || opts.rps !== undefined) && opts.rpc === undefined) throw new UsageError('--ws, --x-token and --rps go with --rpc (watch tails the database without them)');
  const rps = parseRps(opts.rps);
  // The screen starts with a screenful; --ndjson only with what is stored from now on.
  const initial = backlog ?? (opts.ndjson ? 0 : SCREENFUL);
  if (opts.rpc !== undefined) {
    const { runLiveWatch } = await import('./watch-live.js');
    return runLiveWatch({ ...opts, rpc: opts.rpc, rps, filters, window, initial }, env);
  }
  return tailWatch(opts, filters, window, initial, env);
}

/** Read-only, never created: a missing file or another kind of file is said in one line. */
async function openForTail(path: string): Promise<Store> {
  if (!isPostgresUrl(path) && !existsSync(path)) throw new UsageError(`no database at ${path}; start \`solflow ingest\` or a backfill into it, or pass --db PATH`, EXIT.failure);
  try {
    return await openStore({ db: path, readonly: true });
  } catch (err) {
    const e = err as Error & { code?: string };
    if (e.code === 'SQLITE_NOTADB') throw new UsageError(`${path} is not a solflow database (not an SQLite file)`, EXIT.failure);
    if (/not a solflow database/.test(e.message)) throw new UsageError(e.message, EXIT.failure);
    throw err;
  }
}

async function tailWatch(opts: WatchCliOptions, filters: WatchFilters, window: WatchWindow, initial: number, env: NodeJS.ProcessEnv): Promise<number> {
  const path = resolveDbPath(opts.db, env);
  const store = await openForTail(path);
  try {
    const { createTailFeed } = await import('../../watch/tail-feed.js');
    const { startWatch } = await loadWatch();
    let fatal: Error | null = null;
    const feed = createTailFeed({
      store,
      path,
      initial,
      onFatal: (err) => {
        fatal = err;
        handle.stop();
      },
    });
    const handle = startWatch({ feed, filters, ndjson: opts.ndjson === true, window, env });
    const code = await handle.exited;
    await feed.close();
    if (fatal) throw new Error(`reading ${path}: ${(fatal as Error).message}`);
    return code;
  } finally {
    await store.close();
  }
}
