/** ink-testing-library at a chosen terminal size (its stdout is 100 columns and has no rows). */
import { render } from 'ink-testing-library';
import type { ReactElement } from 'react';

export type Rendered = ReturnType<typeof render>;

export function renderAt(tree: ReactElement, columns: number, rows = 30): Rendered {
  const r = render(tree);
  resize(r, columns, rows);
  return r;
}

export function resize(r: Rendered, columns: number, rows = 30): void {
  Object.defineProperty(r.stdout, 'columns', { value: columns, configurable: true });
  Object.defineProperty(r.stdout, 'rows', { value: rows, configurable: true });
  r.stdout.emit('resize');
}

/** Lets the coalescing timer and Ink's render run. */
export const tick = (ms = 130): Promise<void> => new Promise((r) => setTimeout(r, ms));
