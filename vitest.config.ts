import { defineConfig } from 'vitest/config';

// Three projects: unit (fakes only, fast), integration (a real Docker Engine),
// e2e (the built CLI as a process). They run one group after another, and the Docker-backed
// ones one file at a time: the machines have two cores and the tests measure recovery times.
export default defineConfig({
  test: {
    projects: [
      // Unit tests read compose files with the built-in reader, never through a compose CLI.
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          testTimeout: 10_000,
          sequence: { groupOrder: 0 },
          env: { FIREDRILL_COMPOSE_CLI: 'none' },
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 240_000,
          fileParallelism: false,
          sequence: { groupOrder: 1 },
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
          sequence: { groupOrder: 2 },
          globalSetup: ['test/integration/require-docker.ts'],
        },
      },
    ],
  },
});
