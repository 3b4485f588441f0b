import { defineConfig } from 'vitest/config';
import { UNIT_TESTS } from './__tests__/support/unit-tests';

/**
 * `npm run test:unit`: the pure tests only (listed in __tests__/support/unit-tests.ts), seconds and
 * no real tools. `npm test` (vitest.config.mts) runs them with everything else.
 */
export default defineConfig({
  test: {
    // Custom matchers (toBePinnedTo, ...) for every test file.
    setupFiles: ['__tests__/support/matchers.ts'],
    // A tmpfs scratch dir for the synths and one shared reference lab per worker (see the file).
    globalSetup: ['__tests__/support/unit-setup.ts'],
    include: [...UNIT_TESTS],
    // Pure synthesis: a test that needs minutes is not a unit test.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'threads',
    // The files share one module graph per worker (cdktf loads once): the constructs keep no
    // module-level state, so nothing leaks from one file into the next.
    isolate: false,
  },
});
