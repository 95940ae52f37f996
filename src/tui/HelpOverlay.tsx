/** `?`: what each key does and what the flags mean, drawn in place of the tape. */
import { Box, Text } from 'ink';
import { useTint } from './theme.js';

const LINES: ReadonlyArray<[string, string]> = [
  ['q, Ctrl-C', 'quit'],
  ['p', 'pause the tape (counts, flows and signals keep updating)'],
  ['w', 'next flows window: 5m, 15m, 1h, 4h'],
  ['b', 'only trades flagged BOT'],
  ['d', 'only Jupiter DCA fills'],
  ['/', 'only trades whose mint or wallet contains the text'],
  ['↑ ↓ (k j)', 'select a trade: a selected BOT shows its reasons; esc clears'],
  ['?, esc', 'close this help'],
  ['', ''],
  ['BOT', 'automated behaviour (rate, round trip, sandwich, fixed size, fee outlier…)'],
  ['SW:front/back', 'a sandwich leg'],
  ['DCA / LIMIT', 'a Jupiter DCA fill / limit-order fill'],
  ['via X', 'the bot platform or router the trade came through'],
];

export function HelpOverlay() {
  const tint = useTint();
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1}>
      <Text bold color={tint('title')}>
        keys
      </Text>
      {LINES.map(([k, what], i) => (
        <Text key={i} wrap="truncate">
          <Text bold>{k.padEnd(15)}</Text>
          {what}
        </Text>
      ))}
    </Box>
  );
}
