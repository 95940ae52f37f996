import { defineConfig } from 'vitest/config';

// One throwaway PostgreSQL cluster per run for the Postgres store suites
// (test/support/postgres/global-setup.ts).
// Many suites run the built CLI, a replay server and a database together; on a 2-core machine
// with several files in parallel a case that takes 1 s alone can pass vitest's 5 s default.
// A timeout is a hang detector here, not a performance check (those live in test/bench).
export default defineConfig({
  test: {
    globalSetup: ['test/support/postgres/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
