/**
 * Watch off a terminal (or with --ndjson): every accepted trade the feed delivers, once, as a
 * line. A closed pipe (`| head`) ends it quietly instead of throwing EPIPE.
 */
import type { WatchFeed } from './feed.js';
import { tradeFilter, type WatchFilters } from './filters.js';
import { ndjsonLine, plainLine } from './lines.js';

export interface WriteLinesOptions {
  feed: WatchFeed;
  out: NodeJS.WritableStream;
  format: 'plain' | 'ndjson';
  filters?: WatchFilters;
}

export interface LineWriter {
  /** Resolves when stopped or the reader went away. */
  done: Promise<void>;
  stop(): void;
}

export function writeTradeLines({ feed, out, format, filters }: WriteLinesOptions): LineWriter {
  const accept = tradeFilter(filters ?? {});
  const symbolOf = feed.symbolOf?.bind(feed);
  let stopped = false;
  let resolve!: () => void;
  const done = new Promise<void>((r) => (resolve = r));
  const stop = () => {
    if (stopped) return;
    stopped = true;
    unsubscribe();
    out.off('error', onError);
    resolve();
  };
  const onError = (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') process.stderr.write(`watch: output: ${err.message}\n`);
    stop();
  };
  out.on('error', onError);
  const unsubscribe = feed.subscribe((u) => {
    if (stopped || !u.trades) return;
    let text = '';
    for (const t of u.trades) if (accept(t)) text += (format === 'ndjson' ? ndjsonLine(t) : plainLine(t, symbolOf)) + '\n';
    if (text) out.write(text);
  });
  return { done, stop };
}
