/**
 * A WatchFeed over a database another process writes: polls for the trades committed past the
 * last key seen (Store.trades.after: an index seek, never a scan), a few times a second, on a
 * read-only store. Each poll is a handful of short statements with no transaction held between
 * them, so the writer, its checkpoints and prune never wait on watch. Flows and signals come
 * from the database's own token_metrics and signals, the sparklines from its trades (store-flows.ts).
 */
import type { ClassifiedTrade, Signal } from '../core/flow/types.js';
import type { KeyedTrade, Store } from '../core/store/types.js';
import type { FlowSnapshot, WatchFeed, WatchStatus, WatchUpdate } from '../tui/feed.js';
import { tradeKey } from '../tui/filters.js';
import { createRate } from './rate.js';
import { createSeen } from './seen.js';
import { recentSignals, signalKey, storedFlows, storedSparks } from './store-flows.js';

export interface TailFeedOptions {
  /** Opened read-only by the caller, who closes it after close(). */
  store: Store;
  /** What the header names as the source. */
  path: string;
  /** Trades in the first update: a screenful for the tape; 0 for --ndjson without --backlog. */
  initial: number;
  /** Time between polls (default 300 ms). */
  pollMs?: number;
  /** Rows per read (default 2,000); a busy writer is caught up in several reads per poll. */
  pageSize?: number;
  /** Flows and signals are re-read at most this often (default 1,000 ms). */
  flowsMs?: number;
  /** A read failed for good (not a passing busy): the command ends watch with it. */
  onFatal?: (err: Error) => void;
}

export interface TailFeed extends WatchFeed {
  /** Stop polling; resolves once no read is in flight (then the store may be closed). */
  close(): Promise<void>;
}

const SIGNALS_SHOWN = 20;
/** How long a notice stays in the header. */
const NOTICE_MS = 10_000;
/** Reads in one poll before yielding to the event loop (and the screen). */
const PAGES_PER_POLL = 10;
/**
 * How far back a reader steps when the rows at its key were deleted and the keys reused: rows
 * reused below this are not seen (a prune that removes more than this many newest rows).
 */
const STEP_BACK = 20_000;
const TRANSIENT = new Set(['SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_LOCKED', 'SQLITE_BUSY_RECOVERY']);

