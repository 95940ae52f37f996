/**
 * What the watch screen costs, on real trades (every bundled fixture decoded and run through the
 * flow engine, see test/tui/support.ts).
 *
 * 1. Render cost per frame: the full screen (120×40, tape full, flows and signals) re-rendered
 *    with 20 new trades on top each frame, through Ink into a discarding terminal. Baseline, same
 *    process: Ink rendering one <Text> holding the same screen as plain lines (the floor any Ink
 *    screen of that size pays).
 * 2. Highest trade rate it keeps up with: a feed delivers trades every 10 ms at a target rate
 *    into the real app (coalescing hook, reducer, Ink at 10 fps) for BENCH_WATCH_SECONDS each.
 *    It keeps up when every batch reached the screen within 250 ms of its first trade and the
 *    main thread stayed at most 80% busy (room left for a pipeline on the same thread; the
 *    longest the producer's timer was held up is printed too). Baseline, same process: the same
 *    feed and hook into a screen that draws only a counter, so the difference is the screen's.
 *
 *   npm run bench                            (with the other benches)
 *   npx tsx test/bench/watch-render.ts       (alone)
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { Text, render } from 'ink';
import { createElement as h, useReducer } from 'react';
import type { ClassifiedTrade } from '../../src/core/flow/types.js';
import type { Batch } from '../../src/tui/coalesce.js';
import type { WatchFeed, WatchUpdate } from '../../src/tui/feed.js';
import { plainLine } from '../../src/tui/lines.js';
import { initialState, reduce, visibleRows, type WatchState } from '../../src/tui/model.js';
import { ThemeContext } from '../../src/tui/theme.js';
import { useCoalescedFeed } from '../../src/tui/use-coalesced-feed.js';
import { WatchApp } from '../../src/tui/WatchApp.js';
import { WatchScreen } from '../../src/tui/WatchScreen.js';
import { fixtureScript } from '../tui/support.js';
import { COLUMNS, IdleStdin, ROWS, SinkTty } from './tty-sink.js';



let serial = 0;
/** A real trade under a fresh signature: the tape keys rows by (signature, ixPath). */
const fresh = (t: ClassifiedTrade): ClassifiedTrade => ({ ...t, signature: `${t.signature}${++serial}` });

const quantile = (xs: number[], q: number) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))] : 0);

// --- 1. render cost per frame ------------------------------------------------------------------

function frameStates(pool: ClassifiedTrade[], last: WatchUpdate, frames: number): WatchState[] {
  let s = initialState();
  const batch = (trades: ClassifiedTrade[]): Batch => ({ trades, accepted: trades.length, flows: {}, signals: [], status: null });
  s = reduce(s, { type: 'batch', batch: { ...batch(pool.slice(0, 60).map(fresh)), flows: Object.fromEntries(last.flows!.map((f) => [f.window, f])), signals: [...last.signals!], status: last.status! } });
  const out: WatchState[] = [];
  for (let i = 0; i < frames; i++) {
    const next = Array.from({ length: 20 }, (_, k) => fresh(pool[(i * 20 + k) % pool.length]));
    out.push((s = reduce(s, { type: 'batch', batch: batch(next) })));
  }
  return out;
}

/**
 * Milliseconds per frame: React's commit plus Ink's layout, output and write, all synchronous
 * here (maxFps 0 renders on every commit; debug mode is not used, it costs far more).
 */
function timeFrames(tree: (s: WatchState) => React.ReactElement, states: WatchState[]): { total: number; output: number } {
  const sink = new SinkTty();
  let output = 0;
  let renders = 0;
  const onRender = ({ renderTime }: { renderTime: number }) => {
    output += renderTime;
    renders++;
  };
  const ink = render(tree(states[0]), { stdout: sink as never, stdin: new IdleStdin() as never, maxFps: 0, patchConsole: false, exitOnCtrlC: false, onRender });
  const warm = Math.min(50, states.length >> 2);
  for (let i = 0; i < warm; i++) ink.rerender(tree(states[i]));
  output = 0;
  renders = 0;
  const start = performance.now();
  for (let i = warm; i < states.length; i++) ink.rerender(tree(states[i]));
  const total = (performance.now() - start) / (states.length - warm);
  ink.unmount();
  if (renders < states.length - warm) throw new Error(`bench: ${renders} Ink renders for ${states.length - warm} frames`);
  return { total, output: output / renders };
}

