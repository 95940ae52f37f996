/**
 * `solflow backfill --from` with the built CLI, the way a user runs it: recorded transactions
 * (the bundled fixtures, JSON Lines, a getBlock answer) go through the same pipeline into a
 * fresh SQLite file and must store exactly the trades `solflow decode` finds in the same
 * input; a second run adds nothing; a corrupted input file or database costs one line on
 * stderr, a non-zero exit, and no stored data.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { solflow } from '../cli/run.js';
import { dumpDatabase } from '../support/db-dump.js';
import { FIXTURE_TX_DIR, startReplay } from '../support/replay/index.js';

const tmp = mkdtempSync(join(tmpdir(), 'solflow-backfill-from-'));
const db = (name: string) => join(tmp, `${name}.db`);
const fixtures = readdirSync(FIXTURE_TX_DIR)
  .filter((n) => n.endsWith('.json'))
  .sort();

let jsonl: string;
let blockFile: string;
let blockSlot: number;

beforeAll(async () => {
  // JSON Lines: every tenth fixture, one compact getTransaction result per line.
  jsonl = join(tmp, 'sample.jsonl');
  const lines = fixtures.filter((_, i) => i % 10 === 0).map((n) => JSON.stringify(JSON.parse(readFileSync(join(FIXTURE_TX_DIR, n), 'utf8'))));
  writeFileSync(jsonl, lines.join('\n') + '\n');
  // A getBlock answer as a node sends it (a JSON-RPC response with no slot in it), from the
  // replay server's chain of the same recorded transactions, saved under the slot's name.
  const server = await startReplay({ txPerBlock: 12 });
  try {
    blockSlot = server.chain.produced[2];
    const res = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'getBlock', params: [blockSlot, { maxSupportedTransactionVersion: 1, rewards: false }] }),
    });
    blockFile = join(tmp, `block-${blockSlot}.json`);
    writeFileSync(blockFile, await res.text());
  } finally {
    await server.close();
  }
});

afterAll(() => {
  if (!process.env.KEEP_TMP) rmSync(tmp, { recursive: true, force: true });
});

/** The (signature, ix_path) keys `solflow decode --json` prints for `input`. */
function decodedKeys(input: string): string[] {
  const r = solflow(['decode', input, '--json']);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l))
    .map((t) => `${t.signature}/${t.ixPath}`)
    .sort();
}

function storedKeys(path: string): string[] {
  const d = new Database(path, { readonly: true });
  try {
    return (d.prepare('SELECT signature, ix_path FROM trades').all() as Array<{ signature: string; ix_path: string }>).map((t) => `${t.signature}/${t.ix_path}`).sort();
  } finally {
    d.close();
  }
}

function backfillFrom(input: string, path: string) {
  const r = solflow(['backfill', '--from', input, '--db', path, '--json']);
  return { ...r, report: r.stdout.trim() ? JSON.parse(r.stdout.trim().split('\n').pop()!) : null };
}

describe('backfill --from recorded transactions', { timeout: 60_000 }, () => {
  for (const [name, input] of [
    ['the fixture directory', () => FIXTURE_TX_DIR],
    ['a JSON Lines file', () => jsonl],
    ['a getBlock answer', () => blockFile],
  ] as const) {
    it(`stores exactly the trades decode finds in ${name}, and a second run adds nothing`, () => {
      const path = db(name.replace(/\W+/g, '-'));
      const first = backfillFrom(input(), path);
      expect(first.code, first.stderr).toBe(0);
      expect(first.stderr).toBe('');
      const wanted = decodedKeys(input());
      expect(wanted.length).toBeGreaterThan(0);
      expect(storedKeys(path)).toEqual(wanted);
      expect(first.report).toMatchObject({ trades: wanted.length, tradesWritten: wanted.length, problems: 0 });

      const before = dumpDatabase(path);
      const again = backfillFrom(input(), path);
      expect(again.code, again.stderr).toBe(0);
      expect(again.report).toMatchObject({ trades: wanted.length, tradesWritten: 0 });
      expect(dumpDatabase(path)).toEqual(before);
    });
  }

  it("gives a getBlock answer's trades the slot its file is named after, and block positions", () => {
    const d = new Database(db('a-getBlock-answer'), { readonly: true });
    try {
      const rows = d.prepare('SELECT DISTINCT slot, tx_index FROM trades ORDER BY tx_index').all() as Array<{ slot: number; tx_index: number }>;
      expect(rows.length).toBeGreaterThan(1);
      expect(rows.every((r) => r.slot === blockSlot && Number.isInteger(r.tx_index))).toBe(true);
    } finally {
      d.close();
    }
  });

  it('skips a corrupted file with one line on stderr, exit 3, and keeps everything else', () => {
    const [goodDir, dir] = [join(tmp, 'good'), join(tmp, 'mixed')];
    mkdirSync(goodDir);
    mkdirSync(dir);
    for (const n of fixtures.slice(0, 12)) {
      copyFileSync(join(FIXTURE_TX_DIR, n), join(goodDir, n));
      copyFileSync(join(FIXTURE_TX_DIR, n), join(dir, n));
    }
    // Truncated mid-file, the way an interrupted download leaves it.
    const whole = readFileSync(join(FIXTURE_TX_DIR, fixtures[20]), 'utf8');
    writeFileSync(join(dir, 'zz-truncated.json'), whole.slice(0, Math.floor(whole.length / 2)));
    const path = db('mixed');
    // Trades already stored from elsewhere must survive the run.
    expect(backfillFrom(jsonl, path).code).toBe(0);
    const earlier = storedKeys(path);

    const r = backfillFrom(dir, path);
    expect(r.code).toBe(3);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/zz-truncated\.json: invalid JSON/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.report).toMatchObject({ problems: 1 });

    // Exactly what was there plus the good files' trades.
    expect(storedKeys(path)).toEqual([...new Set([...earlier, ...decodedKeys(goodDir)])].sort());
  });

  it('refuses a corrupted database file in one line, exit 1, and leaves it as it was', () => {
    const path = join(tmp, 'not-a-db.db');
    const garbage = Buffer.from('SQLite format 3\0' + 'x'.repeat(5000));
    writeFileSync(path, garbage);
    const r = solflow(['backfill', '--from', FIXTURE_TX_DIR, '--db', path]);
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^solflow: /);
    expect(readFileSync(path).equals(garbage)).toBe(true);
  });
});
