/** Keyboard to actions (see keys.ts), and quitting through Ink so the terminal is restored. */
import { useApp, useInput } from 'ink';
import { useEffect } from 'react';
import { keyAction } from './keys.js';
import type { WatchAction, WatchState } from './model.js';

export function useWatchKeys(state: WatchState, dispatch: (a: WatchAction) => void, active: boolean): void {
  const { exit } = useApp();
  useInput(
    (input, key) => {
      const action = keyAction(input, key, state);
      if (action) dispatch(action);
    },
    { isActive: active },
  );
  useEffect(() => {
    // exit() unmounts: raw mode off, cursor shown, waitUntilExit resolves.
    if (state.quit) exit();
  }, [state.quit, exit]);
}
