/**
 * Sparklines when tailing a database: the per-slice net flow the database buckets for the
 * panel's rows (storedSparks through the flowSlices report, one statement) equals what the live
 * feed's netFlowSlices computes from the same stored trades. The file is filled through the real
 * pipeline with the bundled fixture trades laid out two seconds apart (test/tui/support.ts), so
 * the windows hold trades in many slices. The same on PostgreSQL: the report is one Kysely
 * statement both backends answer.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { createPipeline } from '../../src/core/pipeline.js';
import type { ClassifiedTrade } from '../../src/core/flow/types.js';
import type { Store } from '../../src/core/store/types.js';
import { openStore } from '../../src/store/index.js';
import type { WatchUpdate } from '../../src/tui/feed.js';
import { netFlowSlices, windowSeconds } from '../../src/core/flow/slices.js';
import { flowSlicesQuery } from '../../src/store/reports/flow-slices.js';
import { openDatabase } from '../../src/store/sqlite/index.js';
import { SPARK_SLICES, sparkSpans, storedFlows, storedSparks } from '../../src/watch/store-flows.js';
import { createTailFeed } from '../../src/watch/tail-feed.js';
import { retimedFixtureTrades } from '../tui/support.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres/database.js';
import { waitFor } from './support.js';

let root: string;
let pg: TestDatabase;
const backends: Record<string, { reader: Store; stored: ClassifiedTrade[]; db: string }> = {};

async function fill(db: string): Promise<void> {
  const writer = await openStore({ db });
  const pipeline = await createPipeline({ store: writer });
  await pipeline.ingestTrades(retimedFixtureTrades());
  await pipeline.close();
  await writer.close();
  const reader = await openStore({ db, readonly: true });
  const stored: ClassifiedTrade[] = [];
  for await (const page of reader.trades.readInOrder()) stored.push(...page);
  backends[db.startsWith('postgres') ? 'postgres' : 'sqlite'] = { reader, stored, db };
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'solflow-watch-sparks-'));
  pg = await createTestDatabase('sparks');
  await fill(join(root, 'a.db'));
  await fill(pg.url);
}, 120_000);
afterAll(async () => {
  for (const b of Object.values(backends)) await b.reader.close();
  await pg?.drop();
  rmSync(root, { recursive: true, force: true });
});

describe.each(['sqlite', 'postgres'])('sparklines from the stored trades (%s)', (backend) => {
  it('equal netFlowSlices over the same trades, for every window and row', async () => {
    const { reader, stored } = backends[backend];
    const flows = await storedFlows(reader);
    await storedSparks(reader, flows);
    const slicesUsed = new Map<string, Set<number>>();
    for (const snap of flows) {
      const expected = netFlowSlices(stored, snap.asOf, windowSeconds(snap.window), SPARK_SLICES);
      const used = new Set<number>();
      for (const row of snap.rows) {
        expect(row.spark, `${snap.window} ${row.mint}`).toEqual(expected.get(row.mint) ?? null);
        row.spark?.forEach((x, i) => x !== 0 && used.add(i));
      }
      slicesUsed.set(snap.window, used);
    }
    // Not vacuous: the 5m and 15m windows' rows spread over several slices.
    expect(slicesUsed.get('5m')!.size).toBeGreaterThan(3);
    expect(slicesUsed.get('15m')!.size).toBeGreaterThan(3);
    // A token's slices add up to its window's net flow (token_metrics), when all its trades are SOL-quoted.
    const fiveMin = flows.find((f) => f.window === '5m')!;
    const solOnly = fiveMin.rows.filter((r) => r.spark && stored.filter((t) => t.baseMint === r.mint).every((t) => t.solAmount !== null));
    expect(solOnly.length).toBeGreaterThan(0);
    for (const r of solOnly) expect(r.spark!.reduce((a, b) => a + b, 0)).toBe(r.netFlow);
  });

  it('reach the screen through the tail feed', async () => {
    const { reader, db } = backends[backend];
    const feed = createTailFeed({ store: reader, path: db, initial: 10, pollMs: 50 });
    const updates: WatchUpdate[] = [];
    const off = feed.subscribe((u) => updates.push(u));
    await waitFor('first update', () => updates.length >= 1, 10_000);
    off();
    await feed.close();
    const rows = updates[0].flows!.flatMap((f) => f.rows);
    expect(rows.some((r) => r.spark !== null && r.spark.length === SPARK_SLICES)).toBe(true);
  });
});

describe('the sparkline statement on SQLite', () => {
  it('reads the shown mints by their index, never a scan of the trades', async () => {
    const { reader, db } = backends.sqlite;
    const spans = sparkSpans(await storedFlows(reader));
    expect(spans.filter((s) => s.mints.length > 0).length).toBeGreaterThan(1);
    // The statement the report runs, as Kysely compiles it, with the same bound parameters.
    const file = openDatabase({ path: db, readonly: true });
    onTestFinished(() => file.close());
    const { sql, parameters } = flowSlicesQuery(await file.exactKysely(), { spans, slices: SPARK_SLICES })!.compile();
    const plan = (file.sqlite.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...parameters) as { detail: string }[]).map((r) => r.detail);
    // Every span's part walks the index (one per shown window), and nothing is scanned: neither
    // the trades nor the addresses the mints are looked up in.
    expect(plan.filter((d) => /SEARCH r USING INDEX trades_mint_time/.test(d)).length).toBe(spans.filter((s) => s.mints.length > 0).length);
    expect(plan.filter((d) => /^SCAN /.test(d))).toEqual([]);
  });
});
