import { defineConfig } from 'vitest/config'
import base from './vitest.config'

// Tests that need real brokers or an nginx proxy; `.ci/services` starts them when absent.
// Spread, not mergeConfig: mergeConfig concatenates arrays, which would keep the base config's
// `exclude: ['test/integration/**']` and its unit-test `include`.
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ['test/integration/**/*.test.ts'],
    exclude: ['**/node_modules/**'],
    fileParallelism: false,
  },
})
