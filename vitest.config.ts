import { defineConfig } from 'vitest/config';

// Integration tests open chDB (one engine per process) and real sockets, so every test
// file runs in its own forked process; two at a time on the 2-core machines we target.
export default defineConfig({
  test: {
    include: ['apps/*/src/**/*.test.ts', 'apps/web/src/**/*.test.tsx', 'packages/*/src/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ['default'],
  },
});
