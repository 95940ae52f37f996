/**
 * How a command should load the watch screen: React's development build (what loads when
 * NODE_ENV is unset, as under bin/solflow.js) spends tens of times longer per frame than the
 * production build (test/bench/watch-render.ts prints both), so the screen would fall behind
 * a few hundred trades a second. React reads NODE_ENV once, when it is first loaded, so this
 * sets it before the first import of anything that pulls React in (ink included).
 */
export async function loadWatch(): Promise<typeof import('./index.js')> {
  process.env.NODE_ENV ??= 'production';
  // Ink reads CI once, when it loads, and under CI draws only the final frame. A terminal on
  // stdout means someone is watching, whatever a CI variable leaked from their environment says.
  if (process.stdout.isTTY) {
    process.env.CI = '0';
    process.env.CONTINUOUS_INTEGRATION = '0';
  }
  return import('./index.js');
}
