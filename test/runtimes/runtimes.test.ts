import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { SpanKind } from '@opentelemetry/api'
import { describe, expect, it } from 'vitest'

// The reason otel-http has explicit adapters: they work where require-time patching cannot.
// Bun and Deno (from the npm packages in devDependencies) run the built ESM packages: a
// traceFetchHandler served by Bun.serve / Deno.serve, called through tracedFetch.
const run = promisify(execFile)
const bin = (name: string) => fileURLToPath(new URL(`../../node_modules/.bin/${name}`, import.meta.url))
const script = fileURLToPath(new URL('./round-trip.mjs', import.meta.url))
const cwd = fileURLToPath(new URL('../..', import.meta.url))

interface RoundTrip {
  status: number
  seen: { traceparent: string; userId: string | null; activeSpanId: string; afterAwaitSpanId: string }
  spans: Array<{ name: string; kind: SpanKind; traceId: string; spanId: string; parentSpanId: string | null }>
}

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
    const { status, seen, spans } = JSON.parse(stdout) as RoundTrip
    expect(status).toBe(200)

    const caller = spans.find((s) => s.name === 'caller')!
    const client = spans.find((s) => s.kind === SpanKind.CLIENT)!
    const server = spans.find((s) => s.kind === SpanKind.SERVER)!
    expect(spans).toHaveLength(3)
    expect(new Set(spans.map((s) => s.traceId)).size).toBe(1)
    expect(client.parentSpanId).toBe(caller.spanId)
    expect(server.parentSpanId).toBe(client.spanId)

    // On the wire: the CLIENT span as parent, sampled, with the random-trace-id flag of a trace
    // this process started.
    expect(seen.traceparent).toBe(`00-${caller.traceId}-${client.spanId}-03`)
    expect(seen.userId).toBe('alice')
    expect(seen.activeSpanId).toBe(server.spanId)
    expect(seen.afterAwaitSpanId).toBe(server.spanId)
  }, 60_000)
})
