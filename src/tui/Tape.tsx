/** The trades tape: newest on top, as many rows as the screen gives it. */
import { Box, Text } from 'ink';
import type { ClassifiedTrade } from '../core/flow/types.js';
import { tradeKey } from './filters.js';
import type { Column, TapeColumnId } from './layout.js';
import { tapeTitle } from './tape-cells.js';
import { TapeRow } from './TapeRow.js';
import { useTint } from './theme.js';

export interface TapeProps {
  /** Already filtered and cut to the rows that fit. */
  trades: readonly ClassifiedTrade[];
  columns: readonly Column<TapeColumnId>[];
  selected: string | null;
  symbolOf?: (mint: string) => string | null;
  /** Shown when there is nothing to draw. */
  empty: string;
}

export function Tape({ trades, columns, selected, symbolOf, empty }: TapeProps) {
  const tint = useTint();
  return (
    <Box flexDirection="column">
      <Text wrap="truncate" color={tint('dim')}>
        {tapeTitle(columns)}
      </Text>
      {trades.length === 0 ? (
        <Text wrap="truncate" color={tint('dim')}>
          {empty}
        </Text>
      ) : (
        trades.map((t) => {
          const key = tradeKey(t);
          return <TapeRow key={key} trade={t} columns={columns} selected={key === selected} symbolOf={symbolOf} />;
        })
      )}
    </Box>
  );
}
