/** Tokens ranked by net SOL flow over the selected window, as the feed ranked them. */
import { Box, Text } from 'ink';
import type { FlowSnapshot, WatchWindow } from './feed.js';
import { flowCells, flowTitle } from './flow-cells.js';
import { GAP, type Column, type FlowColumnId } from './layout.js';
import { useTint } from './theme.js';

export interface TopFlowsProps {
  window: WatchWindow;
  snapshot: FlowSnapshot | undefined;
  columns: readonly Column<FlowColumnId>[];
  maxRows: number;
  /** Chain time signal ages are counted to (the newest trade's), null when unknown. */
  now: number | null;
  symbolOf?: (mint: string) => string | null;
}

export function TopFlows({ window, snapshot, columns, maxRows, now, symbolOf }: TopFlowsProps) {
  const tint = useTint();
  const rows = snapshot?.rows.slice(0, maxRows) ?? [];
  const netAt = columns.findIndex((c) => c.id === 'net');
  const sep = ' '.repeat(GAP);
  return (
    <Box flexDirection="column">
      <Text wrap="truncate" bold color={tint('title')}>
        {`top flows · ${window}`}
      </Text>
      <Text wrap="truncate" color={tint('dim')}>
        {flowTitle(columns)}
      </Text>
      {rows.length === 0 ? (
        <Text wrap="truncate" color={tint('dim')}>
          {snapshot ? 'no token traded in this window' : 'waiting for flows…'}
        </Text>
      ) : (
        rows.map((r) => {
          const cells = flowCells(r, columns, now, symbolOf);
          return (
            <Text key={r.mint} wrap="truncate">
              {cells.slice(0, netAt).map((c) => c + sep).join('')}
              <Text color={tint(r.netFlow >= 0 ? 'buy' : 'sell')}>{cells[netAt]}</Text>
              {cells.slice(netAt + 1).map((c) => sep + c).join('')}
            </Text>
          );
        })
      )}
    </Box>
  );
}
