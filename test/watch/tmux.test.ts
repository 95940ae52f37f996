/**
 * End to end in a real terminal (tmux, fixed 140x40): `watch --db F` on screen while another
 * process backfills into F. The newest slot and the new trades must show up, `q` must exit 0
 * with the cursor shown again and no alternate screen left on. Latency from the commit (seen by
 * polling the file from here) to the screen is measured and printed, not asserted: timing
 * belongs in benchmarks; the bound below is only "it arrives".
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/replay/index.js';
import { CLI_ARGS, runCli, splitFixtures, storedKeys, waitFor } from './support.js';

const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const SOCKET = `solflow-watch-test-${process.pid}`;
let root: string;

const tmux = (...args: string[]) => execFileSync('tmux', ['-L', SOCKET, '-f', '/dev/null', ...args], { encoding: 'utf8' });
const screen = () => tmux('capture-pane', '-p', '-t', 'w');
const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
/** A slot as the header may print it: digits, thousands separators allowed. */
const slotPattern = (slot: number) => new RegExp(`slot ${String(slot).split('').join(`[,_' ]?`)}\\b`);

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'solflow-watch-tmux-'));
});
afterAll(() => {
  if (hasTmux) spawnSync('tmux', ['-L', SOCKET, 'kill-server']);
  rmSync(root, { recursive: true, force: true });
});

describe.skipIf(!hasTmux)('watch --db in tmux beside a backfill', () => {
  it('shows the new trades and the newest slot, and q exits 0 with the terminal restored', async () => {
    const [first, second] = splitFixtures(root, 2);
    const db = join(root, 'tmux.db');
    const b1 = await runCli(['backfill', '--from', first, '--db', db, '--quiet']);
    expect(b1.code, b1.stderr).toBe(0);
    const start = storedKeys(db);
    const exitFile = join(root, 'exit');
    const cmd = [process.execPath, ...CLI_ARGS, 'watch', '--db', db].map(shellQuote).join(' ');
    // After watch ends the shell stays a while, so the pane's terminal state can be read.
    tmux('new-session', '-d', '-s', 'w', '-x', '140', '-y', '40', '-c', REPO_ROOT, `sh -c ${shellQuote(`${cmd}; echo $? > ${exitFile}; sleep 120`)}`);
    tmux('set-option', '-t', 'w', 'status', 'off');

    await waitFor('the first screen', () => slotPattern(start.maxSlot!).test(screen()) && screen().includes(`${start.keys.length} trades seen`), 90_000);

    // The writer in another process; the commit time is when this process first sees the rows.
    const reader = new Database(db, { readonly: true });
    const total = () => reader.prepare('SELECT count(*) FROM trade_rows').pluck().get() as number;
    const { spawnCli } = await import('./support.js');
    const writer = spawnCli(['backfill', '--from', second, '--db', db, '--quiet']);
    let committedAt = 0;
    let onScreenAt = 0;
    let expected = 0;
    let expectedSlot = 0;
    await waitFor(
      'the backfilled trades on screen',
      async () => {
        if (!committedAt && total() > start.keys.length) committedAt = Date.now();
        if (writer.child.exitCode === null) return false;
        if (!expected) {
          const s = storedKeys(db);
          expected = s.keys.length;
          expectedSlot = s.maxSlot!;
        }
        const text = screen();
        if (slotPattern(expectedSlot).test(text) && text.includes(`${expected} trades seen`)) {
          onScreenAt = Date.now();
          return true;
        }
        return false;
      },
      60_000,
      20,
    );
    reader.close();
    expect(await writer.exited).toBe(0);
    expect(expectedSlot).toBeGreaterThan(start.maxSlot!);
    const capture = screen();
    // Off the writer's process (a backfill commits all its trades in one transaction): from the
    // commit being visible to this process to the screen showing every trade and the new slot.
    console.log(`watch: commit -> screen ${onScreenAt - committedAt} ms (${expected - start.keys.length} new trades)`);
    if (process.env.WATCH_CAPTURE) writeFileSync(process.env.WATCH_CAPTURE, capture);
    expect(capture).toMatch(/solflow watch/);
    expect(capture.split('\n').every((l) => l.length <= 140)).toBe(true);

    tmux('send-keys', '-t', 'w', 'q');
    await waitFor('watch to exit', () => existsSync(exitFile) && readFileSync(exitFile, 'utf8').trim() !== '', 30_000);
    expect(readFileSync(exitFile, 'utf8').trim()).toBe('0');
    expect(tmux('display-message', '-p', '-t', 'w', '#{cursor_flag} #{alternate_on}').trim()).toBe('1 0');
  }, 300_000);
});
