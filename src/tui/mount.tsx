/**
 * How a `watch` command starts the screen: `startWatch` picks the Ink app on a terminal and
 * plain (or NDJSON) lines otherwise, and resolves with the exit code (0 on q, Ctrl-C, SIGINT,
 * SIGTERM or a closed pipe). The command only builds the feed and awaits this.
 */
import { render } from 'ink';
import type { WatchFeed } from './feed.js';
import type { WatchFilters } from './filters.js';
import { colorWanted } from './theme.js';
import { WatchApp, type WatchAppProps } from './WatchApp.js';
import { writeTradeLines } from './write-lines.js';

export interface StartWatchOptions extends Omit<WatchAppProps, 'color' | 'keys'> {
  feed: WatchFeed;
  filters?: WatchFilters;
  /** --ndjson: lines for programs even on a terminal. */
  ndjson?: boolean;
  stdout?: NodeJS.WriteStream;
  stdin?: NodeJS.ReadStream;
  stderr?: NodeJS.WriteStream;
  env?: NodeJS.ProcessEnv;
  /** Exit 0 on SIGINT/SIGTERM (default true; tests pass false). */
  handleSignals?: boolean;
}

export interface WatchHandle {
  /** The exit code once watch has ended and the terminal is restored. */
  exited: Promise<number>;
  /** End it from outside (the feed failed, the pipeline stopped). */
  stop(): void;
}

function onSignals(stop: () => void): () => void {
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return () => {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  };
}

export function startWatch(o: StartWatchOptions): WatchHandle {
  const stdout = o.stdout ?? process.stdout;
  const stdin = o.stdin ?? process.stdin;
  const handleSignals = o.handleSignals ?? true;
  if (o.ndjson || !stdout.isTTY) {
    const w = writeTradeLines({ feed: o.feed, out: stdout, format: o.ndjson ? 'ndjson' : 'plain', filters: o.filters });
    const release = handleSignals ? onSignals(w.stop) : () => {};
    return { exited: w.done.then(() => (release(), 0)), stop: w.stop };
  }
  const { ndjson: _n, stdout: _o, stdin: _i, stderr, env, handleSignals: _h, ...props } = o;
  const instance = render(<WatchApp {...props} color={colorWanted(env ?? process.env)} keys={Boolean(stdin.isTTY)} />, {
    stdout,
    stdin,
    stderr: stderr ?? process.stderr,
    // Ctrl-C arrives as a key in raw mode; the app quits through Ink so the terminal is restored.
    exitOnCtrlC: false,
    maxFps: 10,
  });
  const stop = () => instance.unmount();
  const release = handleSignals ? onSignals(stop) : () => {};
  const exited = instance.waitUntilExit().then(
    () => (release(), 0),
    (err: Error) => {
      release();
      (stderr ?? process.stderr).write(`watch: ${err.message}\n`);
      return 1;
    },
  );
  return { exited, stop };
}
