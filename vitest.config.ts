import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Integration tests start real servers (Dovecot, Chromium); two cores, so keep the pool small.
    pool: 'forks',
    maxWorkers: 2,
    reporters: ['default'],
  },
});
