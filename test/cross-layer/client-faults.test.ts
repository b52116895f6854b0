import { context, propagation, trace } from '@opentelemetry/api'
import { instrumentAxios } from '@otel-http/axios'
import type { ClientOptions } from '@otel-http/core'
import { tracedFetch } from '@otel-http/fetch'
import { tracingInterceptor } from '@otel-http/undici'
import axios from 'axios'
import { Agent, request } from 'undici'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startEchoServer, type WireRequest } from '../support/echo-server'
import { captureDiagErrors, faultyPropagators, faultyTracerProviders } from '../support/faulty-tracing'
import { setupTracing } from '../support/tracing'

const otel = setupTracing()
let server: Awaited<ReturnType<typeof startEchoServer>>
let diagErrors: ReturnType<typeof captureDiagErrors>
const agents: Agent[] = []

beforeAll(async () => {
  server = await startEchoServer()
  diagErrors = captureDiagErrors()
})
afterEach(() => {
  diagErrors.errors.length = 0
  diagErrors.warnings.length = 0
})
afterAll(async () => {
  diagErrors.stop()
  await Promise.all(agents.map((agent) => agent.close()))
  await server.close()
})

/** Each client adapter, sending one POST with a body and answering what the server saw. */
const clients: ReadonlyArray<{
  name: string
  send: (options: ClientOptions, url: string) => Promise<WireRequest>
}> = [
  {
    name: 'tracedFetch',
    async send(options, url) {
      const response = await tracedFetch(fetch, options)(url, { method: 'POST', body: 'payload' })
      expect(response.status).toBe(200)
      return (await response.json()) as WireRequest
    },
  },
  {
    name: 'tracingInterceptor',
    async send(options, url) {
      const agent = new Agent()
      agents.push(agent)
      const response = await request(url, {
        method: 'POST',
        body: 'payload',
        dispatcher: agent.compose(tracingInterceptor(options)),
      })
      expect(response.statusCode).toBe(200)
      return (await response.body.json()) as WireRequest
    },
  },
  {
    name: 'instrumentAxios (http adapter)',
    async send(options, url) {
      const instance = axios.create({ adapter: 'http' })
      instrumentAxios(instance, options)
      const response = await instance.post<WireRequest>(url, 'payload')
      expect(response.status).toBe(200)
      return response.data
    },
  },
  {
    name: 'instrumentAxios (fetch adapter)',
    async send(options, url) {
      const instance = axios.create({ adapter: 'fetch' })
      instrumentAxios(instance, options)
      const response = await instance.post<WireRequest>(url, 'payload')
      expect(response.status).toBe(200)
      return response.data
    },
  },
]

const cases: ReadonlyArray<{ fault: string; options: () => ClientOptions }> = [
  ...faultyTracerProviders.map(({ fault, provider }) => ({
    fault,
    options: () => ({ tracerProvider: provider() }),
  })),
  // A client only injects: the propagators that break on inject.
  ...faultyPropagators
    .filter(({ fault }) => fault.includes('inject'))
    .map(({ fault, propagator }) => ({ fault, options: () => ({ propagator: propagator() }) })),
  {
    fault: 'a baggage predicate throws',
    options: () => ({
      baggage: () => {
        throw new Error('injected fault: baggage predicate')
      },
    }),
  },
  {
    fault: 'propagateTo throws',
    options: () => ({
      propagateTo: () => {
        throw new Error('injected fault: propagateTo')
      },
    }),
  },
]

const underParent = <T>(fn: () => Promise<T>): Promise<T> => {
  const parent = otel.tracer.startSpan('caller')
  const ctx = propagation.setBaggage(
    trace.setSpan(context.active(), parent),
    propagation.createBaggage({ user: { value: 'alice' } }),
  )
  return context.with(ctx, fn).finally(() => parent.end())
}

// Runs first: the report is once per header name per process.
describe('a header value a platform would reject', () => {
  it('is dropped and reported once per header name, whatever the client', async () => {
    const propagator = faultyPropagators.find(({ fault }) => fault.includes('setter'))!.propagator()
    for (const client of clients) {
      const seen = await underParent(() => client.send({ propagator }, `${server.origin}/echo`))
      expect(seen.traceparent).toEqual([])
      expect(seen.baggage).toEqual([])
    }
    const reports = diagErrors.warnings.map(([message]) => String(message))
    expect(reports.filter((m) => m.includes('"traceparent"'))).toHaveLength(1)
    expect(reports.filter((m) => m.includes('"baggage"'))).toHaveLength(1)
  })
})

// Each fault leaves the request exactly as without tracing (same method, body, answer; every
// header we send is valid) and is reported through diag.
describe.each(clients)('$name', (client) => {
  it.each(cases)('$fault: the request goes out and diag says why', async ({ fault, options }) => {
    const seen = await underParent(() => client.send(options(), `${server.origin}/echo`))
    expect(seen.method).toBe('POST')
    expect(seen.body).toBe('payload')
    for (const value of seen.traceparent) expect(value).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/)
    // A dropped header value is reported once per header name per process (tested above).
    if (!fault.includes('setter')) expect(diagErrors.errors.length).toBeGreaterThan(0)
    for (const [message] of [...diagErrors.errors, ...diagErrors.warnings]) {
      expect(String(message)).toMatch(/^otel-http: /)
    }
  })
})
