import { readFileSync } from 'node:fs'
import { defineConfig } from 'tsup'

// One entry per subpath in the package's `exports` map (`.` → src/index.ts, `./express` →
// src/express.ts), so the build and the published entry points cannot drift apart.
function entries(): Record<string, string> {
  const { exports } = JSON.parse(readFileSync('package.json', 'utf8')) as { exports: Record<string, unknown> }
  return Object.fromEntries(
    Object.keys(exports)
      .filter((key) => key !== './package.json')
      .map((key) => (key === '.' ? 'index' : key.slice(2)))
      .map((name) => [name, `src/${name}.ts`]),
  )
}

// The one build config every package uses (`tsup --config ../../tsup.config.ts`, run from the
// package folder): ESM + CJS + .d.ts/.d.cts for each entry. Entries share chunks (splitting), so
// a subpath and the root entry hold one copy of each module's state (expressErrorTracing finds
// the spans expressTracing started, whichever entry each came from).
export default defineConfig({
  entry: entries(),
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  platform: 'neutral',
  treeshake: true,
  splitting: true,
})
