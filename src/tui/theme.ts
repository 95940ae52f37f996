/**
 * Colour on or off for the whole screen. NO_COLOR (any non-empty value, per no-color.org) turns
 * it off; components ask `tint()` instead of naming colours directly, so off means no colour
 * escape at all rather than a default colour.
 */
import { createContext, useContext } from 'react';

export type Tint = 'buy' | 'sell' | 'bot' | 'dca' | 'limit' | 'via' | 'sandwich' | 'dim' | 'title' | 'warn' | 'signal';

const COLORS: Record<Tint, string> = {
  buy: 'green',
  sell: 'red',
  bot: 'magenta',
  dca: 'cyan',
  limit: 'blue',
  via: 'gray',
  sandwich: 'yellow',
  dim: 'gray',
  title: 'cyan',
  warn: 'yellow',
  signal: 'yellow',
};

export interface Theme {
  color: boolean;
}

export const colorWanted = (env: NodeJS.ProcessEnv = process.env): boolean => !env.NO_COLOR;

export const ThemeContext = createContext<Theme>({ color: true });

/** The colour for `t`, or undefined when colour is off. */
export function useTint(): (t: Tint) => string | undefined {
  const { color } = useContext(ThemeContext);
  return (t) => (color ? COLORS[t] : undefined);
}