export function createTailFeed(o: TailFeedOptions): TailFeed {
  const { store } = o;
  const pollMs = o.pollMs ?? 300;
  const pageSize = o.pageSize ?? 2000;
  const flowsMs = o.flowsMs ?? 1000;
  const listeners = new Set<(u: WatchUpdate) => void>();
  const seenTrades = createSeen();
  const seenSignals = createSeen(10_000);
  const symbols = new Map<string, string>();
  const rate = createRate();

  let lastKey = 0;
  /** The (signature, ixPath) of the row at lastKey, or null when lastKey names no row read. */
  let lastTradeKey: string | null = null;
  let tradesSeen = 0;
  let newestDeliveredSlot: number | null = null;
  let lagSeconds: number | null = null;
  let notice: string | null = null;
  let noticeAt = 0;
  let lastFlowsAt = 0;
  let failures = 0;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let stopped = false;
  let initialized = false;

  const say = (text: string) => {
    notice = text;
    noticeAt = Date.now();
  };
  const emit = (u: WatchUpdate) => {
    for (const l of listeners) l(u);
  };

  function take(rows: KeyedTrade[], now: number): ClassifiedTrade[] {
    const out: ClassifiedTrade[] = [];
    for (const r of rows) {
      if (r.key > lastKey) {
        lastKey = r.key;
        lastTradeKey = tradeKey(r.trade);
      }
      if (!seenTrades.add(tradeKey(r.trade))) continue;
      out.push(r.trade);
      if (r.trade.slot !== null && (newestDeliveredSlot === null || r.trade.slot > newestDeliveredSlot)) newestDeliveredSlot = r.trade.slot;
    }
    if (rows.length) lagSeconds = Math.max(0, (now - rows[rows.length - 1].insertedAt) / 1000);
    tradesSeen += out.length;
    rate.add(out.length, now);
    return out;
  }

  async function status(): Promise<WatchStatus> {
    if (notice !== null && Date.now() - noticeAt > NOTICE_MS) notice = null;
    const { maxSlot, maxTime } = await store.trades.extent();
    const behind = maxSlot !== null && newestDeliveredSlot !== null ? Math.max(0, maxSlot - newestDeliveredSlot) : null;
    return {
      source: { kind: 'db', path: o.path },
      newestSlot: maxSlot,
      newestTime: maxTime,
      lag: { behind: 'writer', slots: behind, seconds: lagSeconds === null ? null : Math.round(lagSeconds * 10) / 10 },
      tradesSeen,
      tradesPerSec: rate.perSecond(),
      notice,
    };
  }

  async function flowsAndSignals(): Promise<{ flows: FlowSnapshot[]; signals: Signal[] }> {
    lastFlowsAt = Date.now();
    const flows = await storedFlows(store);
    await storedSparks(store, flows);
    for (const f of flows) for (const r of f.rows) if (r.symbol) symbols.set(r.mint, r.symbol);
    const signals = (await recentSignals(store, SIGNALS_SHOWN)).filter((s) => seenSignals.add(signalKey(s)));
    return { flows, signals };
  }

  async function first(): Promise<void> {
    const page = await store.trades.latest(o.initial);
    const trades = take(page.trades, Date.now());
    // With no backlog wanted, start past everything stored now (the row at maxKey, read once).
    if (page.maxKey !== null && page.maxKey > lastKey) {
      const at = await store.trades.after(page.maxKey - 1, 1);
      lastKey = page.maxKey;
      lastTradeKey = at.trades[0]?.key === page.maxKey ? tradeKey(at.trades[0].trade) : null;
    }
    const { flows, signals } = await flowsAndSignals();
    emit({ trades, flows, signals, status: await status() });
    initialized = true;
  }

  async function poll(): Promise<void> {
    const trades: ClassifiedTrade[] = [];
    let gotNew = false;
    for (let i = 0; i < PAGES_PER_POLL; i++) {
      // Read from the last key seen itself: its row coming back unchanged proves the keys below
      // the new rows were not deleted and reused underneath (prune removing the newest rows).
      const checking = lastTradeKey !== null;
      const page = await store.trades.after(checking ? lastKey - 1 : lastKey, pageSize);
      const head = page.trades[0];
      if (checking && (!head || head.key !== lastKey || tradeKey(head.trade) !== lastTradeKey)) {
        // Step back and read forward again; `seenTrades` drops what was delivered already.
        lastKey = Math.max(0, lastKey - STEP_BACK);
        lastTradeKey = null;
        say('database was pruned underneath; re-read the newest rows');
        gotNew = true;
        continue;
      }
      const rows = checking ? page.trades.slice(1) : page.trades;
      trades.push(...take(rows, Date.now()));
      if (rows.length) gotNew = true;
      if (page.trades.length < pageSize) break;
    }
    const update: WatchUpdate = { trades };
    if (Date.now() - lastFlowsAt >= flowsMs && (gotNew || Date.now() - lastFlowsAt >= 5 * flowsMs)) {
      const fs = await flowsAndSignals();
      update.flows = fs.flows;
      if (fs.signals.length) update.signals = fs.signals;
    }
    update.status = await status();
    emit(update);
  }

  function schedule(step: () => Promise<void>, delay: number): void {
    if (stopped) return;
    timer = setTimeout(() => {
      timer = null;
      running = step().then(
        () => {
          failures = 0;
          schedule(poll, pollMs);
        },
        (err: Error & { code?: string }) => {
          failures++;
          if (TRANSIENT.has(err.code ?? '') || failures < 3) {
            say(`read failed (${err.message}); retrying`);
            schedule(initialized ? poll : first, pollMs * Math.min(failures, 10));
          } else {
            stopped = true;
            o.onFatal?.(err);
          }
        },
      );
    }, delay);
  }

  return {
    subscribe(listener) {
      listeners.add(listener);
      if (listeners.size === 1 && !stopped && timer === null && running === null) schedule(first, 0);
      return () => {
        listeners.delete(listener);
      };
    },
    symbolOf: (mint) => symbols.get(mint) ?? null,
    async close() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await running?.catch(() => {});
    },
  };
}
