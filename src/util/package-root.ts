/**
 * Files the package ships beside its code (sql/, fixtures/), found from the package's own
 * directory. Code runs from three depths: src/… under tsx and vitest, dist/… as tsc builds it,
 * and dist/bundle/ as the CLI bundle; a path counted in `../` from one module holds for only
 * one of them, so the root is found by walking up to the package.json.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'sql'))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error(`cannot find solflow's package directory above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
}

/** A path inside the package: `packagePath('sql', 'postgres')`. */
export function packagePath(...parts: string[]): string {
  root ??= findRoot();
  return join(root, ...parts);
}
