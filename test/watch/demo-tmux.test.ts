/**
 * `solflow demo --watch` end to end in a real terminal (tmux, 140x40): the bundled transactions
 * replayed as a chain on 127.0.0.1 through the live pipeline, run as a user runs it: the built
 * CLI (bin/solflow.js, the bundle with its frame and writer workers; `npm test` builds first).
 * The screen must say it is a
 * replay, and within a minute show the tape with flags (BOT, a platform) and a signal in
 * the strip; q exits 0 with the terminal restored.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/replay/index.js';
import { waitFor } from './support.js';

const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const SOCKET = `solflow-demo-watch-test-${process.pid}`;
let root: string;

const tmux = (...args: string[]) => execFileSync('tmux', ['-L', SOCKET, '-f', '/dev/null', ...args], { encoding: 'utf8' });
const screen = () => tmux('capture-pane', '-p', '-t', 'd');
const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'solflow-demo-watch-'));
});
afterAll(() => {
  if (hasTmux) spawnSync('tmux', ['-L', SOCKET, 'kill-server']);
  rmSync(root, { recursive: true, force: true });
});

/** The lines under the signals title, up to the footer. */
function signalLines(text: string): string[] {
  const l = text.split('\n');
  const at = l.findIndex((x) => x.startsWith('signals'));
  return at < 0 ? [] : l.slice(at + 1).filter((x) => /^\d\d:\d\d:\d\d /.test(x));
}

describe.skipIf(!hasTmux)('demo --watch in tmux', () => {
  it('replays the bundle live: labelled a replay, the tape with flags, a signal within a minute; q exits 0', async () => {
    const exitFile = join(root, 'exit');
    const cmd = [process.execPath, join(REPO_ROOT, 'bin', 'solflow.js'), 'demo', '--watch'].map(shellQuote).join(' ');
    tmux('new-session', '-d', '-s', 'd', '-x', '140', '-y', '40', '-c', REPO_ROOT, `sh -c ${shellQuote(`${cmd}; echo $? > ${exitFile}; sleep 120`)}`);
    tmux('set-option', '-t', 'd', 'status', 'off');

    await waitFor('the replay on screen', () => /^solflow replay\b/.test(screen()), 60_000);
    const started = Date.now();
    await waitFor('a signal in the strip', () => signalLines(screen()).length > 0, 60_000, 100);
    console.log(`demo --watch: first signal ${Date.now() - started} ms after the screen came up`);
    await waitFor('BOT on the tape', () => /\bBOT\b/.test(screen()), 60_000, 100);
    console.log(`demo --watch: BOT ${Date.now() - started} ms after the screen came up`);
    const text = screen();
    expect(text).toMatch(/REPLAY 127\.0\.0\.1:\d+ \(bundled transactions, 5× time, signal thresholds lowered\)/);
    expect(signalLines(text)[0]).toMatch(/ (BREAKOUT|FOCUSED_BUYERS|FLOW_REVERSAL|[A-Z_]+) +\S+/);
    expect(text).toMatch(/via (Jupiter|OKX|BullX|Photon)/);
    expect(text).toMatch(/swap (SOL|USDC|USDT)→(SOL|USDC|USDT)/);
    expect(text).not.toMatch(/\b(buy|sell) +EPjF…Dt1v\b/);
    expect(text.split('\n').every((l) => l.length <= 140)).toBe(true);

    tmux('send-keys', '-t', 'd', 'q');
    await waitFor('demo to exit', () => existsSync(exitFile) && readFileSync(exitFile, 'utf8').trim() !== '', 30_000);
    expect(readFileSync(exitFile, 'utf8').trim()).toBe('0');
    expect(tmux('display-message', '-p', '-t', 'd', '#{cursor_flag} #{alternate_on}').trim()).toBe('1 0');
  }, 200_000);
});
