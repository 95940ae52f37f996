/**
 * Soak: the real `solflow ingest` (built CLI, WebSocket source, block-subscription mode)
 * following the replay server's chain at a high rate for a while, sampling its memory, lag and
 * CPU. Not a test: it prints figures. Build first (`npm run build`): it runs bin/solflow.js.
 *
 *   npx tsx test/bench/ingest-soak.ts                                          (2 min, or via `npm run bench`)
 *   SOLFLOW_SOAK_MINUTES=60 SOLFLOW_SOAK_SAMPLE_SECONDS=60 npx tsx test/bench/ingest-soak.ts   (the hour)
 *
 * Knobs: SOLFLOW_SOAK_MINUTES (2); SOLFLOW_SOAK_TX_PER_SECOND (10000: issue 14's 10x mainnet's
 * DEX rate) or SOLFLOW_SOAK_TX_PER_BLOCK; SOLFLOW_SOAK_SLOT_MS (100: a block every 100 ms, so
 * 10,000 tx/s is 1,250-transaction blocks, ~14 MB of JSON each); SOLFLOW_SOAK_SAMPLE_SECONDS
 * (10: a line with RSS, heap, lag and rates); SOLFLOW_SOAK_WARMUP_MINUTES (a fifth of the run,
 * at most 5: left out of the summary's memory and rate figures); SOLFLOW_SOAK_CPU_PROF=DIR
 * (ingest runs under `node --cpu-prof`, the profile lands in DIR when it stops);
 * SOLFLOW_SOAK_DECODE_THREADS (ingest's --decode-threads; default its own); SOLFLOW_SOAK_LOG=FILE
 * (ingest's log at info level, as JSON lines, into FILE: each reconnect and gap fill).
 *
 * The chain is the bundled recordings served as many times over as the run needs, each copy
 * with its own signatures, built on demand (test/support/replay/chain.ts), so neither side
 * holds the hour's 36 million transactions. Figures: the pipeline's transactions/s
 * (solflow_transactions_decoded_total: the venue transactions, not every one in a block) and
 * trades/s committed; the offered rate (what the replay's clock actually emitted); ingest's RSS
 * (/proc) and V8 heap (its /metrics); lag behind the tip (solflow_lag_slots, polled every 2 s);
 * CPU per transaction of ingest and of the server (this process), and the machine.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { FIXTURE_TX_DIR, REPO_ROOT, startReplay } from '../support/replay/index.js';

const env = (k: string, d: number) => (process.env[k] ? Number(process.env[k]) : d);
/** The replay chain skips every 5th slot: 4 blocks in 5 slots. */
const PRODUCED_SHARE = 0.8;
const LAG_POLL_MS = 2000;

interface Sample {
  s: number;
  rssMb: number;
  heapMb: number | null;
  lag: number | null;
  decoded: number;
  trades: number;
  /** Blocks the replay has emitted. */
  blocks: number;
  /** CPU seconds: ingest (child) and this process (the server). */
  ingestCpu: number;
  serverCpu: number;
  /** Of serverCpu, the kernel's share (mostly the socket writes of the frames). */
  serverSysCpu: number;
  serverRssMb: number;
}

