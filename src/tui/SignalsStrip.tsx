/** The last few signals, newest first, each with its token and the numbers that fired it. */
import { Box, Text } from 'ink';
import type { Signal } from '../core/flow/types.js';
import { clock, signalWhy, tokenText } from './text.js';
import { useTint } from './theme.js';

export interface SignalsStripProps {
  signals: readonly Signal[];
  maxRows: number;
  symbolOf?: (mint: string) => string | null;
}

export function SignalsStrip({ signals, maxRows, symbolOf }: SignalsStripProps) {
  const tint = useTint();
  const shown = signals.slice(0, maxRows);
  return (
    <Box flexDirection="column">
      <Text wrap="truncate" bold color={tint('title')}>
        signals
      </Text>
      {shown.length === 0 ? (
        <Text wrap="truncate" color={tint('dim')}>
          none yet
        </Text>
      ) : (
        shown.map((s) => (
          <Text key={`${s.mint}:${s.type}:${s.signature}`} wrap="truncate">
            {`${clock(s.blockTime)} `}
            <Text bold color={tint('signal')}>
              {s.type.padEnd(15)}
            </Text>
            {`${tokenText(s.mint, symbolOf).padEnd(11)} ${signalWhy(s)}`}
          </Text>
        ))
      )}
    </Box>
  );
}
