import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // A poll has 15 s by default (vitest's own is 1 s, too short for a child process on a busy machine).
    expect: { poll: { timeout: 15_000, interval: 20 } },
    reporters: ['default', './test/helpers/summary-reporter.ts'],
  },
});
