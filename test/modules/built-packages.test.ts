import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

// What users import: the built ESM and CJS entry points, resolved through each package's
// `exports` map (a package can import itself by name), in a plain Node process — no vitest
// aliases, no TypeScript. `pnpm test` builds before it runs this.
const CONTRACT: Record<string, string[]> = {
  core: [
    'fetchHeadersSetter',
    'recordGetter',
    'createClientInstrumentation',
    'traceContextPropagator',
    'w3cPropagator',
    'parseTraceparent',
    'parseTracestate',
  ],
  fetch: ['tracedFetch'],
  undici: ['tracingInterceptor'],
  axios: ['instrumentAxios'],
  server: [
    'traceRequestListener',
    'expressTracing',
    'koaTracing',
    'fastifyTracing',
    'honoTracing',
    'traceFetchHandler',
  ],
  messaging: [
    'messagingTracing',
    'traceSend',
    'traceProcess',
    'traceBatch',
    'injectSqsAttributes',
    'sqsAttributesGetter',
  ],
  lambda: ['traceLambdaHandler'],
}

const root = fileURLToPath(new URL('../../', import.meta.url))

function exportsOf(pkg: string, mode: 'esm' | 'cjs'): string[] {
  const name = `@otel-http/${pkg}`
  const script =
    mode === 'esm'
      ? `const m = await import('${name}'); console.log(JSON.stringify(Object.keys(m).sort()))`
      : `const m = require('${name}'); console.log(JSON.stringify(Object.keys(m).sort()))`
  const out = execFileSync(
    process.execPath,
    [mode === 'esm' ? '--input-type=module' : '--input-type=commonjs', '-e', script],
    {
      cwd: `${root}packages/${pkg}`,
      encoding: 'utf8',
    },
  )
  return JSON.parse(out) as string[]
}

describe.each(Object.keys(CONTRACT))('@otel-http/%s as published', (pkg) => {
  it('is built (run `pnpm build` first)', () => {
    expect(existsSync(`${root}packages/${pkg}/dist/index.js`)).toBe(true)
    expect(existsSync(`${root}packages/${pkg}/dist/index.cjs`)).toBe(true)
    expect(existsSync(`${root}packages/${pkg}/dist/index.d.ts`)).toBe(true)
  })
  it('exports the same names from ESM and CJS, including the public contract', () => {
    const esm = exportsOf(pkg, 'esm').filter((k) => k !== 'default')
    const cjs = exportsOf(pkg, 'cjs')
    expect(cjs).toEqual(esm)
    expect(esm).toEqual(expect.arrayContaining(CONTRACT[pkg]!))
    expect(esm.length).toBeGreaterThan(0)
  })
})

// One framework, one entry: each subpath's types import only its framework. The functions are
// the root entry's own (shared chunks), so state such as expressErrorTracing's map of traced
// requests is one, whichever entry a user imports from.
const SERVER_SUBPATHS: Record<string, string[]> = {
  express: ['expressErrorTracing', 'expressTracing'],
  fastify: ['fastifyTracing'],
  fetch: ['traceFetchHandler'],
  hono: ['honoTracing'],
  koa: ['koaTracing'],
  node: ['traceRequestListener'],
}

describe.each(Object.keys(SERVER_SUBPATHS))('@otel-http/server/%s as published', (entry) => {
  it.each(['esm', 'cjs'] as const)(
    'exports its adapters, the same functions as the root entry (%s)',
    (mode) => {
      const names = JSON.stringify(SERVER_SUBPATHS[entry])
      const load = (name: string) => (mode === 'esm' ? `await import('${name}')` : `require('${name}')`)
      const script = `const sub = ${load(`@otel-http/server/${entry}`)}; const main = ${load('@otel-http/server')}
      console.log(JSON.stringify({ keys: Object.keys(sub).filter((k) => k !== 'default').sort(),
        same: ${names}.every((n) => typeof sub[n] === 'function' && sub[n] === main[n]) }))`
      const out = execFileSync(
        process.execPath,
        [mode === 'esm' ? '--input-type=module' : '--input-type=commonjs', '-e', script],
        { cwd: `${root}packages/server`, encoding: 'utf8' },
      )
      expect(JSON.parse(out)).toEqual({ keys: SERVER_SUBPATHS[entry], same: true })
    },
  )
})
