/**
 * `solflow prune` as cron runs it: the built CLI in child processes (run `npm run build` first;
 * `npm test` does). Quiet output, exit codes, bad input, and the lock between two real prunes,
 * including a first prune killed with kill -9.
 */
import { existsSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { solflow } from '../cli/run.js';
import { tempDir } from '../store/tmp.js';
import { cli, corpusCopies } from './support.js';
import { buildSynthDb } from './synth-db.js';

const tmp = tempDir('solflow-prune-cli-');
afterAll(() => tmp.cleanup());

const DAY = 86_400;
const corpus = corpusCopies(tmp, 'c');
const corpusCopy = corpus.copy;
const count = (path: string, sql: string) => {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare(sql).pluck().get() as number;
  } finally {
    db.close();
  }
};
const oneLine = (s: string) => s.trimEnd().split('\n');

beforeAll(() => corpus.build(), 60_000);

describe('solflow prune', () => {
  it('--help shows an example, the defaults, a crontab line and the exit codes', () => {
    const r = solflow(['prune', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('$ solflow prune --older-than 7d --dry-run');
    expect(r.stdout).toMatch(/--older-than <age>[\s\S]*default:\s+"30d"/);
    expect(r.stdout).toMatch(/--metrics-idle <age>[\s\S]*default:\s+"1d"/);
    expect(r.stdout).toMatch(/--relative-to <clock>[\s\S]*default:\s+"newest"/);
    expect(r.stdout).toMatch(/\d+ \d+ \* \* \* solflow prune --db \S+ --older-than 7d/);
    expect(r.stdout).toContain('75 another prune holds the lock');
    expect(solflow(['--help']).stdout).toContain('$ solflow prune --older-than 7d --dry-run');
  });

  it('is quiet: one summary line on stdout, nothing on stderr; exact counts', () => {
    const db = corpusCopy();
    const before = count(db, 'SELECT count(*) FROM trades');
    const old = count(db, `SELECT count(*) FROM trades WHERE block_time < (SELECT max(block_time) FROM trades) - ${365 * DAY}`);
    expect(old).toBeGreaterThan(0);
    const r = solflow(['prune', '--db', db, '--older-than', '365d']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect(oneLine(r.stdout)).toHaveLength(1);
    expect(r.stdout).toMatch(new RegExp(`^pruned ${old} trades, \\d+ signals, \\d+ token metrics, \\d+ tokens in \\d+\\.\\ds; file [\\d.]+ MB → [\\d.]+ MB`));
    expect(count(db, 'SELECT count(*) FROM trades')).toBe(before - old);
    // Nothing left to do is still success.
    const again = solflow(['prune', '--db', db, '--older-than', '365d']);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^pruned 0 trades, 0 signals, 0 token metrics, 0 tokens in/);
  });

  it('--dry-run says what would go and deletes nothing; --json gives the same numbers to programs', () => {
    const db = corpusCopy();
    const before = count(db, 'SELECT count(*) FROM trades');
    const dry = solflow(['prune', '--db', db, '--older-than', '730d', '--dry-run', '--json']);
    expect(dry.code, dry.stderr).toBe(0);
    const plan = JSON.parse(dry.stdout);
    expect(plan).toMatchObject({ dryRun: true, relativeTo: 'newest' });
    expect(plan.deleted.trades).toBeGreaterThan(0);
    expect(count(db, 'SELECT count(*) FROM trades')).toBe(before);
    const human = solflow(['prune', '--db', db, '--older-than', '730d', '--dry-run']);
    expect(human.stdout).toMatch(new RegExp(`^would prune ${plan.deleted.trades} trades, .*nothing deleted \\(dry run\\)\\n$`));

    const real = solflow(['prune', '--db', db, '--older-than', '730d', '--json']);
    expect(real.code, real.stderr).toBe(0);
    const done = JSON.parse(real.stdout);
    expect(done.deleted).toEqual(plan.deleted);
    expect(done.cutoffs).toEqual(plan.cutoffs);
    expect(done).toMatchObject({ dryRun: false, interrupted: false, file: { autoVacuum: 'incremental', walCheckpointed: true } });
    expect(count(db, 'SELECT count(*) FROM trades')).toBe(before - plan.deleted.trades);
  });

  it('--verbose prints progress lines on stderr, the summary stays on stdout', () => {
    const db = corpusCopy();
    const r = solflow(['prune', '--db', db, '--older-than', '365d', '--batch-size', '10', '--verbose']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^prune: lock held; .*: to delete \d+ trades/m);
    expect(r.stderr).toMatch(/^prune: trades \d+ \/ \d+ \(100%\)$/m);
    expect(oneLine(r.stdout)).toHaveLength(1);
  });

  it.each([
    [['--older-than', '7 days'], /^solflow: bad --older-than '7 days': expected a duration/],
    [['--signals-older-than', '-1d'], /^solflow: bad --signals-older-than '-1d'/],
    [['--metrics-idle', '0s'], /^solflow: bad --metrics-idle '0s'/],
    [['--relative-to', 'yesterday'], /^solflow: bad --relative-to 'yesterday': expected newest or now/],
    [['--batch-size', '0'], /^solflow: bad --batch-size '0'/],
    [['--dry-run', '--vacuum'], /^solflow: --dry-run changes nothing/],
  ])('bad option %j: one line, exit 2, nothing deleted', (args, message) => {
    const db = corpusCopy();
    const before = count(db, 'SELECT count(*) FROM trades');
    const r = solflow(['prune', '--db', db, ...args]);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
    expect(count(db, 'SELECT count(*) FROM trades')).toBe(before);
  });

  it('a missing database is reported, not created; SOLFLOW_DB is honoured', () => {
    const missing = tmp.file('nope.db');
    const r = solflow(['prune', '--db', missing]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`solflow: no database at ${missing}; pass --db PATH or set SOLFLOW_DB\n`);
    expect(existsSync(missing)).toBe(false);
    expect(existsSync(`${missing}.prune-lock`)).toBe(false);
    const db = corpusCopy();
    const viaEnv = solflow(['prune', '--older-than', '365d', '--dry-run', '--json'], { env: { SOLFLOW_DB: db } });
    expect(viaEnv.code, viaEnv.stderr).toBe(0);
    expect(JSON.parse(viaEnv.stdout).db).toBe(db);
  });

  it('a file that is not a database: one line naming it, exit 1, no stack unless --verbose', () => {
    const bad = tmp.file('garbage.db');
    writeFileSync(bad, 'this is not sqlite '.repeat(400));
    const r = solflow(['prune', '--db', bad]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`solflow: cannot read ${bad}: file is not a database\n`);
    const v = solflow(['prune', '--db', bad, '--verbose']);
    expect(v.code).toBe(1);
    expect(v.stderr).toMatch(/\n\s+at /);
  });
});

describe('interrupting and rewriting', () => {
  it('Ctrl-C stops between batches: exit 130, a summary of what was deleted, and exactly that is gone', async () => {
    const path = tmp.file('ctrl-c.db');
    await buildSynthDb({ path, trades: 20_000, startTime: 1_750_000_000, spanSeconds: 40 * DAY });
    const before = count(path, 'SELECT count(*) FROM trades');
    const run = cli(['prune', '--db', path, '--older-than', '10d', '--batch-size', '20', '--json', '--verbose']);
    await run.waitFor(/prune: trades [\d,]+ \//);
    run.child.kill('SIGINT');
    expect(await run.exited, run.stderr()).toBe(130);
    const summary = JSON.parse(run.stdout());
    expect(summary.interrupted).toBe(true);
    expect(summary.deleted.trades).toBeGreaterThan(0);
    expect(summary.deleted.trades).toBeLessThan(15_000);
    expect(count(path, 'SELECT count(*) FROM trades')).toBe(before - summary.deleted.trades);
  }, 60_000);

  it('--vacuum converts an older file to incremental auto-vacuum and shrinks it, once', async () => {
    const path = tmp.file('legacy.db');
    const raw = new Database(path);
    raw.pragma('journal_mode = WAL'); // a file made before new files got auto_vacuum=INCREMENTAL
    raw.close();
    // Fewer wallets than trades, as in real data: the addresses table stays a small part of the file.
    await buildSynthDb({ path, trades: 20_000, startTime: 1_750_000_000, spanSeconds: 40 * DAY, wallets: 2_000 });
    const plain = solflow(['prune', '--db', path, '--older-than', '20d', '--json']);
    expect(plain.code, plain.stderr).toBe(0);
    const p = JSON.parse(plain.stdout);
    expect(p.file).toMatchObject({ autoVacuum: 'none', vacuumed: false });
    expect(p.file.bytesAfter).toBe(p.file.bytesBefore); // free pages stay inside
    expect(p.file.freeBytes).toBeGreaterThan(p.file.bytesBefore * 0.3);
    expect(solflow(['prune', '--db', path, '--older-than', '20d']).stdout).toMatch(/MB free inside for new rows \(--vacuum shrinks it once\)$/m);

    const trades = count(path, 'SELECT count(*) FROM trades');
    const v = solflow(['prune', '--db', path, '--older-than', '20d', '--vacuum', '--json']);
    expect(v.code, v.stderr).toBe(0);
    const s = JSON.parse(v.stdout);
    expect(s.file).toMatchObject({ autoVacuum: 'incremental', vacuumed: true, walCheckpointed: true, freeBytes: 0 });
    expect(s.file.bytesAfter).toBeLessThan(p.file.bytesAfter * 0.7);
    expect(count(path, 'SELECT count(*) FROM trades')).toBe(trades);
    expect(count(path, 'PRAGMA integrity_check' as string) as unknown).toBe('ok');
  }, 60_000);

  it('a PostgreSQL server that cannot be reached is one line, without the password', () => {
    // Prune on a real PostgreSQL server: test/store-pg/cli.test.ts.
    const r = solflow(['prune', '--db', 'postgres://user:secret@127.0.0.1:1/solflow']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('solflow: cannot use postgres://***:***@127.0.0.1:1/solflow: connect ECONNREFUSED 127.0.0.1:1\n');
  });
});

describe('two prunes at once', () => {
  it('the second exits 75 with one line naming the first; after kill -9 of the first, the next one finishes the job', async () => {
    const path = tmp.file('big.db');
    await buildSynthDb({ path, trades: 40_000, startTime: 1_750_000_000, spanSeconds: 40 * DAY });
    const before = count(path, 'SELECT count(*) FROM trades');
    const cutoff = count(path, `SELECT max(block_time) - ${10 * DAY} FROM trades`);
    const old = count(path, `SELECT count(*) FROM trades WHERE block_time < ${cutoff}`);

    // Small batches keep the first one busy for many seconds.
    const first = cli(['prune', '--db', path, '--older-than', '10d', '--batch-size', '20', '--verbose']);
    await first.waitFor(/prune: trades [\d,]+ \/ /);

    const second = cli(['prune', '--db', path, '--older-than', '10d']);
    const code = await second.exited;
    expect(code, second.stderr()).toBe(75);
    expect(second.stdout()).toBe('');
    expect(oneLine(second.stderr())).toHaveLength(1);
    expect(second.stderr()).toMatch(new RegExp(`^solflow: another prune is running on ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(pid ${first.child.pid} on .+, since .+\\); exiting\\n$`));

    first.child.kill('SIGKILL');
    expect(await first.exited).toBe(-1);
    const partly = count(path, 'SELECT count(*) FROM trades');
    expect(partly).toBeLessThan(before);
    expect(partly).toBeGreaterThan(before - old); // killed midway

    // No stale lock: the kernel released it with the process.
    const third = cli(['prune', '--db', path, '--older-than', '10d', '--json']);
    expect(await third.exited, third.stderr()).toBe(0);
    const summary = JSON.parse(third.stdout());
    expect(summary.cutoffs.trades).toBe(cutoff);
    // Rows before = deleted by the killed run (committed batches) + deleted now + kept.
    expect(before - partly + summary.deleted.trades).toBe(old);
    expect(count(path, 'SELECT count(*) FROM trades')).toBe(before - old);
    expect(count(path, `SELECT count(*) FROM trades WHERE block_time < ${cutoff}`)).toBe(0);
    expect(count(path, 'PRAGMA integrity_check' as string) as unknown).toBe('ok');
  }, 120_000);
});