function renderCost(pool: ClassifiedTrade[], last: WatchUpdate) {
  const states = frameStates(pool, last, 200);
  const theme = { color: true };
  const ours = timeFrames((s) => h(ThemeContext.Provider, { value: theme }, h(WatchScreen, { state: s, columns: COLUMNS, rows: ROWS })), states);
  // The baseline draws the same trades as plain text in one node.
  const text = states.map((s) => visibleRows(s, ROWS).map((t) => plainLine(t).slice(0, COLUMNS)).join('\n'));
  let i = 0;
  const baseline = timeFrames(() => h(Text, null, text[i++ % text.length]), states);
  return { ours, baseline };
}

// --- 2. highest trade rate ---------------------------------------------------------------------

class RateFeed implements WatchFeed {
  private listener: ((u: WatchUpdate) => void) | null = null;
  subscribe(l: (u: WatchUpdate) => void) {
    this.listener = l;
    return () => (this.listener = null);
  }
  emit(u: WatchUpdate) {
    this.listener?.(u);
  }
}

/** The baseline screen: same feed, same hook and reducer, draws a counter. */
function Counter({ feed, onFlush }: { feed: WatchFeed; onFlush: (b: Batch, waited: number) => void }) {
  const [s, dispatch] = useReducer(reduce, undefined, () => initialState());
  useCoalescedFeed(feed, (batch) => dispatch({ type: 'batch', batch }), { intervalMs: 100, tapeCap: 1000, signalCap: 50, accept: () => true, onFlush });
  return h(Text, null, `${s.accepted} trades`);
}

interface RateRun {
  target: number;
  achieved: number;
  frames: number;
  waitP50: number;
  waitMax: number;
  /** Longest a 10 ms producer tick came late: how long the screen held the thread at once. */
  lateMax: number;
  elu: number;
  keepsUp: boolean;
}

async function runAt(rate: number, seconds: number, pool: ClassifiedTrade[], last: WatchUpdate, screen: 'watch' | 'counter'): Promise<RateRun> {
  const sink = new SinkTty();
  const feed = new RateFeed();
  const waits: number[] = [];
  let applied = 0;
  const onFlush = (b: Batch, waited: number) => {
    applied += b.accepted;
    waits.push(waited);
  };
  const tree = screen === 'watch' ? h(WatchApp, { feed, color: true, keys: false, onFlush }) : h(Counter, { feed, onFlush });
  const ink = render(tree, { stdout: sink as never, stdin: new IdleStdin() as never, patchConsole: false, exitOnCtrlC: false, maxFps: 10 });
  feed.emit({ flows: last.flows, signals: last.signals, status: last.status });
  const tickMs = 10;
  let delivered = 0;
  let k = 0;
  let lateMax = 0;
  let lastTick = performance.now();
  const start = lastTick;
  const elu0 = performance.eventLoopUtilization();
  await new Promise<void>((done) => {
    const timer = setInterval(() => {
      const now = performance.now();
      lateMax = Math.max(lateMax, now - lastTick - tickMs);
      lastTick = now;
      const elapsed = now - start;
      if (elapsed >= seconds * 1000) {
        clearInterval(timer);
        done();
        return;
      }
      // Catch up to the target by wall clock: a late tick delivers more, as a live source would.
      const due = Math.floor((rate * Math.min(elapsed, seconds * 1000)) / 1000) - delivered;
      if (due <= 0) return;
      const trades = new Array<ClassifiedTrade>(due);
      for (let i = 0; i < due; i++) trades[i] = fresh(pool[k++ % pool.length]);
      delivered += due;
      feed.emit({ trades, status: { ...last.status!, tradesSeen: delivered, tradesPerSec: rate } });
    }, tickMs);
  });
  const elu = performance.eventLoopUtilization(elu0).utilization;
  const elapsed = (performance.now() - start) / 1000;
  const frames = waits.length / elapsed;
  // Everything delivered reaches the screen once the feed stops (the last batch, one frame on).
  await new Promise((r) => setTimeout(r, 400));
  ink.unmount();
  if (applied !== delivered) throw new Error(`bench: ${delivered} trades delivered, ${applied} applied`);
  const waitMax = Math.max(0, ...waits);
  return { target: rate, achieved: delivered / elapsed, frames, waitP50: quantile(waits, 0.5), waitMax, lateMax, elu, keepsUp: waitMax <= 250 && elu <= 0.8 };
}

