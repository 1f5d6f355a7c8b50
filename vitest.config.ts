import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defineConfig } from 'vitest/config';

// Policy directories the tests create are cached in a folder of the test run, not the user's.
process.env.KITEI_CACHE_DIR ??= mkdtempSync(path.join(tmpdir(), 'kitei-test-cache-'));

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Rule tests share compiled policies within a file; files run in parallel on the 2 cores.
    testTimeout: 30_000,
  },
});
