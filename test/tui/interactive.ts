// Imported first by tests that mount the app on a fake terminal: Ink decides at load time
// whether it runs under CI (CI=true, as .ci/run sets) and then draws only the final frame, so
// these tests, which read frames as they are drawn, must load it as a terminal session would.
process.env.CI = '0';
process.env.CONTINUOUS_INTEGRATION = '0';
