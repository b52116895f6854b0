import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

const src = (file: string) => fileURLToPath(new URL(`./packages/${file}`, import.meta.url))

// Subpath entries first: an alias matches a prefix, so `@otel-http/server` would also catch
// `@otel-http/server/express`.
const SUBPATHS = ['express', 'koa', 'fastify', 'hono', 'node', 'fetch'].map((entry) => ({
  find: `@otel-http/server/${entry}`,
  replacement: src(`server/src/${entry}.ts`),
}))

export default defineConfig({
  resolve: {
    alias: [
      ...SUBPATHS,
      ...['core', 'fetch', 'undici', 'axios', 'server', 'messaging', 'lambda'].map((name) => ({
        find: `@otel-http/${name}`,
        replacement: src(`${name}/src/index.ts`),
      })),
    ],
  },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts', 'examples/*/test/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'test/integration/**', 'test/browser/**'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
})
