/** Where the bundled real mainnet transactions are, in the source tree and in the package. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packagePath } from '../../util/package-root.js';

const FIXTURES = packagePath('fixtures');

export function bundledFixturesDir(): string {
  return join(FIXTURES, 'tx');
}

/**
 * The recorded keeper fills in fixtures/fills that are real transactions (manifest kind
 * "real"); the constructed ones (rebuilt by hand for decoder tests) are never shown as chain data.
 */
export function realFillFiles(): string[] {
  const manifest = join(FIXTURES, 'fills', 'manifest.jsonl');
  if (!existsSync(manifest)) return [];
  return readFileSync(manifest, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as { signature: string; kind?: string })
    .filter((e) => e.kind === 'real')
    .map((e) => join(FIXTURES, 'fills', `${e.signature}.json`))
    .filter((f) => existsSync(f));
}
