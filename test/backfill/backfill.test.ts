/**
 * `solflow backfill` end to end: the real command, a real SQLite file, the replay RPC server on
 * 127.0.0.1 serving recorded mainnet transactions. What must hold:
 *  - faults (429s, 5xx, hangs, drops, garbage, "block not available") change nothing stored;
 *  - slots that cannot be fetched become listed gaps with exit 3, and a re-run fetches exactly
 *    those and ends with the same database as a clean run;
 *  - an undecodable transaction is recorded and skipped, its block's other trades kept;
 *  - kill -9 or Ctrl-C, then the same command again: the same database as an uninterrupted run.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBackfillCommand } from '../../src/cli/shared/backfill-run.js';
import type { BackfillOptions } from '../../src/cli/shared/backfill-plan.js';
import { run } from '../../src/cli/main.js';
import { captureIo } from '../support/cli-io.js';
import { dumpDatabase } from '../support/db-dump.js';
import { FIXTURE_TX_DIR, MALFORMED_TX, REPO_ROOT, loadTransaction, loadTransactions, startReplay, type ReplayServer } from '../support/replay/index.js';

const tmp = mkdtempSync(join(tmpdir(), 'solflow-backfill-'));
let clean: ReplayServer;
let range: string;
let baseline: Record<string, string>;

const dbPath = (name: string) => join(tmp, `${name}.db`);
/** The recorded set three times over (copies get their own signatures): ~120 blocks. */
const CHAIN = { copies: 3 };

async function backfill(server: ReplayServer, db: string, extra: Partial<BackfillOptions> = {}, rangeArg: string | undefined = range) {
  const io = captureIo();
  const code = await runBackfillCommand(rangeArg, { rpc: server.url, db, concurrency: '8', timeout: '0.5', ...extra }, io);
  return { code, io };
}

function job(db: string) {
  const d = new Database(db, { readonly: true });
  try {
    const row = d.prepare('SELECT * FROM jobs ORDER BY id DESC LIMIT 1').get() as any;
    return { ...row, params: JSON.parse(row.params_json), cursor: JSON.parse(row.cursor_json ?? 'null'), gaps: JSON.parse(row.gaps_json ?? '[]'), counts: JSON.parse(row.counts_json ?? '{}') };
  } finally {
    d.close();
  }
}

beforeAll(async () => {
  clean = await startReplay(CHAIN);
  range = `${clean.chain.firstSlot}..${clean.chain.lastSlot}`;
  const { code, io } = await backfill(clean, dbPath('baseline'));
  expect(code, io.stderr.join('\n')).toBe(0);
  baseline = dumpDatabase(dbPath('baseline'));
});

afterAll(async () => {
  await clean?.close();
  if (!process.env.KEEP_TMP) rmSync(tmp, { recursive: true, force: true });
});

