/**
 * Does the watch screen slow the pipeline down? `solflow watch --rpc` runs the live pipeline
 * (decode → flow engine → writer → SQLite) and the Ink screen on one thread; this runs that
 * pipeline twice per rate in the same process, once with no screen and once with the screen
 * attached as watch --rpc attaches it (createLiveFeed on the pipeline's onOutput, startWatch:
 * the coalescing hook, Ink at 10 fps into a discarding 120×40 terminal), and prints the ratios.
 *
 * Input: the bundled recordings (fixtures/tx) as the replay chain re-signs them
 * (src/replay/chain.ts: every copy is a distinct transaction), prepared before the clock starts,
 * handed to createPipeline().ingestTransactions one block at a time over a real SQLite file
 * (openStore, temp directory), as the live source hands over each block. Paced runs deliver a
 * block every BENCH_WATCH_PIPE_SLOT_MS (100, as the soak's chain does: 30 blocks in a 3 s run
 * give the quantiles something to work with; 400 is mainnet's slot) holding the trades due by
 * wall clock (a late block carries more, as a live source's would); "max" hands blocks over as fast
 * as the thread allows (yielding to timers between blocks, as a socket would), 1,000 trades each.
 * Before the clock starts, 12 blocks fill the engine's hold (lagSlots + sandwich look-ahead) so
 * each timed block releases an earlier one to the writer, as in a watch that has been running.
 *
 * Figures per run: trades/s decoded and committed; the ingest call's duration (decode, engine,
 * onOutput, queueing to the writer; p50/p99); commit latency, from the start of the ingest call
 * that released trades to the writer's commit of them (polled every 2 ms, the same poller in
 * both runs; includes the writer's 100 ms flush timer); CPU per trade (the whole process: user
 * + system); the main thread's busy share and the share of the wall clock inside ingest calls;
 * and with the screen, frames/s and the longest a batch waited to reach the screen.
 * Not included (the same with or without a screen): the source's socket and JSON parsing, and
 * runIngest's loop and metrics bookkeeping around the pipeline. On a loaded machine "max" is
 * bound by the share of a core the process gets, so compare it across repeats, not one pair.
 *
 *   npx tsx test/bench/watch-pipeline.ts     (alone; also run by `npm run bench`)
 * Knobs: BENCH_WATCH_PIPE_SECONDS (3 per run), BENCH_WATCH_PIPE_RATES (2000,5000,max),
 * BENCH_WATCH_PIPE_SLOT_MS (100).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { createPipeline, type TxEnvelope } from '../../src/core/pipeline.js';
import { decodeTransaction, type RawTransaction } from '../../src/core/decode/index.js';
import { createMetrics } from '../../src/metrics/index.js';
import { openStore } from '../../src/store/open.js';
import { loadWatch } from '../../src/tui/load.js';
import { createLiveFeed } from '../../src/watch/live-feed.js';
import { buildChain, FIXTURE_TX_DIR, loadTransactions, type BlockTx } from '../support/replay/index.js';
import { COLUMNS, IdleStdin, ROWS, SinkTty } from './tty-sink.js';

const MAX_BLOCK_TRADES = 1000;
const POLL_MS = 2;
const PRIME_BLOCKS = 12;


const quantile = (xs: number[], q: number) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))] : 0);

interface Source {
  /** Re-signed transactions in chain order, with how many trades each decodes to. */
  txs: BlockTx[];
  trades: number[];
}

/** Enough distinct transactions for `wanted` trades, from the replay chain's copies. */
function prepare(recordings: BlockTx[], perRecording: number[], wanted: number): Source {
  const perRound = perRecording.reduce((a, b) => a + b, 0);
  const copies = Math.max(1, Math.ceil(wanted / perRound));
  const chain = buildChain(recordings, { copies, txPerBlock: 256, skipEvery: 0 });
  const txs: BlockTx[] = [];
  const trades: number[] = [];
  for (const slot of chain.produced) {
    for (const tx of chain.blocks.get(slot)!.transactions) {
      trades.push(perRecording[txs.length % recordings.length]);
      txs.push(tx);
    }
  }
  return { txs, trades };
}

interface Run {
  label: string;
  screen: boolean;
  seconds: number;
  decodedPerSec: number;
  committedPerSec: number;
  callP50: number;
  callP99: number;
  commitP50: number;
  commitP99: number;
  cpuUsPerTrade: number;
  busy: number;
  /** Share of the wall clock spent inside ingest calls. */
  inIngest: number;
  /** Longest a producer timer came late (ms). */
  lateMax: number;
  framesPerSec: number | null;
  waitMax: number | null;
}

