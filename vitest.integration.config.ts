import { defineConfig, mergeConfig } from 'vitest/config'
import base from './vitest.config'

// Tests that need real brokers or an nginx proxy; `.ci/run` starts them when absent.
export default mergeConfig(
  base,
  defineConfig({
    test: { include: ['test/integration/**/*.test.ts'], exclude: ['**/node_modules/**'], fileParallelism: false },
  }),
)
