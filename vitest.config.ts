import { defineConfig } from 'vitest/config';

// Unit/integration tests run beside the code; browser end-to-end tests live in e2e/.
// Tests that start python.wasm are CPU-heavy, so files run two at a time (two cores here).
export default defineConfig({
  test: {
    // The tests spawn the built CLI and load the built sandbox worker: rebuilt once here if stale.
    globalSetup: ['test/support/build-cli-setup.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          pool: 'forks',
          maxWorkers: 2,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['e2e/**/*.e2e.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          pool: 'forks',
          maxWorkers: 1,
          fileParallelism: false,
        },
      },
    ],
  },
});
