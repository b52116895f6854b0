import { defineConfig } from 'tsup'

// The one build config every package uses (`tsup --config ../../tsup.config.ts`, run from the
// package folder): ESM + CJS + .d.ts/.d.cts from src/index.ts.
export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  platform: 'neutral',
  treeshake: true,
  splitting: false,
})
