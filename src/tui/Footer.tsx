/** The keys, or the `/` prompt while it is open. */
import { Text } from 'ink';
import { KEY_HELP } from './keys.js';
import { useTint } from './theme.js';

export interface FooterProps {
  draft: string | null;
}

export function Footer({ draft }: FooterProps) {
  const tint = useTint();
  if (draft !== null) {
    return (
      <Text wrap="truncate">
        <Text bold>{'/ filter by mint or wallet: '}</Text>
        {draft}
        <Text inverse> </Text>
        <Text color={tint('dim')}>{'  enter apply · esc cancel · empty clears'}</Text>
      </Text>
    );
  }
  return (
    <Text wrap="truncate" color={tint('dim')}>
      {KEY_HELP.map(([k, what]) => `${k} ${what}`).join('  ')}
    </Text>
  );
}
