/**
 * Store.trades.after / latest on a real SQLite file, and the tail feed's first update: the
 * newest screenful, flows equal to `query top-flows` (the same report), status from the file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/core/store/types.js';
import { openStore } from '../../src/store/index.js';
import type { WatchUpdate } from '../../src/tui/feed.js';
import { createTailFeed } from '../../src/watch/tail-feed.js';
import { FIXTURE_TX_DIR } from '../support/replay/index.js';
import { runCli, waitFor } from './support.js';

let root: string;
let db: string;
let store: Store;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'solflow-watch-store-'));
  db = join(root, 'a.db');
  const r = await runCli(['backfill', '--from', FIXTURE_TX_DIR, '--db', db, '--quiet']);
  expect(r.code, r.stderr).toBe(0);
  store = await openStore({ db, readonly: true });
}, 120_000);
afterAll(async () => {
  await store?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('Store.trades.after and latest (SQLite)', () => {
  it('pages through every stored trade by key, each once, in key order, with its flags', async () => {
    const raw = new Database(db, { readonly: true });
    const ids = raw.prepare('SELECT id, signature, ix_path, is_bot FROM trade_rows ORDER BY id').all() as { id: number; signature: string; ix_path: string; is_bot: number }[];
    raw.close();
    const got: { key: number; sig: string; isBot: boolean }[] = [];
    let key = 0;
    for (;;) {
      const page = await store.trades.after(key, 7);
      expect(page.maxKey).toBe(ids[ids.length - 1].id);
      got.push(...page.trades.map((t) => ({ key: t.key, sig: `${t.trade.signature}#${t.trade.ixPath}`, isBot: t.trade.isBot })));
      if (page.trades.length < 7) break;
      key = page.trades[page.trades.length - 1].key;
    }
    expect(got).toEqual(ids.map((r) => ({ key: r.id, sig: `${r.signature}#${r.ix_path}`, isBot: r.is_bot === 1 })));
    expect(got.some((g) => g.isBot)).toBe(true);
    const latest = await store.trades.latest(5);
    expect(latest.trades.map((t) => t.key)).toEqual(ids.slice(-5).map((r) => r.id));
    expect(latest.trades.every((t) => t.insertedAt > 1_600_000_000_000)).toBe(true);
    expect((await store.trades.latest(0)).trades).toEqual([]);
    expect((await store.trades.after(ids[ids.length - 1].id, 10)).trades).toEqual([]);
    await expect(store.trades.after(0, 0)).rejects.toThrow(/limit/);
  });

  it('reads by the rowid, never a scan of the table', () => {
    const raw = new Database(db, { readonly: true });
    const plan = (sql: string) => (raw.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...(sql.includes('?') ? [1, 10] : [])) as { detail: string }[]).map((r) => r.detail).join(' | ');
    const cols = 'id, signature, ix_path, trader, base_mint';
    expect(plan(`SELECT ${cols} FROM trades WHERE id > ? ORDER BY id LIMIT ?`)).toMatch(/SEARCH r USING INTEGER PRIMARY KEY \(rowid>\?\)/);
    expect(plan(`SELECT ${cols} FROM trades ORDER BY id DESC LIMIT 5`)).not.toMatch(/TEMP B-TREE/);
    raw.close();
  });
});

describe('the tail feed', () => {
  it('first sends the newest screenful, the flows `query top-flows` answers, and the status', async () => {
    const feed = createTailFeed({ store, path: db, initial: 50, pollMs: 50 });
    const updates: WatchUpdate[] = [];
    const off = feed.subscribe((u) => updates.push(u));
    await waitFor('two updates', () => updates.length >= 2, 10_000);
    off();
    await feed.close();
    const first = updates[0];
    const newest = await store.trades.latest(50);
    expect(first.trades!.map((t) => `${t.signature}#${t.ixPath}`)).toEqual(newest.trades.map((k) => `${k.trade.signature}#${k.trade.ixPath}`));
    for (const snap of first.flows!) {
      const top = await store.reports.topFlows({ window: snap.window, order: 'net', limit: 20 });
      expect(snap.rows.map((r) => [r.mint, r.netFlow, r.buyCount, r.sellCount])).toEqual(top.map((r) => [r.mint, Number(r.netFlow), r.buyCount, r.sellCount]));
    }
    expect(first.flows!.some((s) => s.rows.length > 0)).toBe(true);
    const extent = await store.trades.extent();
    expect(first.status).toMatchObject({ source: { kind: 'db', path: db }, newestSlot: extent.maxSlot, newestTime: extent.maxTime, tradesSeen: 50 });
    // Nothing new was written: later polls bring no trades.
    expect(updates.slice(1).every((u) => (u.trades ?? []).length === 0)).toBe(true);
  });
});
