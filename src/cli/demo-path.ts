import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where the demo database goes when --db is not given: recreated on every run. */
export function defaultDemoDbPath(): string {
  return join(tmpdir(), 'solflow-demo', 'demo.db');
}
