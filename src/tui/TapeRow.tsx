/** One trade on the tape. Memoised: between frames most rows are the same trade objects. */
import { Text } from 'ink';
import { memo } from 'react';
import type { ClassifiedTrade } from '../core/flow/types.js';
import type { Column, TapeColumnId } from './layout.js';
import { tapeSegments } from './tape-cells.js';
import { useTint } from './theme.js';

export interface TapeRowProps {
  trade: ClassifiedTrade;
  columns: readonly Column<TapeColumnId>[];
  selected: boolean;
  symbolOf?: (mint: string) => string | null;
}

export const TapeRow = memo(function TapeRow({ trade, columns, selected, symbolOf }: TapeRowProps) {
  const tint = useTint();
  return (
    <Text wrap="truncate" inverse={selected}>
      {tapeSegments(trade, columns, selected, symbolOf).map((s, i) =>
        s.tint ? (
          <Text key={i} color={tint(s.tint)}>
            {s.text}
          </Text>
        ) : (
          s.text
        ),
      )}
    </Text>
  );
});
