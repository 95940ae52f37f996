/** Two lines: how fresh the trades are and how many; then the rate, the screen's modes and the source. */
import { Box, Text } from 'ink';
import type { WatchStatus, WatchWindow } from './feed.js';
import type { ViewFilter } from './filters.js';
import { sourceLabel } from './source-label.js';
import { clock, digits } from './text.js';
import { useTint } from './theme.js';

export interface HeaderProps {
  status: WatchStatus | null;
  window: WatchWindow;
  view: ViewFilter;
  paused: boolean;
  arrivedWhilePaused: number;
}

function lagText(lag: WatchStatus['lag']): string {
  if (!lag || (lag.slots === null && lag.seconds === null)) return 'lag ?';
  const parts = [lag.slots === null ? null : `${digits(lag.slots)} slots`, lag.seconds === null ? null : `${lag.seconds.toFixed(1)}s`].filter(Boolean);
  return `lag ${parts.join(' / ')} behind ${lag.behind}`;
}

export function Header({ status, window, view, paused, arrivedWhilePaused }: HeaderProps) {
  const tint = useTint();
  const slot = status?.newestSlot == null ? 'slot -' : `slot ${digits(status.newestSlot)} at ${clock(status.newestTime)}`;
  const modes = [
    `window ${window}`,
    view.botsOnly ? 'bots only' : null,
    view.dcaOnly ? 'DCA only' : null,
    view.query ? `filter "${view.query}"` : null,
  ].filter(Boolean);
  // Freshness first on line 1; on a narrow terminal the source label, last on line 2, is what gets cut.
  return (
    <Box flexDirection="column">
      <Text wrap="truncate">
        {/* A replay says so first, where a narrow terminal never cuts it. */}
        {status?.source.kind === 'replay' ? (
          <Text bold color={tint('warn')}>
            solflow replay
          </Text>
        ) : (
          <Text bold color={tint('title')}>
            solflow watch
          </Text>
        )}
        {`  ${slot}  │  ${status ? lagText(status.lag) : 'lag ?'}  │  ${digits(status?.tradesSeen ?? 0)} trades seen`}
      </Text>
      <Text wrap="truncate">
        {`${(status?.tradesPerSec ?? 0).toFixed(1)} trades/s  │  `}
        {status?.notice ? <Text bold color={tint('warn')}>{`${status.notice}  │  `}</Text> : null}
        {paused ? <Text bold color={tint('warn')}>{`PAUSED (+${digits(arrivedWhilePaused)} new)  │  `}</Text> : null}
        {`${modes.join('  │  ')}  │  ${status ? sourceLabel(status.source) : 'connecting…'}`}
      </Text>
    </Box>
  );
}