export async function benchIngestSoak(): Promise<void> {
  const minutes = env('SOLFLOW_SOAK_MINUTES', 2);
  const slotMs = env('SOLFLOW_SOAK_SLOT_MS', 100);
  const blocksPerSecond = (1000 / slotMs) * PRODUCED_SHARE;
  const txPerBlock = process.env.SOLFLOW_SOAK_TX_PER_BLOCK
    ? env('SOLFLOW_SOAK_TX_PER_BLOCK', 0)
    : Math.max(1, Math.round(env('SOLFLOW_SOAK_TX_PER_SECOND', 10_000) / blocksPerSecond));
  const sampleMs = env('SOLFLOW_SOAK_SAMPLE_SECONDS', 10) * 1000;
  const warmupS = env('SOLFLOW_SOAK_WARMUP_MINUTES', Math.min(5, minutes / 5)) * 60;
  const profileDir = process.env.SOLFLOW_SOAK_CPU_PROF;
  const decodeThreads = process.env.SOLFLOW_SOAK_DECODE_THREADS;
  const logFile = process.env.SOLFLOW_SOAK_LOG;
  const fixtures = readdirSync(FIXTURE_TX_DIR).filter((f) => f.endsWith('.json')).length;
  // Blocks the clock can emit in the duration, with a margin: the chain must not run out.
  const blocks = Math.ceil(((minutes * 60_000) / slotMs) * PRODUCED_SHARE * 1.2) + 50;
  const copies = Math.ceil((blocks * txPerBlock) / fixtures);

  console.log(
    `ingest soak: ${minutes} min, a block every ${slotMs} ms (4 of 5 slots) with ${txPerBlock} transactions: ${Math.round(txPerBlock * blocksPerSecond)} tx/s offered; ` +
      `${copies} copies of ${fixtures} recordings, built on demand`,
  );
  console.log(`  machine: ${machine()}; load average at start ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const server = await startReplay({ copies, txPerBlock, live: { slotMs } });
  const dir = mkdtempSync(join(tmpdir(), 'solflow-soak-'));
  const port = await freePort();
  const nodeArgs = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const child = spawn(
    process.execPath,
    [...nodeArgs, join(REPO_ROOT, 'bin', 'solflow.js'), 'ingest', '--rpc', server.url, '--ws', server.live.wsUrl, '--db', join(dir, 'soak.db'), '--metrics-port', String(port), ...(logFile ? ['--log-level', 'info', '--json'] : ['--log-level', 'warn']), ...(decodeThreads ? ['--decode-threads', decodeThreads] : [])],
    { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NO_COLOR: '1' } },
  );
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
  if (logFile) child.stderr!.pipe(createWriteStream(logFile));

  const t0 = Date.now();
  const cpu0 = process.cpuUsage();
  const samples: Sample[] = [];
  const lags: Array<{ s: number; lag: number }> = [];
  const trueLags: Array<{ s: number; lag: number }> = [];
  let nextSampleAt = t0 + sampleMs;
  let exitCode: number | null = null;
  try {
    while (Date.now() - t0 < minutes * 60_000 && child.exitCode === null && !server.live.finished) {
      await new Promise((r) => setTimeout(r, Math.max(0, Math.min(LAG_POLL_MS, nextSampleAt - Date.now()))));
      const m = await scrape(port);
      if (m === null) continue;
      const s = (Date.now() - t0) / 1000;
      const lag = value(m, 'solflow_lag_slots');
      const cursor = value(m, 'solflow_cursor_slot');
      if (lag !== null && Number.isFinite(lag)) lags.push({ s, lag });
      // The replay's own clock against the stored cursor: what ingest is really behind, even
      // when its socket holds a backlog and its slot notifications trail with it.
      if (cursor !== null && Number.isFinite(cursor) && server.live.slot !== null) trueLags.push({ s, lag: server.live.slot - cursor });
      if (Date.now() < nextSampleAt) continue;
      nextSampleAt += sampleMs;
      const own = process.cpuUsage(cpu0);
      const heap = value(m, 'solflow_nodejs_heap_size_used_bytes');
      const sample: Sample = {
        s,
        rssMb: rssKbOf(child.pid!) / 1024,
        heapMb: heap === null ? null : heap / 2 ** 20,
        lag,
        decoded: value(m, 'solflow_transactions_decoded_total') ?? 0,
        trades: value(m, 'solflow_trades_written_total') ?? 0,
        blocks: server.live.slot === null ? 0 : server.chain.produced.indexOf(server.live.slot) + 1,
        ingestCpu: cpuSecondsOf(child.pid!),
        serverCpu: (own.user + own.system) / 1e6,
        serverSysCpu: own.system / 1e6,
        serverRssMb: process.memoryUsage().rss / 2 ** 20,
      };
      const prev = samples[samples.length - 1];
      samples.push(sample);
      const dt = prev ? sample.s - prev.s : sample.s;
      const per = (k: 'decoded' | 'trades') => ((sample[k] - (prev?.[k] ?? 0)) / dt).toFixed(0).padStart(6);
      console.log(
        `  t=${sample.s.toFixed(0).padStart(5)}s  rss ${sample.rssMb.toFixed(0).padStart(4)} MB  heap ${sample.heapMb?.toFixed(0).padStart(4) ?? '   ?'} MB  lag ${String(lag).padStart(4)} slots  ` +
          `(replay ${String(trueLags[trueLags.length - 1]?.lag ?? '?').padStart(4)})  ${per('decoded')} tx/s ${per('trades')} trades/s  offered ${(((sample.blocks - (prev?.blocks ?? 0)) * txPerBlock) / dt).toFixed(0).padStart(6)} tx/s  ` +
          `cpu ingest ${(((sample.ingestCpu - (prev?.ingestCpu ?? 0)) / dt) * 100).toFixed(0).padStart(3)}% server ${(((sample.serverCpu - (prev?.serverCpu ?? 0)) / dt) * 100).toFixed(0).padStart(3)}%  server rss ${sample.serverRssMb.toFixed(0)} MB`,
      );
    }
  } finally {
    exitCode = await stopChild(child);
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const ws = server.live.stats;
  console.log(
    `  load average at end ${loadavg().map((l) => l.toFixed(2)).join(' ')}; ingest exited ${exitCode} on SIGTERM${server.live.finished ? ' (the chain ran out first: raise the margin)' : ''}; ` +
      `server: ${ws.subscriptions} subscriptions, ${ws.slowClosed} connections closed for falling behind, ${server.stats.byMethod.getBlock ?? 0} getBlock calls`,
  );
  if (exitCode !== 0) console.log(`  ingest stderr (tail): ${stderr.slice(-1000)}`);
  summarise(samples, { reported: lags, replay: trueLags }, warmupS, txPerBlock, slotMs);
}

/** The summary over the samples after warm-up: rates, CPU per transaction, memory, lag. */
type Lags = Array<{ s: number; lag: number }>;

function summarise(samples: Sample[], lags: { reported: Lags; replay: Lags }, warmupS: number, txPerBlock: number, slotMs: number): void {
  const steady = samples.filter((x) => x.s >= warmupS);
  if (steady.length < 2) {
    console.log(`  too few samples after the ${warmupS} s warm-up (${samples.length} in all): run longer or sample more often`);
    return;
  }
  const a = steady[0];
  const b = steady[steady.length - 1];
  const dt = b.s - a.s;
  const tx = b.decoded - a.decoded;
  const offered = (b.blocks - a.blocks) * txPerBlock;
  const rss = steady.map((x) => x.rssMb);
  const heaps = steady.flatMap((x) => (x.heapMb === null ? [] : [x.heapMb]));
  const f0 = (v: number) => v.toFixed(0);
  console.log(`  summary over t=${f0(a.s)}..${f0(b.s)} s (after a ${f0(warmupS)} s warm-up, ${steady.length} samples):`);
  console.log(
    `    sustained ${f0(tx / dt)} tx/s and ${f0((b.trades - a.trades) / dt)} trades/s through the pipeline; offered ${f0(offered / dt)} tx/s ` +
      `(the replay's clock at ${((b.blocks - a.blocks) / dt).toFixed(2)} blocks/s, nominal ${((1000 / slotMs) * PRODUCED_SHARE).toFixed(2)})`,
  );
  console.log(
    `    CPU: ingest ${f0(((b.ingestCpu - a.ingestCpu) / dt) * 100)}% of a core, ${tx > 0 ? f0(((b.ingestCpu - a.ingestCpu) * 1e6) / tx) : '?'} µs per transaction; ` +
      `server ${f0(((b.serverCpu - a.serverCpu) / dt) * 100)}%, ${offered > 0 ? f0(((b.serverCpu - a.serverCpu) * 1e6) / offered) : '?'} µs per transaction offered` +
      (offered > 0 ? ` (${f0(((b.serverSysCpu - a.serverSysCpu) * 1e6) / offered)} of them in the kernel)` : ''),
  );
  console.log(
    `    ingest RSS min ${f0(Math.min(...rss))} / max ${f0(Math.max(...rss))} / last ${f0(rss[rss.length - 1])} MB, slope ${slopePer10Min(steady, (x) => x.rssMb).toFixed(1)} MB per 10 min; ` +
      (heaps.length > 1 ? `heap used min ${f0(Math.min(...heaps))} / max ${f0(Math.max(...heaps))} MB, slope ${slopePer10Min(steady.filter((x) => x.heapMb !== null), (x) => x.heapMb!).toFixed(1)} MB per 10 min` : 'heap not reported'),
  );
  console.log(`    server RSS ${f0(a.serverRssMb)} -> ${f0(b.serverRssMb)} MB`);
  for (const [name, xs] of [['ingest reports (solflow_lag_slots)', lags.reported], ["against the replay's clock", lags.replay]] as const) {
    const all = xs.map((l) => l.lag);
    const after = xs.filter((l) => l.s >= warmupS).map((l) => l.lag);
    if (after.length === 0) continue;
    console.log(
      `    lag ${name}, slots every ${LAG_POLL_MS / 1000} s: after warm-up max ${Math.max(...after)} p95 ${percentile(after, 0.95)} median ${percentile(after, 0.5)}; ` +
        `whole run max ${Math.max(...all)} (a slot is ${slotMs} ms on this clock)`,
    );
  }
}

/** Least-squares slope of f over the samples' times, per 10 minutes. */
function slopePer10Min(xs: Sample[], f: (x: Sample) => number): number {
  const n = xs.length;
  if (n < 2) return 0;
  const mt = xs.reduce((s, x) => s + x.s, 0) / n;
  const mv = xs.reduce((s, x) => s + f(x), 0) / n;
  let num = 0;
  let den = 0;
  for (const x of xs) {
    num += (x.s - mt) * (f(x) - mv);
    den += (x.s - mt) ** 2;
  }
  return den === 0 ? 0 : (num / den) * 600;
}

function percentile(xs: number[], p: number): number {
  if (xs.length === 0) return NaN;
  const sorted = [...xs].sort((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

function machine(): string {
  const c = cpus();
  return `${c[0]?.model.trim() ?? 'unknown CPU'}, ${c.length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${process.platform}/${process.arch}`;
}

/** SIGTERM, then the exit code (null if it had to be killed after 30 s). */
async function stopChild(child: ReturnType<typeof spawn>): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const closed = new Promise<number | null>((r) => child.once('close', (code) => r(code)));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  const code = await closed;
  clearTimeout(timer);
  return code;
}

function rssKbOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : NaN;
}

/** utime + stime of a process (all its threads), in seconds. */
function cpuSecondsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may contain spaces) start at ") ".
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function scrape(port: number): Promise<string | null> {
  try {
    return await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  } catch {
    return null;
  }
}

function value(text: string, name: string): number | null {
  const at = text.indexOf(`\n${name} `);
  if (at < 0) return null;
  const end = text.indexOf('\n', at + 1);
  return Number(text.slice(at + name.length + 2, end < 0 ? undefined : end));
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

if (import.meta.url === `file://${process.argv[1]}`) await benchIngestSoak();