describe('backfill over RPC', { timeout: 20_000 }, () => {
  it('stores every trade of the range and records a finished job', () => {
    expect(JSON.parse(baseline.trades).length).toBeGreaterThan(50);
    const j = job(dbPath('baseline'));
    expect(j.status).toBe('done');
    expect(j.params.start).toBe(clean.chain.firstSlot);
    expect(j.params.end).toBe(clean.chain.lastSlot);
    expect(j.counts.blocks).toBe(clean.chain.produced.length);
    expect(j.counts.skippedSlots).toBe(clean.chain.lastSlot - clean.chain.firstSlot + 1 - clean.chain.produced.length);
    expect(j.gaps).toEqual([]);
  });

  it('ends with the same database when the endpoint throttles, fails, hangs, drops and garbles', async () => {
    const faulty = await startReplay({
      ...CHAIN,
      faults: { latencyMs: 1, jitterMs: 3, rps: 60, http5xxRate: 0.06, dropRate: 0.04, timeoutRate: 0.03, malformedRate: 0.04, unavailableRate: 0.05, seed: 11 },
    });
    try {
      const { code, io } = await backfill(faulty, dbPath('faulty'));
      expect(code, io.stderr.join('\n')).toBe(0);
      const s = faulty.stats;
      expect(s.throttled).toBeGreaterThan(0);
      // The faults really happened.
      expect(s.http5xx + s.drops + s.timeouts + s.malformed).toBeGreaterThan(3);
      expect(dumpDatabase(dbPath('faulty'))).toEqual(baseline);
    } finally {
      await faulty.close();
    }
  });

  it('records slots it cannot fetch as gaps (exit 3), and a re-run fetches exactly those', async () => {
    const [a, b] = [clean.chain.produced[3], clean.chain.produced[10]];
    const server = await startReplay({ ...CHAIN, faults: { slotErrors: { [a]: -32004, [b]: 500 } } });
    try {
      const db = dbPath('gaps');
      const first = await backfill(server, db, { retries: '2' });
      expect(first.code).toBe(3);
      expect(job(db).status).toBe('gaps');
      expect(job(db).gaps.map((g: any) => [g.from, g.to])).toEqual([
        [a, a],
        [b, b],
      ]);
      expect(first.io.stderr.join('\n')).toContain(`slot ${a}`);

      server.setFaults({});
      server.resetStats();
      const second = await backfill(server, db);
      expect(second.code, second.io.stderr.join('\n')).toBe(0);
      const fetched = server.stats.log.filter((c) => c.method === 'getBlock').map((c) => Number(c.key));
      expect(fetched.sort()).toEqual([a, b]);
      expect(job(db).status).toBe('done');
      expect(job(db).gaps).toEqual([]);
      expect(dumpDatabase(db, { tradesOnly: true })).toEqual(dumpDatabase(dbPath('baseline'), { tradesOnly: true }));
    } finally {
      await server.close();
    }
  });

  // Filling gaps delivers trades behind the flow engine's clock, so the pipeline recomputes
  // flags, signals and windows from the store (recomputeFlow); the result must be what the
  // uninterrupted run stored, bot reasons, signals and token_metrics included (issue 3: the
  // per-block ticks used to stamp held-back trades with a later time than a replay gives).
  it('after filling gaps, flags, signals and windows equal an uninterrupted run (pipeline recompute)', () => {
    expect(dumpDatabase(dbPath('gaps'))).toEqual(baseline);
  });

  it('records an undecodable transaction and keeps the rest of its block', async () => {
    const txs = loadTransactions(FIXTURE_TX_DIR);
    const bad = loadTransaction(MALFORMED_TX);
    // Block 2 (transactions 8..11) gets the bad one in the middle of real trades.
    txs.splice(9, 0, bad);
    const server = await startReplay({ txs });
    try {
      const db = dbPath('undecodable');
      const { code, io } = await backfill(server, db, {}, `${server.chain.firstSlot}..${server.chain.lastSlot}`);
      expect(code, io.stderr.join('\n')).toBe(0);
      const sig = bad.transaction.signatures[0];
      const slot = server.chain.bySignature.get(sig)!.slot;
      const d = new Database(db, { readonly: true });
      try {
        const failures = d.prepare('SELECT signature, slot, stage, error FROM job_failures').all() as any[];
        expect(failures).toEqual([{ signature: sig, slot, stage: 'decode', error: expect.stringContaining('out of range') }]);
        const neighbours = server.chain.blocks.get(slot)!.transactions.map((t) => t.transaction.signatures[0]).filter((s) => s !== sig);
        const stored = d.prepare(`SELECT DISTINCT signature FROM trades WHERE slot = ?`).pluck().all(slot) as string[];
        expect(stored.length).toBeGreaterThan(0);
        expect(neighbours).toEqual(expect.arrayContaining(stored));
      } finally {
        d.close();
      }
      expect(job(db).counts.decodeFailures).toBe(1);
    } finally {
      await server.close();
    }
  });

  it('backfills one address through getSignaturesForAddress + getTransaction, batched', async () => {
    // The account that appears in the most transactions of the chain (a busy pool or program).
    const [address, sigs] = [...clean.chain.byAddress.entries()]
      .filter(([k]) => !/^(11111111111111111111111111111111|ComputeBudget|Token|So1111|ATokenGP)/.test(k))
      .sort((x, y) => y[1].length - x[1].length)[0];
    clean.resetStats();
    const db = dbPath('address');
    const { code, io } = await backfill(clean, db, { address, rps: '2000' });
    expect(code, io.stderr.join('\n')).toBe(0);
    expect(clean.stats.byMethod.getSignaturesForAddress).toBeGreaterThanOrEqual(1);
    expect(clean.stats.byMethod.getBlock ?? 0).toBe(0);
    // Batched: fewer HTTP requests than getTransaction calls.
    expect(clean.stats.httpRequests).toBeLessThan(clean.stats.byMethod.getTransaction);
    const tradesOf = (path: string) => {
      const d = new Database(path, { readonly: true });
      try {
        return d.prepare('SELECT signature, ix_path, base_amount, quote_amount FROM trades ORDER BY signature, ix_path').raw().all() as string[][];
      } finally {
        d.close();
      }
    };
    const wanted = new Set(sigs);
    const mine = tradesOf(db);
    expect(mine.length).toBeGreaterThan(0);
    expect(mine).toEqual(tradesOf(dbPath('baseline')).filter((r) => wanted.has(r[0])));
  });

  it('maps a time range to the slots whose blocks fall in it', async () => {
    const t0 = clean.chain.blockTimeOf(clean.chain.firstSlot);
    const iso = (s: number) => new Date(s * 1000).toISOString().replace('.000', '');
    const db = dbPath('time');
    const { code, io } = await backfill(clean, db, {}, `${iso(t0 + 4)}..${iso(t0 + 9)}`);
    expect(code, io.stderr.join('\n')).toBe(0);
    // A skipped slot counts with the time of the next block, as the bisection sees it.
    const { chain } = clean;
    const timeOf = (slot: number) => chain.blockTimeOf(chain.produced.find((p) => p >= slot)!);
    const slots = Array.from({ length: chain.lastSlot - chain.firstSlot + 1 }, (_, i) => chain.firstSlot + i);
    const start = slots.find((x) => timeOf(x) >= t0 + 4)!;
    const end = slots.find((x) => timeOf(x) >= t0 + 10)! - 1;
    const { params, counts } = job(db);
    expect([params.start, params.end]).toEqual([start, end]);
    expect(counts.blocks).toBe(chain.produced.filter((p) => p >= start && p <= end).length);
  });

  it('rejects bad input with exit 2 before any work', async () => {
    for (const args of [
      ['backfill', '5..3'],
      ['backfill', 'yesterday..now'],
      ['backfill', '2025-06-01T00:00..2025-06-01T01:00'],
      ['backfill', '1..2', '--last', '1h'],
      ['backfill', '1..2', '--rpc', 'not a url'],
      ['backfill', '1..2', '--program', 'nosuchdex'],
      ['backfill', '1..2', '--concurrency', '0'],
      ['backfill', '1..2', '--bogus'],
      ['backfill', '--bogus'],
      ['backfill', '1..2', '3..4'],
      ['backfill', `${clean.chain.lastSlot + 1}..${clean.chain.lastSlot + 10}`, '--rpc', clean.url, '--db', dbPath('usage')],
    ]) {
      expect(await run(['node', 'solflow', ...args]), args.join(' ')).toBe(2);
    }
  });

  it('lists jobs', async () => {
    const io = captureIo();
    expect(await runBackfillCommand(undefined, { jobs: true, db: dbPath('gaps') }, io)).toBe(0);
    expect(io.stdout[0]).toMatch(/^id\tstatus/);
    expect(io.stdout.slice(1).every((l) => /\tdone\t/.test(l))).toBe(true);
  });
});

