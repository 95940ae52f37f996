/**
 * vitest globalSetup: one PostgreSQL cluster per test run, its URL exported to every test file
 * (and every child process they spawn) as SOLFLOW_TEST_PG_URL. A server already named by
 * SOLFLOW_TEST_PG_URL is used as it is (a developer's own). Without PostgreSQL the run fails
 * here, saying why: the Postgres store suites are part of the test run, not optional.
 */
import { startCluster, type Cluster } from './cluster.js';

export const PG_URL_ENV = 'SOLFLOW_TEST_PG_URL';

let cluster: Cluster | null = null;

export async function setup(): Promise<void> {
  if (process.env[PG_URL_ENV]) return;
  const t0 = performance.now();
  cluster = await startCluster();
  process.env[PG_URL_ENV] = cluster.url;
  // Stderr so a `--reporter=json` stdout stays clean; no URL: it holds the password.
  process.stderr.write(`PostgreSQL test cluster on 127.0.0.1:${cluster.port} (${Math.round(performance.now() - t0)} ms to start)\n`);
}

export function teardown(): void {
  cluster?.stop();
  cluster = null;
}
