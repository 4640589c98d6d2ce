import { defineConfig } from 'vitest/config';

// Three projects: unit (fakes only, fast), integration (a real Docker Engine),
// e2e (the built CLI as a process). Docker-backed projects run files one at a time:
// the machine has two cores and the tests measure recovery times.
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'], testTimeout: 10_000 } },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 240_000,
          fileParallelism: false,
          globalSetup: ['test/integration/require-docker.ts'],
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 300_000,
          hookTimeout: 300_000,
          fileParallelism: false,
          globalSetup: ['test/integration/require-docker.ts'],
        },
      },
    ],
  },
});
