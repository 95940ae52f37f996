import { afterEach, expect, it, vi } from 'vitest';
import { Text } from 'ink';
import { cleanup, render } from 'ink-testing-library';
import { useState } from 'react';
import type { Batch } from '../../src/tui/coalesce.js';
import { useCoalescedFeed } from '../../src/tui/use-coalesced-feed.js';
import { fixtureScript, ScriptedFeed } from './support.js';

const script = fixtureScript();

function Probe({ feed, flushes }: { feed: ScriptedFeed; flushes: Batch[] }) {
  const [n, setN] = useState(0);
  useCoalescedFeed(feed, (b) => setN((x) => x + b.accepted), {
    intervalMs: 100,
    tapeCap: 10,
    signalCap: 5,
    accept: (t) => !t.isBot,
    onFlush: (b) => flushes.push(b),
  });
  return <Text>{`${n} applied`}</Text>;
}

afterEach(() => cleanup());

it('hands the first update over at once, then merges whatever arrives before the next frame', async () => {
  const feed = new ScriptedFeed();
  const flushes: Batch[] = [];
  const r = render(<Probe feed={feed} flushes={flushes} />);
  expect(feed.subscribers).toBe(1);
  feed.emit(script.updates[0]);
  await vi.waitFor(() => expect(flushes).toHaveLength(1));
  for (const u of script.updates.slice(1)) feed.emit(u);
  await vi.waitFor(() => expect(flushes).toHaveLength(2));
  const accepted = script.trades.filter((t) => !t.isBot);
  expect(flushes[0].accepted + flushes[1].accepted).toBe(accepted.length);
  // The second batch keeps only the newest tapeCap accepted trades, in order.
  expect(flushes[1].trades).toHaveLength(10);
  expect(flushes[1].trades.at(-1)).toBe(accepted.at(-1));
  expect(flushes[1].status).toBe(script.updates.at(-1)!.status);
  await vi.waitFor(() => expect(r.lastFrame()).toBe(`${accepted.length} applied`));
  r.unmount();
  expect(feed.subscribers).toBe(0);
});
