/**
 * Keys to actions, pure. While the `/` prompt is open every printable key is text (so `q` can be
 * typed into a filter); Ctrl-C quits from anywhere.
 */
import type { KeyFlags, WatchAction, WatchState } from './state.js';

export type { KeyFlags } from './state.js';

export function keyAction(input: string, key: KeyFlags, s: Pick<WatchState, 'draft' | 'help' | 'selected'>): WatchAction | null {
  if (key.ctrl && input === 'c') return { type: 'quit' };
  if (s.draft !== null) {
    if (key.return) return { type: 'applyFilter' };
    if (key.escape) return { type: 'cancelFilter' };
    // Terminals send DEL (0x7f) for the backspace key, which Ink reports as `delete`.
    if (key.backspace || key.delete) return { type: 'editFilter', text: s.draft.slice(0, -1) };
    if (key.ctrl || key.meta || input === '') return null;
    return { type: 'editFilter', text: s.draft + input.replace(/[\x00-\x1f\x7f]/g, '') };
  }
  if (key.upArrow) return { type: 'moveSelection', by: -1 };
  if (key.downArrow) return { type: 'moveSelection', by: 1 };
  if (key.escape) return s.help ? { type: 'toggleHelp' } : s.selected !== null ? { type: 'clearSelection' } : null;
  if (key.ctrl || key.meta) return null;
  switch (input) {
    case 'q':
      return { type: 'quit' };
    case 'p':
      return { type: 'togglePause' };
    case 'w':
      return { type: 'cycleWindow' };
    case 'b':
      return { type: 'toggleBots' };
    case 'd':
      return { type: 'toggleDca' };
    case '/':
      return { type: 'openFilter' };
    case '?':
      return { type: 'toggleHelp' };
    case 'k':
      return { type: 'moveSelection', by: -1 };
    case 'j':
      return { type: 'moveSelection', by: 1 };
    default:
      return null;
  }
}

/** The footer's key list, also the help overlay's first column. */
export const KEY_HELP: ReadonlyArray<[string, string]> = [
  ['q', 'quit'],
  ['p', 'pause'],
  ['w', 'window'],
  ['b', 'bots only'],
  ['d', 'DCA only'],
  ['/', 'filter'],
  ['↑↓', 'select'],
  ['?', 'help'],
];
