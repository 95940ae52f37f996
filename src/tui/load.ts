/**
 * How a command should load the watch screen: React's development build (what loads when
 * NODE_ENV is unset, as under bin/solflow.js) spends tens of times longer per frame than the
 * production build (test/bench/watch-render.ts prints both), so the screen would fall behind
 * a few hundred trades a second. React reads NODE_ENV once, when it is first loaded, so this
 * sets it before the first import of anything that pulls React in (ink included).
 */
export async function loadWatch(): Promise<typeof import('./index.js')> {
  process.env.NODE_ENV ??= 'production';
  return import('./index.js');
}
