/**
 * Parity: the same transactions backfilled through the built CLI into a SQLite file and into a
 * PostgreSQL database give the same answers, byte for byte: `query trades --format csv`,
 * `query top-flows` (every rolling window, and a span summed from the trades), `analyze <wallet>
 * --json`, the signal rows, bots, DCA and per-token answers. Two data sets: the bundled mainnet
 * transactions (plus the constructed DCA fill), and the replay chain (the recorded set eight
 * times over on a 400 ms slot clock), which is dense enough for bot flags and signals.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, solflowAsync } from '../cli/run.js';
import { startReplay } from '../support/replay/index.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres/database.js';
import { tempDir } from '../store/tmp.js';

const tmp = tempDir('solflow-parity-');
let corpusPg: TestDatabase;
let chainPg: TestDatabase;
const corpusLite = tmp.file('corpus.db');
const chainLite = tmp.file('chain.db');

async function cli(args: string[]): Promise<string> {
  const r = await solflowAsync(args);
  expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r.stdout;
}

beforeAll(async () => {
  corpusPg = await createTestDatabase('parity_corpus');
  chainPg = await createTestDatabase('parity_chain');
  for (const db of [corpusLite, corpusPg.url]) {
    await cli(['backfill', '--from', join(ROOT, 'fixtures', 'tx'), '--db', db, '--quiet']);
    await cli(['backfill', '--from', join(ROOT, 'fixtures', 'constructed'), '--db', db, '--quiet']);
  }
  const server = await startReplay({ copies: 8 });
  try {
    for (const db of [chainLite, chainPg.url]) {
      await cli(['backfill', `${server.chain.firstSlot}..${server.chain.lastSlot}`, '--rpc', server.url, '--db', db, '--quiet']);
    }
  } finally {
    await server.close();
  }
}, 300_000);

afterAll(async () => {
  await corpusPg?.drop();
  await chainPg?.drop();
  tmp.cleanup();
});

/** Runs the same command on both databases; returns both outputs. */
async function both(lite: string, pg: string, args: string[]): Promise<[string, string]> {
  return [await cli([...args, '--db', lite]), await cli([...args, '--db', pg])];
}

const datasets = () => [
  { name: 'bundled transactions', lite: corpusLite, pg: corpusPg.url },
  { name: 'replay chain', lite: chainLite, pg: chainPg.url },
];

describe('SQLite and PostgreSQL give the same answers', { timeout: 600_000 }, () => {
  it('query trades --format csv', async () => {
    for (const d of datasets()) {
      const [a, b] = await both(d.lite, d.pg, ['query', 'trades', '--format', 'csv', '--limit', '100000']);
      expect(a.split('\n').length, d.name).toBeGreaterThan(100);
      expect(b, d.name).toBe(a);
    }
  });

  it('query top-flows, every window and a span summed from the trades', async () => {
    for (const d of datasets()) {
      for (const w of ['1m', '5m', '15m', '1h', '2h', '4h']) {
        const [a, b] = await both(d.lite, d.pg, ['query', 'top-flows', '--window', w, '--json', '--limit', '1000']);
        expect(b, `${d.name} ${w}`).toBe(a);
      }
      const [a, b] = await both(d.lite, d.pg, ['query', 'top-flows', '--since', '2020-01-01', '--json', '--limit', '1000']);
      expect(a.trim().split('\n').length, d.name).toBeGreaterThan(3);
      expect(b, `${d.name} span`).toBe(a);
      const [t1, t2] = await both(d.lite, d.pg, ['query', 'top-flows', '--window', '4h', '--limit', '1000']);
      expect(t2, `${d.name} table`).toBe(t1);
    }
  });

  it('the signal rows, bots and DCA', async () => {
    let signals = 0;
    for (const d of datasets()) {
      const [a, b] = await both(d.lite, d.pg, ['query', 'signals', '--json', '--limit', '100000']);
      signals += a.trim() ? a.trim().split('\n').length : 0;
      expect(b, `${d.name} signals`).toBe(a);
      for (const q of ['bots', 'dca']) {
        const [x, y] = await both(d.lite, d.pg, ['query', q, '--json', '--limit', '1000']);
        expect(y, `${d.name} ${q}`).toBe(x);
      }
    }
    expect(signals).toBeGreaterThan(0);
  });

  it('analyze <wallet> --json for the three busiest wallets, and query token for the three busiest mints', async () => {
    for (const d of datasets()) {
      const trades = (await cli(['query', 'trades', '--json', '--limit', '100000', '--db', d.lite])).trim().split('\n').map((l) => JSON.parse(l));
      const rank = (key: string) => [...trades.reduce((m, t) => m.set(t[key], (m.get(t[key]) ?? 0) + 1), new Map<string, number>())].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1)).slice(0, 3).map(([k]) => k);
      for (const wallet of rank('trader')) {
        const [a, b] = await both(d.lite, d.pg, ['analyze', wallet, '--json']);
        expect(b, `${d.name} analyze ${wallet}`).toBe(a);
      }
      for (const mint of rank('baseMint')) {
        const [a, b] = await both(d.lite, d.pg, ['query', 'token', mint, '--json']);
        expect(b, `${d.name} token ${mint}`).toBe(a);
      }
    }
  });
});
