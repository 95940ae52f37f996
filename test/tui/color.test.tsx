import './force-color.js';
import { afterEach, expect, it, vi } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { colorWanted } from '../../src/tui/theme.js';
import { WatchApp } from '../../src/tui/WatchApp.js';
import { fixtureScript, ScriptedFeed } from './support.js';
import { renderAt } from './render.js';

const script = fixtureScript();
const COLOR = /\x1b\[(3[0-9]|9[0-7])m/;

afterEach(() => cleanup());

async function frame(color: boolean): Promise<string> {
  const feed = new ScriptedFeed();
  const r = renderAt(<WatchApp feed={feed} color={color} />, 100);
  for (const u of script.updates) feed.emit(u);
  // Wait on content: the last update's trade count in the header.
  await vi.waitFor(() => expect(r.lastFrame()).toContain(`${script.trades.length} trades seen`), { timeout: 3000 });
  return r.lastFrame() ?? '';
}

it('colours sides and flags when colour is on', async () => {
  const f = await frame(true);
  expect(f).toMatch(COLOR);
  expect(f).toMatch(/\x1b\[32mbuy/);
  expect(f).toMatch(/\x1b\[31msell/);
});

it('draws no colour escape at all when colour is off', async () => {
  expect(await frame(false)).not.toMatch(COLOR);
});

it('turns colour off for any non-empty NO_COLOR', () => {
  expect(colorWanted({})).toBe(true);
  expect(colorWanted({ NO_COLOR: '1' })).toBe(false);
  expect(colorWanted({ NO_COLOR: '' })).toBe(true);
});
