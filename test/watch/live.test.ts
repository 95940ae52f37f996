/**
 * `watch --rpc URL --ws URL --ndjson`: the live pipeline run by watch itself, against the replay
 * server's chain on 127.0.0.1. Trades come out once each, are stored into --db too, and SIGTERM
 * ends it with exit 0 after the writer flushed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReplay, type ReplayServer } from '../support/replay/index.js';
import { ndjsonKeys, spawnCli, storedKeys, waitFor } from './support.js';

let root: string;
let server: ReplayServer;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'solflow-watch-live-'));
  server = await startReplay({ live: { slotMs: 25 } });
});
afterAll(async () => {
  await server?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('watch --rpc (the live pipeline in watch)', () => {
  it('prints each live trade once as NDJSON, stores them into --db, exits 0 on SIGTERM', async () => {
    const db = join(root, 'live.db');
    const wsUrl = server.url.replace(/^http/, 'ws');
    const watch = spawnCli(['watch', '--ndjson', '--rpc', server.url, '--ws', wsUrl, '--db', db]);
    try {
      await waitFor('live trades', () => ndjsonKeys(watch.stdout()).length >= 20 || watch.child.exitCode !== null, 120_000);
      expect(watch.child.exitCode, watch.stderr()).toBe(null);
    } finally {
      watch.child.kill('SIGTERM');
    }
    expect(await watch.exited, watch.stderr()).toBe(0);
    const printed = ndjsonKeys(watch.stdout());
    expect(new Set(printed).size).toBe(printed.length);
    const stored = new Set(storedKeys(db).keys);
    // Every printed trade was stored (the writer flushed on the way out).
    expect(printed.filter((k) => !stored.has(k))).toEqual([]);
  }, 200_000);
});
