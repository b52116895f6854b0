import { builtinModules } from 'node:module'
import { fileURLToPath } from 'node:url'
import { build, type Plugin } from 'esbuild'
import { Miniflare } from 'miniflare'
import { afterAll, beforeAll, describe, it } from 'vitest'
import { expectRoundTrip, type RoundTrip } from './expect-round-trip'

// runtimes.test.ts's round trip in workerd, the runtime of Cloudflare Workers, which Miniflare
// (devDependency) runs locally. worker.mjs and the built ESM packages are bundled as wrangler
// would (Workers' export conditions, Node built-ins left to `nodejs_compat`) and run as two
// Workers: 'caller' calls 'server' through a service binding.
const entry = fileURLToPath(new URL('./worker.mjs', import.meta.url))

// @opentelemetry/context-async-hooks is CommonJS: `require('async_hooks')`, `require('events')`.
// Left as they are, esbuild's ESM output would throw "Dynamic require ... is not supported", and
// workerd has no `require` in an ES module: like wrangler, route them through a bundled ES module
// that imports the `node:` module workerd provides under `nodejs_compat`.
const nodeBuiltins: Plugin = {
  name: 'node-builtins',
  setup(build) {
    const names = new RegExp(`^(node:)?(${builtinModules.join('|')})$`)
    build.onResolve({ filter: names }, ({ path, kind }) =>
      kind === 'require-call'
        ? { path: path.replace(/^node:/, ''), namespace: 'node-builtin' }
        : { path: path.startsWith('node:') ? path : `node:${path}`, external: true },
    )
    build.onLoad({ filter: /.*/, namespace: 'node-builtin' }, ({ path }) => ({
      contents: `export * from 'node:${path}'`,
    }))
  },
}

async function bundle(): Promise<string> {
  const { outputFiles } = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    conditions: ['workerd', 'worker', 'browser'],
    plugins: [nodeBuiltins],
    logLevel: 'silent',
  })
  return outputFiles[0]!.text
}

describe('Cloudflare Workers (workerd)', () => {
  let mf: Miniflare

  beforeAll(async () => {
    const script = await bundle()
    const worker = {
      modules: [{ type: 'ESModule' as const, path: 'worker.mjs', contents: script }],
      compatibilityDate: '2026-04-01',
      compatibilityFlags: ['nodejs_compat'],
    }
    // The first Worker answers dispatchFetch.
    mf = new Miniflare({
      // No `Request.cf` from workers.cloudflare.com: a placeholder, offline.
      cf: false,
      workers: [
        { ...worker, name: 'caller', serviceBindings: { SERVER: 'server' } },
        { ...worker, name: 'server' },
      ],
    })
    await mf.ready
  }, 60_000)

  afterAll(async () => {
    await mf?.dispose()
  })

  it('carries the context and baggage from tracedFetch to traceFetchHandler, one trace', async () => {
    const response = await mf.dispatchFetch('http://localhost/start')
    expectRoundTrip((await response.json()) as RoundTrip)
  }, 60_000)
})
