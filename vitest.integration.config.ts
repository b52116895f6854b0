import { defineConfig } from 'vitest/config'
import base from './vitest.config'

// Tests that need real brokers or an nginx proxy; `.ci/services` installs and starts them.
// `test/integration/services.ts` checks for them first: the tests of a missing one are skipped
// with one line saying so (under CI they fail).
// Spread, not mergeConfig: mergeConfig concatenates arrays, which would keep the base config's
// `exclude: ['test/integration/**']` and its unit-test `include`.
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ['test/integration/**/*.test.ts'],
    exclude: ['**/node_modules/**'],
    fileParallelism: false,
    globalSetup: ['test/integration/services.ts'],
  },
})
