import { fileURLToPath } from 'node:url'
import { type BuildOptions, build, type Plugin } from 'esbuild'

const root = fileURLToPath(new URL('../../', import.meta.url))

// `@otel-http/*` resolves to the BUILT package (dist/index.js, what a user's bundler gets from
// the `exports` map), so both the browser test and the size check measure the published code.
const builtPackages: Plugin = {
  name: 'otel-http-built-packages',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /^@otel-http\/[a-z]+$/ }, ({ path }) => ({
      path: `${root}packages/${path.slice('@otel-http/'.length)}/dist/index.js`,
    }))
  },
}

/** Bundles `contents` (an ES module) for browsers with esbuild; returns the bundle's text. */
export async function bundleForBrowser(contents: string, options: BuildOptions = {}): Promise<string> {
  const result = await build({
    stdin: { contents, resolveDir: root, sourcefile: 'entry.ts', loader: 'ts' },
    bundle: true,
    write: false,
    platform: 'browser',
    logLevel: 'silent',
    plugins: [builtPackages],
    ...options,
  })
  return result.outputFiles![0]!.text
}
