/** The whole screen for one state and terminal size; it holds no state of its own. */
import { Box } from 'ink';
import { useMemo } from 'react';
import { Footer } from './Footer.js';
import { Header } from './Header.js';
import { HelpOverlay } from './HelpOverlay.js';
import { flowColumns, heightBudget, tapeColumns } from './layout.js';
import { visibleRows, type WatchState } from './model.js';
import { SignalsStrip } from './SignalsStrip.js';
import { Tape } from './Tape.js';
import { TopFlows } from './TopFlows.js';

export interface WatchScreenProps {
  state: WatchState;
  columns: number;
  rows: number;
  symbolOf?: (mint: string) => string | null;
}

export function WatchScreen({ state, columns, rows, symbolOf }: WatchScreenProps) {
  const budget = heightBudget(rows);
  const tapeCols = useMemo(() => tapeColumns(columns), [columns]);
  const flowCols = useMemo(() => flowColumns(columns), [columns]);
  const paused = state.frozen !== null;
  const filtered = state.view.botsOnly || state.view.dcaOnly || state.view.query !== '';
  return (
    <Box flexDirection="column" width={columns}>
      <Header status={state.status} window={state.window} view={state.view} paused={paused} arrivedWhilePaused={state.arrivedWhilePaused} />
      {state.help ? (
        // The help is taller than the tape's share of a small terminal: it takes the body.
        <HelpOverlay />
      ) : (
        <>
          <Tape
            trades={visibleRows(state, budget.tapeRows)}
            columns={tapeCols}
            selected={state.selected}
            symbolOf={symbolOf}
            empty={filtered ? 'no trade on the tape matches the screen filters' : 'waiting for trades…'}
          />
          <TopFlows
            window={state.window}
            snapshot={state.flows[state.window]}
            columns={flowCols}
            maxRows={budget.flowRows}
            now={state.status?.newestTime ?? null}
            symbolOf={symbolOf}
          />
          <SignalsStrip signals={state.signals} maxRows={budget.signalRows} symbolOf={symbolOf} />
        </>
      )}
      <Footer draft={state.draft} />
    </Box>
  );
}
