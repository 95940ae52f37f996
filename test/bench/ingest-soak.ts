/**
 * Soak: the real `solflow ingest` (built CLI, WebSocket source) following the replay server's
 * chain at a high rate for a while, sampling its memory and lag. Not a test: it prints figures.
 *
 *   SOLFLOW_SOAK_MINUTES=2 npx tsx test/bench/ingest-soak.ts      (or through `npm run bench`)
 *
 * Knobs: SOLFLOW_SOAK_MINUTES (2), SOLFLOW_SOAK_SLOT_MS (100), SOLFLOW_SOAK_TX_PER_BLOCK (40),
 * SOLFLOW_SOAK_SAMPLE_SECONDS (10). The chain is the bundled fixtures served as many times over
 * as the duration needs (distinct signatures per copy), in block-subscription mode.
 * Figures: transactions/s through the pipeline (solflow_transactions_decoded_total: the venue
 * transactions, not every one in a block), trades/s committed, the replay clock's real pace, the child's RSS (/proc/PID/status) and lag behind the tip (solflow_lag_slots) at
 * every sample, and their extremes.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { FIXTURE_TX_DIR, REPO_ROOT, startReplay } from '../support/replay/index.js';

const env = (k: string, d: number) => (process.env[k] ? Number(process.env[k]) : d);

export async function benchIngestSoak(): Promise<void> {
  const minutes = env('SOLFLOW_SOAK_MINUTES', 2);
  const slotMs = env('SOLFLOW_SOAK_SLOT_MS', 100);
  const txPerBlock = env('SOLFLOW_SOAK_TX_PER_BLOCK', 40);
  const sampleMs = env('SOLFLOW_SOAK_SAMPLE_SECONDS', 10) * 1000;
  const fixtures = readdirSync(FIXTURE_TX_DIR).filter((f) => f.endsWith('.json')).length;
  // Slots the clock walks in the duration (every 5th is skipped) plus a margin, as transactions.
  const slots = Math.ceil(((minutes * 60_000) / slotMs) * 1.1) + 50;
  const copies = Math.ceil((slots * 0.8 * txPerBlock) / fixtures);

  console.log(`ingest soak: ${minutes} min, a block every ${slotMs} ms with ${txPerBlock} transactions (${Math.round((txPerBlock * 800) / slotMs)} tx/s offered), ${copies} copies of ${fixtures} fixtures`);
  const server = await startReplay({ copies, txPerBlock, live: { slotMs } });
  const dir = mkdtempSync(join(tmpdir(), 'solflow-soak-'));
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [join(REPO_ROOT, 'bin', 'solflow.js'), 'ingest', '--rpc', server.url, '--ws', server.live.wsUrl, '--db', join(dir, 'soak.db'), '--metrics-port', String(port), '--log-level', 'warn'],
    { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NO_COLOR: '1' } },
  );
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));

  const t0 = Date.now();
  const samples: Array<{ s: number; rssMb: number; lag: number | null; decoded: number; trades: number; tip: number }> = [];
  let maxLag = 0;
  try {
    while (Date.now() - t0 < minutes * 60_000 && child.exitCode === null && !server.live.finished) {
      await new Promise((r) => setTimeout(r, sampleMs));
      const m = await scrape(port);
      if (m === null) continue;
      const rssMb = rssOf(child.pid!) / 1024;
      const lag = value(m, 'solflow_lag_slots');
      const decoded = value(m, 'solflow_transactions_decoded_total') ?? 0;
      const trades = value(m, 'solflow_trades_written_total') ?? 0;
      const s = Math.round((Date.now() - t0) / 1000);
      const prev = samples[samples.length - 1];
      const dt = prev ? s - prev.s : s;
      const tip = server.live.slot ?? server.chain.firstSlot;
      samples.push({ s, rssMb, lag, decoded, trades, tip });
      if (lag !== null && Number.isFinite(lag)) maxLag = Math.max(maxLag, lag);
      console.log(
        `  t=${String(s).padStart(4)}s  rss ${rssMb.toFixed(0).padStart(4)} MB  lag ${String(lag).padStart(4)} slots  ` +
          `${((decoded - (prev?.decoded ?? 0)) / dt).toFixed(0).padStart(5)} tx/s  ${((trades - (prev?.trades ?? 0)) / dt).toFixed(0).padStart(5)} trades/s  ` +
          `replay at ${((tip - (prev?.tip ?? server.chain.firstSlot)) / dt).toFixed(1)} slots/s`,
      );
    }
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('close', r));
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
  if (samples.length < 2) {
    console.log(`  too few samples (ingest exited ${child.exitCode}): ${stderr.slice(-500)}`);
    return;
  }
  // Rates from the second sample on: the first interval includes start-up.
  const a = samples[1];
  const b = samples[samples.length - 1];
  const rss = samples.map((x) => x.rssMb);
  console.log(
    `  pipeline ${((b.decoded - a.decoded) / (b.s - a.s)).toFixed(0)} tx/s, ${((b.trades - a.trades) / (b.s - a.s)).toFixed(0)} trades/s committed (t=${a.s}..${b.s}s); ` +
      `the replay's clock ran ${((b.tip - a.tip) / (b.s - a.s)).toFixed(1)} slots/s (nominal ${(1000 / slotMs).toFixed(1)}); ` +
      `RSS min ${Math.min(...rss).toFixed(0)} / max ${Math.max(...rss).toFixed(0)} / last ${rss[rss.length - 1].toFixed(0)} MB; max lag ${maxLag} slots; ${b.decoded} transactions, ${b.trades} trades`,
  );
}

function rssOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : NaN;
}

async function scrape(port: number): Promise<string | null> {
  try {
    return await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  } catch {
    return null;
  }
}

function value(text: string, name: string): number | null {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line ? Number(line.slice(name.length + 1)) : null;
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
