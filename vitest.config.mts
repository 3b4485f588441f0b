import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Custom matchers (toBePinnedTo, ...) for every test file.
    setupFiles: ['__tests__/support/matchers.ts'],
    include: ['__tests__/**/*.test.ts'],
    // Real-tool checks (ansible-lint in a Debian 13 rootfs, namespaces, Prometheus) are slow on 2 cores.
    testTimeout: 120_000,
    hookTimeout: 600_000,
    pool: 'forks',
    fileParallelism: true,
  },
});
