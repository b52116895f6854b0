import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

const pkg = (name: string) => fileURLToPath(new URL(`./packages/${name}/src/index.ts`, import.meta.url))

export default defineConfig({
  resolve: {
    alias: Object.fromEntries(
      ['core', 'fetch', 'undici', 'axios', 'server', 'messaging', 'lambda'].map((name) => [
        `@otel-http/${name}`,
        pkg(name),
      ]),
    ),
  },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts', 'examples/*/test/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'test/integration/**', 'test/browser/**'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
})
