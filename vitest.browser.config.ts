import { defineConfig } from 'vitest/config'
import base from './vitest.config'

// `pnpm test:browser`: the real-browser test (Debian's Chromium through playwright-core, which
// never downloads a browser). `.ci/run` installs Chromium first when it is missing.
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ['test/browser/**/*.test.ts'],
    exclude: ['**/node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
})
