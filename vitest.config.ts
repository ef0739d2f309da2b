import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    // one test file at a time: the cluster tests run several node processes each, and on 2 cores files running in
    // parallel starve them of CPU long enough to lose leases (a correct but unwanted failover mid-test)
    fileParallelism: false,
    hookTimeout: 60_000,
  },
});
