import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    setupFiles: ['test/setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Twice the cores of the 2-core CI machine: the slowest files mostly wait on child processes (the AWS CLI,
    // moto, the compiled CLI), so four forks overlap their waits. Measured on 2 idle cores: `npm test` 4 min
    // 59 s with the default two forks, 2 min 54 s with four, the same 5 CPU-minutes either way.
    maxWorkers: 4,
  },
});