async function runOnce(src: Source, rate: number | 'max', seconds: number, slotMs: number, screen: boolean): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), 'solflow-watch-pipe-'));
  const store = await openStore({ db: join(dir, 'watch.db') });
  try {
    const metrics = createMetrics({ defaultMetrics: false });
    const feed = screen ? createLiveFeed({ source: { kind: 'rpc', url: 'http://127.0.0.1:1' }, snapshot: () => metrics.snapshot() }) : null;
    const pipeline = await createPipeline({ store, onOutput: feed ? (out) => feed.output(out) : undefined });
    const waits: number[] = [];
    const { startWatch } = await loadWatch();
    const sink = new SinkTty();
    const handle = feed
      ? startWatch({ feed, stdout: sink as never, stdin: new IdleStdin() as never, stderr: sink as never, handleSignals: false, env: { FORCE_COLOR: '1' }, onFlush: (_b, waited) => waits.push(waited) })
      : null;

    // Commit latency: each ingest call's start, against the committed count that covers it.
    const pending: Array<{ at: number; upTo: number }> = [];
    const commits: number[] = [];
    let handedOver = 0;
    const committed = () => {
      const c = pipeline.writer.counters();
      return c.written + c.duplicate + c.rejected;
    };
    const poller = setInterval(() => {
      const done = committed();
      const now = performance.now();
      while (pending.length && pending[0].upTo <= done) commits.push(now - pending.shift()!.at);
    }, POLL_MS);

    const calls: number[] = [];
    let next = 0;
    let decoded = 0;
    let slot = 320_000_000;
    const time0 = 1_760_000_000;
    const block = (tradeCount: number): TxEnvelope[] => {
      const out: TxEnvelope[] = [];
      const s = slot++;
      const blockTime = time0 + Math.floor(((s - 320_000_000) * slotMs) / 1000);
      for (let n = 0; n < tradeCount && next < src.txs.length; next++) {
        const t = src.txs[next];
        out.push({ txIndex: out.length, tx: { slot: s, blockTime, transaction: t.transaction, meta: t.meta, version: t.version } as RawTransaction });
        n += src.trades[next];
      }
      return out;
    };
    const ingest = async (envelopes: TxEnvelope[]) => {
      const at = performance.now();
      const r = await pipeline.ingestTransactions(envelopes);
      calls.push(performance.now() - at);
      decoded += r.received;
      handedOver += r.released + r.late;
      if (r.released + r.late > 0) pending.push({ at, upTo: handedOver });
    };

    // Prime the engine's hold (lagSlots + sandwich look-ahead: 11 slots by default) untimed, so
    // every timed block releases an earlier one as in a running watch; this also warms the JIT.
    const blockTrades = rate === 'max' ? MAX_BLOCK_TRADES : Math.max(1, Math.round((rate * slotMs) / 1000));
    for (let i = 0; i < PRIME_BLOCKS; i++) await ingest(block(blockTrades));
    await new Promise((r) => setTimeout(r, 300));
    calls.length = 0;
    commits.length = 0;
    pending.length = 0;
    waits.length = 0;
    const committedBefore = committed();
    decoded = 0;

    const cpu0 = process.cpuUsage();
    const elu0 = performance.eventLoopUtilization();
    const start = performance.now();
    const end = start + seconds * 1000;
    let lateMax = 0;
    if (rate === 'max') {
      while (performance.now() < end && next < src.txs.length) {
        await ingest(block(MAX_BLOCK_TRADES));
        const before = performance.now();
        await yieldToLoop();
        lateMax = Math.max(lateMax, performance.now() - before);
      }
    } else {
      let due = start + slotMs;
      while (due <= end) {
        const wait = due - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        const now = performance.now();
        lateMax = Math.max(lateMax, now - due);
        const owed = Math.floor((rate * Math.min(now - start, seconds * 1000)) / 1000) - decoded;
        if (owed > 0) await ingest(block(owed));
        due += slotMs;
      }
    }
    const elapsed = (performance.now() - start) / 1000;
    const committedInRun = committed() - committedBefore;
    const cpu = process.cpuUsage(cpu0);
    const busy = performance.eventLoopUtilization(elu0).utilization;
    const frames = waits.length / elapsed;
    const waitMax = waits.length ? Math.max(...waits) : null;

    // Let the last commits land (not timed), then shut down as watch does: screen, pipeline, feed.
    await new Promise((r) => setTimeout(r, 250));
    clearInterval(poller);
    if (next >= src.txs.length && rate !== 'max') throw new Error('bench: the prepared transactions ran out before the run ended');
    handle?.stop();
    await handle?.exited;
    const summary = await pipeline.close();
    feed?.close();
    if (summary.decodeErrors > 0) throw new Error(`bench: ${summary.decodeErrors} fixture transactions failed to decode`);
    return {
      label: String(rate),
      screen,
      seconds: elapsed,
      decodedPerSec: decoded / elapsed,
      committedPerSec: committedInRun / elapsed,
      callP50: quantile(calls, 0.5),
      callP99: quantile(calls, 0.99),
      commitP50: quantile(commits, 0.5),
      commitP99: quantile(commits, 0.99),
      cpuUsPerTrade: (cpu.user + cpu.system) / Math.max(1, decoded),
      busy,
      inIngest: calls.reduce((a, b) => a + b, 0) / 1000 / elapsed,
      lateMax,
      framesPerSec: screen ? frames : null,
      waitMax: screen ? waitMax : null,
    };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const ratio = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(2)}×` : '—');

/**
 * The screen must run with React's production build (src/tui/load.ts). A process that has
 * already loaded React's development build (`npm run bench` runs the render bench first) cannot
 * switch, so this runs itself in a child that sets NODE_ENV=production before anything loads.
 */
export async function benchWatchPipeline(): Promise<Run[]> {
  if (process.env.NODE_ENV !== 'production') {
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], {
      stdio: 'inherit',
      env: { ...process.env, NODE_ENV: 'production', CI: '0', CONTINUOUS_INTEGRATION: '0' },
    });
    const code = await new Promise<number | null>((r) => child.on('exit', r));
    if (code !== 0) throw new Error(`watch pipeline bench exited ${code}`);
    return [];
  }
  const seconds = Number(process.env.BENCH_WATCH_PIPE_SECONDS ?? 3);
  const slotMs = Number(process.env.BENCH_WATCH_PIPE_SLOT_MS ?? 100);
  const rates = (process.env.BENCH_WATCH_PIPE_RATES ?? '2000,5000,max').split(',').map((r) => (r.trim() === 'max' ? 'max' : Number(r))) as Array<number | 'max'>;
  const recordings = loadTransactions(FIXTURE_TX_DIR);
  const perRecording = recordings.map((tx) => {
    try {
      return decodeTransaction({ slot: 1, blockTime: 1, ...tx } as unknown as RawTransaction).length;
    } catch {
      return 0;
    }
  });
  const perRound = perRecording.reduce((a, b) => a + b, 0);
  // "max" gets room for 40,000 trades/s; a paced run needs its rate plus a margin.
  const wanted = Math.max(...rates.map((r) => (r === 'max' ? 40_000 * (seconds + 1) : r * 1.2 * (seconds + 1 + (PRIME_BLOCKS * slotMs) / 1000))));
  const src = prepare(recordings, perRecording, wanted);
  console.log(
    `watch pipeline: ${recordings.length} recordings (${perRound} trades) re-signed into ${src.txs.length.toLocaleString('en-US')} transactions; ` +
      `${seconds}s per run, a block every ${slotMs} ms (max: ${MAX_BLOCK_TRADES} trades a block, back to back); SQLite in a temp file; ` +
      `screen ${COLUMNS}×${ROWS} into a discarding terminal; load average at start ${loadavg().map((l) => l.toFixed(2)).join(' ')}`,
  );
  console.log('    rate/s   screen   decoded/s  committed/s  ingest call p50/p99 ms  commit p50/p99 ms  CPU µs/trade  busy  in ingest  late max  frames/s  wait max');
  const runs: Run[] = [];
  for (const rate of rates) {
    // No screen first, then the screen: each on its own fresh store, same transactions.
    const pair: Run[] = [];
    for (const screen of [false, true]) {
      const r = await runOnce(src, rate, seconds, slotMs, screen);
      pair.push(r);
      runs.push(r);
      console.log(
        `    ${r.label.padStart(6)}   ${(screen ? 'watch' : 'none').padEnd(6)}  ${r.decodedPerSec.toFixed(0).padStart(9)}  ${r.committedPerSec.toFixed(0).padStart(11)}  ` +
          `${(r.callP50.toFixed(1) + ' / ' + r.callP99.toFixed(1)).padStart(22)}  ${(r.commitP50.toFixed(0) + ' / ' + r.commitP99.toFixed(0)).padStart(17)}  ` +
          `${r.cpuUsPerTrade.toFixed(0).padStart(12)}  ${(r.busy * 100).toFixed(0).padStart(3)}%  ${(r.inIngest * 100).toFixed(0).padStart(8)}%  ${(r.lateMax.toFixed(0) + ' ms').padStart(8)}  ` +
          `${r.framesPerSec === null ? '—'.padStart(8) : r.framesPerSec.toFixed(1).padStart(8)}  ${r.waitMax === null ? '—' : r.waitMax.toFixed(0) + ' ms'}`,
      );
    }
    const [none, watch] = pair;
    console.log(
      `      with screen / without: trades/s ${ratio(watch.decodedPerSec, none.decodedPerSec)}, ingest call p50 ${ratio(watch.callP50, none.callP50)} p99 ${ratio(watch.callP99, none.callP99)}, ` +
        `commit p50 ${ratio(watch.commitP50, none.commitP50)} p99 ${ratio(watch.commitP99, none.commitP99)}, CPU per trade ${ratio(watch.cpuUsPerTrade, none.cpuUsPerTrade)}`,
    );
  }
  return runs;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await benchWatchPipeline();
}
