/** Keys into the reducer (mapped in keys.ts), and quitting through Ink so the terminal is restored. */
import { useApp, useInput } from 'ink';
import { useEffect } from 'react';
import type { WatchAction, WatchState } from './model.js';

export function useWatchKeys(state: WatchState, dispatch: (a: WatchAction) => void, active: boolean): void {
  const { exit } = useApp();
  useInput(
    (input, key) => dispatch({ type: 'key', input, key }),
    { isActive: active },
  );
  useEffect(() => {
    // exit() unmounts: raw mode off, cursor shown, waitUntilExit resolves.
    if (state.quit) exit();
  }, [state.quit, exit]);
}
