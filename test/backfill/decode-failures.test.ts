/**
 * A corrupted copy of a real transaction among good ones: decode throws MalformedTransactionError
 * for it (a negative stackHeight, which once made decode loop forever), and backfill records and
 * skips it and stores every other trade. Over RPC the skip is counted on the job, where
 * `solflow query jobs` shows it; from recorded files (no job) it is a `skipped` line and exit 3.
 * The built CLI, as a user runs it, against the replay RPC server on 127.0.0.1.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeTransaction, type RawTransaction } from '../../src/core/decode/index.js';
import { MalformedTransactionError } from '../../src/core/decode/errors.js';
import { solflowAsync } from '../cli/run.js';
import { FIXTURE_TX_DIR, loadTransactions, startReplay, type ReplayServer } from '../support/replay/index.js';

const tmp = mkdtempSync(join(tmpdir(), 'solflow-decode-failures-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The first fixture with trades whose first inner instruction has a stackHeight: that one made negative. */
function corruptOne(txs: RawTransaction[]): { index: number; bad: RawTransaction; signature: string } {
  for (const [index, tx] of txs.entries()) {
    const inner = (tx as any).meta?.innerInstructions?.[0]?.instructions?.[0];
    if (typeof inner?.stackHeight !== 'number' || decodeTransaction(tx).length === 0) continue;
    const bad = structuredClone(tx) as any;
    bad.meta.innerInstructions[0].instructions[0].stackHeight = -1;
    return { index, bad, signature: bad.transaction.signatures[0] };
  }
  throw new Error('no fixture to corrupt');
}

/** What identifies a stored trade and what it says, independent of block layout. */
function tradesOf(db: string): string[] {
  const d = new Database(db, { readonly: true });
  try {
    return (d.prepare('SELECT signature, ix_path, trader, side, base_mint, base_amount, quote_mint, quote_amount, sol_amount FROM trades').all() as object[])
      .map((r) => JSON.stringify(r))
      .sort();
  } finally {
    d.close();
  }
}

let good: RawTransaction[];
let corrupt: ReturnType<typeof corruptOne>;
let expected: string[];
let server: ReplayServer;

beforeAll(async () => {
  good = loadTransactions(FIXTURE_TX_DIR);
  corrupt = corruptOne(good);
  // The corrupted copy really is what decode refuses, in one line.
  expect(() => decodeTransaction(corrupt.bad)).toThrow(MalformedTransactionError);
  // Expected: what a clean run stores, less the corrupted transaction's trades.
  const clean = await startReplay({ txs: good });
  try {
    const db = join(tmp, 'clean.db');
    const r = await solflowAsync(['backfill', `${clean.chain.firstSlot}..${clean.chain.lastSlot}`, '--rpc', clean.url, '--db', db, '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    const all = tradesOf(db);
    expected = all.filter((t) => JSON.parse(t).signature !== corrupt.signature);
    expect(all.length - expected.length).toBeGreaterThan(0);
  } finally {
    await clean.close();
  }
  const txs = [...good];
  txs[corrupt.index] = corrupt.bad;
  server = await startReplay({ txs });
}, 120_000);

afterAll(async () => {
  await server?.close();
});

describe('a corrupted transaction in a backfill', { timeout: 60_000 }, () => {
  it('over RPC: skipped and counted on the job (query jobs), every other trade stored', async () => {
    const db = join(tmp, 'rpc.db');
    const fill = await solflowAsync(['backfill', `${server.chain.firstSlot}..${server.chain.lastSlot}`, '--rpc', server.url, '--db', db]);
    expect(fill.code, fill.stderr).toBe(0);
    expect(fill.stderr).toContain('1 undecodable transaction(s) skipped');

    const jobs = await solflowAsync(['query', 'jobs', '--db', db, '--format', 'json']);
    expect(jobs.code, jobs.stderr).toBe(0);
    const rows = jobs.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(rows).toHaveLength(1);
    expect(rows[0].status).toBe('done');
    expect(rows[0].counts.decodeFailures).toBe(1);
    expect(rows[0].failures).toBe(1);

    const d = new Database(db, { readonly: true });
    try {
      expect(d.prepare('SELECT signature, stage FROM job_failures').all()).toEqual([{ signature: corrupt.signature, stage: 'decode' }]);
    } finally {
      d.close();
    }
    expect(tradesOf(db)).toEqual(expected);
  });

  it('from recorded files: one skipped line naming it, exit 3, every other trade stored', async () => {
    const dir = join(tmp, 'files');
    mkdirSync(dir);
    const names = readdirSync(FIXTURE_TX_DIR).filter((f) => f.endsWith('.json'));
    expect(names).toHaveLength(good.length);
    good.forEach((tx, i) => writeFileSync(join(dir, `${String(i).padStart(4, '0')}.json`), JSON.stringify(i === corrupt.index ? corrupt.bad : tx)));
    const db = join(tmp, 'files.db');
    const fill = await solflowAsync(['backfill', '--from', dir, '--db', db]);
    expect(fill.code, fill.stderr).toBe(3);
    const skipped = fill.stderr.split('\n').filter((l) => l.includes('skipped'));
    expect(skipped).toEqual([`  skipped ${corrupt.signature}: meta.innerInstructions[0].instructions[0].stackHeight: -1 is not a call depth`]);
    expect(tradesOf(db)).toEqual(expected);
  });
});
