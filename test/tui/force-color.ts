// Imported first by color.test.tsx: chalk decides its colour level when it loads, and under
// vitest stdout is not a terminal, so without this no colour would ever be drawn to test against.
process.env.FORCE_COLOR = '1';
