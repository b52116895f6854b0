import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, it } from 'vitest'
import { expectRoundTrip, type RoundTrip } from './expect-round-trip'

// The reason otel-http has explicit adapters: they work where require-time patching cannot.
// Bun and Deno (from the npm packages in devDependencies) run the built ESM packages: a
// traceFetchHandler served by Bun.serve / Deno.serve, called through tracedFetch.
// workers.test.ts does the same in workerd.
const run = promisify(execFile)
const bin = (name: string) => fileURLToPath(new URL(`../../node_modules/.bin/${name}`, import.meta.url))
const script = fileURLToPath(new URL('./round-trip.mjs', import.meta.url))
const cwd = fileURLToPath(new URL('../..', import.meta.url))

const runtimes: Record<string, string[]> = {
  bun: [bin('bun'), script],
  deno: [bin('deno'), 'run', '--allow-all', '--quiet', script],
}

describe.each(Object.entries(runtimes))('%s', (_, [command, ...args]) => {
  it('carries the context and baggage from tracedFetch to traceFetchHandler, one trace', async () => {
    const { stdout } = await run(command!, args, {
      cwd,
      timeout: 60_000,
      env: { ...process.env, NO_COLOR: '1' },
    })
    expectRoundTrip(JSON.parse(stdout) as RoundTrip)
  }, 60_000)
})
