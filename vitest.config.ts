import { defineConfig } from 'vitest/config';

// One throwaway PostgreSQL cluster per run for the Postgres store suites
// (test/support/postgres/global-setup.ts); everything else is vitest's defaults.
export default defineConfig({
  test: {
    globalSetup: ['test/support/postgres/global-setup.ts'],
  },
});
