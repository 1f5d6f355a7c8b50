import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Rule tests share compiled policies within a file; files run in parallel on the 2 cores.
    testTimeout: 30_000,
  },
});