describe('resuming an interrupted backfill', () => {
  /** The CLI from src/ in a child process, so it can be killed for real. */
  function spawnCli(args: string[]) {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'node_modules/vite-node/vite-node.mjs'), join(REPO_ROOT, 'test/support/solflow-cli.ts'), ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, SOLFLOW_RPC_URL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? -1 : null))));
    return { child, exited, stderr: () => stderr };
  }

  async function waitForProgress(db: string, server: ReplayServer, minPos: number): Promise<void> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      await new Promise((r) => setTimeout(r, 50));
      try {
        const j = job(db);
        if (j.cursor && j.cursor.pos >= minPos) return;
      } catch {
        // the child has not created the database yet
      }
      if (Date.now() > deadline) throw new Error(`no progress past ${minPos}; server saw ${server.stats.served} calls`);
    }
  }

  for (const signal of ['SIGKILL', 'SIGINT'] as const) {
    it(`after ${signal === 'SIGKILL' ? 'kill -9' : 'Ctrl-C'}, the same command finishes with the same database`, async () => {
      // Slow enough (30 calls/s over ~120 blocks) that the kill lands mid-range.
      const server = await startReplay({ ...CHAIN, faults: { latencyMs: 5 } });
      try {
        const db = dbPath(`killed-${signal}`);
        const args = ['backfill', range, '--rpc', server.url, '--db', db, '--rps', '30', '--concurrency', '4'];
        const runner = spawnCli(args);
        await waitForProgress(db, server, clean.chain.produced[20]);
        runner.child.kill(signal);
        const code = await runner.exited;
        if (signal === 'SIGINT') expect(code, runner.stderr()).toBe(130);
        const cut = job(db);
        expect(cut.status).toBe(signal === 'SIGINT' ? 'interrupted' : 'running');
        expect(cut.cursor.pos).toBeLessThan(clean.chain.lastSlot);

        server.resetStats();
        const { code: again, io } = await backfill(server, db);
        expect(again, io.stderr.join('\n')).toBe(0);
        expect(io.stderr.join('\n')).toContain(`job ${cut.id}: resuming at slot`);
        // It resumed rather than starting over.
        expect(server.stats.byMethod.getBlock).toBeLessThan(clean.chain.produced.length);
        expect(job(db).status).toBe('done');
        expect(dumpDatabase(db)).toEqual(baseline);
      } finally {
        await server.close();
      }
    }, 30_000);
  }
});
