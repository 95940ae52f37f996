/**
 * Prune beside a running ingest, all for real: the built CLI prunes a WAL file while another
 * process writes new trades through the real batched writer (busy timeout 5 s) and this process
 * reads with timed queries. Nothing the writer wrote may be lost or surface SQLITE_BUSY, the
 * counts must add up exactly, and the file must not grow past its starting size.
 */
import { statSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/sqlite/index.js';
import { walResetFrames } from '../../src/store/sqlite/prune/index.js';
import { tempDir } from '../store/tmp.js';
import { cli, tsChild } from './support.js';
import { buildSynthDb } from './synth-db.js';

const tmp = tempDir('solflow-prune-live-');
afterAll(() => tmp.cleanup());

const DAY = 86_400;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('prune beside a running writer and reader', () => {
  it('loses nothing the writer wrote, deletes exactly the old rows, never blocks the writer into SQLITE_BUSY, never grows the file', async () => {
    const path = tmp.file('live.db');
    const now = Math.floor(Date.now() / 1000);
    // 60 days of trades ending now: with --relative-to now and 30d, about half go.
    await buildSynthDb({ path, trades: 60_000, startTime: now - 60 * DAY, spanSeconds: 60 * DAY });
    const setup = new Database(path);
    const before = new Map((setup.prepare('SELECT id, block_time FROM trades').raw().all() as [number, number][]).map(([id, t]) => [id, t]));
    setup.pragma('wal_checkpoint(TRUNCATE)');
    setup.close();
    const startBytes = statSync(path).size;
    const probe = openDatabase({ path });
    const autocheckpoint = probe.sqlite.pragma('wal_autocheckpoint', { simple: true }) as number;
    await probe.close();

    // The reader: a dashboard-style query every 5 ms on its own read-only connection.
    const reader = new Database(path, { readonly: true });
    reader.pragma('busy_timeout = 5000');
    const hot = reader.prepare('SELECT base_mint FROM trades GROUP BY base_mint ORDER BY count(*) DESC LIMIT 1').pluck().get() as string;
    const query = reader.prepare('SELECT count(*), sum(sol_amount) FROM trades WHERE base_mint = ? AND block_time >= ?');
    const waits: number[] = [];
    let mainMax = 0;
    let walMax = 0;
    let reading = true;
    const readLoop = (async () => {
      while (reading) {
        const t0 = performance.now();
        query.get(hot, now - DAY);
        waits.push(performance.now() - t0);
        mainMax = Math.max(mainMax, statSync(path).size);
        try {
          walMax = Math.max(walMax, statSync(`${path}-wal`).size);
        } catch {
          // truncated away between checks
        }
        await sleep(5);
      }
    })();

    // Prune first (small batches: it runs for several seconds), then the writer joins while it
    // runs: new trades stamped from now on, 500 a second, one transaction per 20 ms tick.
    const prune = cli(['prune', '--db', path, '--older-than', '30d', '--relative-to', 'now', '--batch-size', '200', '--json', '--verbose']);
    await prune.waitFor(/^prune: trades [\d,]+ \//m);
    const stopFile = tmp.file('stop-writer');
    const writer = tsChild('test/prune/ingest-child.ts', [path, '500', String(now + 60), stopFile]);
    await writer.waitFor(/^ready$/m, 60_000);
    let pruneDone = false;
    void prune.exited.then(() => (pruneDone = true));
    expect(pruneDone).toBe(false); // the writer really wrote while prune ran
    const pruneCode = await prune.exited;
    reading = false;
    await readLoop;
    reader.close();
    await sleep(300); // a few more writer transactions after the prune
    writeFileSync(stopFile, '');
    const writerCode = await writer.exited;

    expect(pruneCode, prune.stderr()).toBe(0);
    expect(prune.stderr()).toMatch(/^prune: trades [\d,]+ \/ [\d,]+ \(100%\)$/m);
    const summary = JSON.parse(prune.stdout());
    expect(writerCode, writer.stderr() + writer.stdout()).toBe(0);
    const wrote = JSON.parse(writer.stdout().trim().split('\n').pop()!);
    expect(wrote.errors).toEqual([]);
    expect(wrote.written).toBe(wrote.generated);
    expect(wrote.generated).toBeGreaterThan(500);

    const db = new Database(path, { readonly: true });
    const cutoff = summary.cutoffs.trades as number;
    const old = [...before].filter(([, t]) => t < cutoff).map(([id]) => id);
    expect(old.length).toBeGreaterThan(25_000);
    // Exactly the old rows went: rows before = deleted + kept.
    expect(summary.deleted.trades).toBe(old.length);
    const left = new Set(db.prepare('SELECT id FROM trades WHERE id <= ?').pluck().all(Math.max(...before.keys())) as number[]);
    expect(left.size).toBe(before.size - old.length);
    for (const id of old) expect(left.has(id)).toBe(false);
    // Every trade the writer wrote is there, once.
    const live = db.prepare("SELECT count(*), count(DISTINCT signature) FROM trades WHERE signature LIKE 'live-%'").raw().get() as [number, number];
    expect(live).toEqual([wrote.generated, wrote.generated]);
    expect(db.prepare('SELECT count(*) FROM trades').pluck().get()).toBe(before.size - old.length + wrote.generated);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();

    // The file never grew past where it started (freed pages took the writer's rows), and ends smaller.
    expect(mainMax).toBeLessThanOrEqual(startBytes);
    expect(summary.file.bytesAfter).toBeLessThan(startBytes);
    // The WAL stays bounded (prune's reset limit + one batch + the writer's commits) instead of
    // growing with every page the prune rewrites.
    expect(walMax).toBeLessThan(walResetFrames(autocheckpoint) * 4096 + 16e6);
    // Neither the writer nor the reader waited long: prune held the lock ~50 ms at a time.
    const readerMax = Math.max(...waits);
    console.log(
      `prune beside ingest: ${summary.deleted.trades} trades in ${summary.seconds}s (${summary.transactions} transactions, longest ${summary.longestTransactionMs} ms); ` +
        `writer: ${wrote.generated} trades, longest commit ${wrote.longestWriteMs.toFixed(0)} ms; reader: ${waits.length} queries, longest ${readerMax.toFixed(0)} ms; ` +
        `file ${startBytes} -> ${summary.file.bytesAfter} bytes, WAL at most ${walMax}`,
    );
    expect(wrote.longestWriteMs).toBeLessThan(2000);
    expect(readerMax).toBeLessThan(1000);
  }, 180_000);
});