/**
 * The figures are for React's production build, the one watch must run with (src/tui/load.ts).
 * Started without NODE_ENV=production (as `npm run bench` is), this prints the development
 * build's frame cost for comparison and runs the rest in a child process that has it.
 */
export async function benchWatchRender(): Promise<Record<string, number>> {
  if (process.env.NODE_ENV !== 'production') {
    const script = fixtureScript();
    const states = frameStates(script.trades, script.updates[script.updates.length - 1], 24);
    const theme = { color: true };
    const dev = timeFrames((s) => h(ThemeContext.Provider, { value: theme }, h(WatchScreen, { state: s, columns: COLUMNS, rows: ROWS })), states);
    console.log(`watch render: React development build (NODE_ENV unset): ${dev.total.toFixed(1)} ms per full-screen frame; production build follows`);
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
    const code = await new Promise<number | null>((r) => child.on('exit', r));
    if (code !== 0) throw new Error(`watch render bench (production build) exited ${code}`);
    return { devFrameMs: dev.total };
  }
  const script = fixtureScript();
  const pool = script.trades;
  const last = script.updates[script.updates.length - 1];
  const seconds = Number(process.env.BENCH_WATCH_SECONDS ?? 2);
  console.log(`watch render: ${pool.length} real trades (fixtures through the flow engine), ${COLUMNS}×${ROWS}, React ${process.env.NODE_ENV === 'production' ? 'production' : 'development'} build`);

  const cost = renderCost(pool, last);
  const line = (label: string, c: { total: number; output: number }) =>
    `  ${label.padEnd(44)}${c.total.toFixed(2).padStart(7)} ms  (Ink output ${c.output.toFixed(2)} ms, React ${(c.total - c.output).toFixed(2)} ms)`;
  console.log(line('frame, full screen (20 new trades on top)', cost.ours));
  console.log(line('frame, same text as one <Text> (baseline)', cost.baseline) + `   ratio ${(cost.ours.total / cost.baseline.total).toFixed(2)}×`);

  const rates = (process.env.BENCH_WATCH_RATES ?? '1000,2000,5000,10000,20000,50000,100000,200000').split(',').map(Number);
  console.log(`  feed → screen, ${seconds}s per rate (keeps up: every batch on screen within 250 ms, main thread <= 80% busy)`);
  console.log('    target/s   screen      achieved/s  frames/s  wait p50/max ms  producer late max  loop busy');
  let best = 0;
  let bestBase = 0;
  for (const rate of rates) {
    for (const screen of ['watch', 'counter'] as const) {
      const r = await runAt(rate, seconds, pool, last, screen);
      if (r.keepsUp && screen === 'watch') best = Math.max(best, rate);
      if (r.keepsUp && screen === 'counter') bestBase = Math.max(bestBase, rate);
      console.log(
        `    ${String(rate).padStart(8)}   ${(screen === 'watch' ? 'watch' : 'counter*').padEnd(10)}  ${r.achieved.toFixed(0).padStart(10)}  ${r.frames.toFixed(1).padStart(8)}  ${r.waitP50.toFixed(0).padStart(6)}/${r.waitMax.toFixed(0).padEnd(8)}  ${(r.lateMax.toFixed(0) + ' ms').padStart(17)}  ${(r.elu * 100).toFixed(0).padStart(8)}%${r.keepsUp ? '' : '   falls behind'}`,
      );
    }
  }
  console.log('    (* baseline: same feed, hook and reducer; draws a counter)');
  console.log(`  highest rate kept up: watch ${best ? best.toLocaleString('en-US') : '<' + rates[0]}/s, baseline ${bestBase ? bestBase.toLocaleString('en-US') : '<' + rates[0]}/s (of the rates tried)`);
  return { frameMs: cost.ours.total, baselineFrameMs: cost.baseline.total, keepsUpPerSec: best, baselineKeepsUpPerSec: bestBase };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await benchWatchRender();
}
