import { once } from 'node:events'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { context, SpanKind, trace } from '@opentelemetry/api'
import { tracedFetch } from '@otel-http/fetch'
import { tracingInterceptor } from '@otel-http/undici'
import { Agent, getGlobalDispatcher, setGlobalDispatcher, fetch as undiciFetch } from 'undici'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { parentIdOf, traceparentOf, setupTracing } from '../support/tracing'

// Two otel-http layers on one request (tracedFetch over an Agent composed with
// tracingInterceptor, directly or as Node's global dispatcher): one request, one span.
const otel = setupTracing()
let server: Server
let origin = ''
const traceparents: string[][] = []

beforeAll(async () => {
  server = createServer((req, res) => {
    traceparents.push(
      req.rawHeaders.filter((_, i, raw) => i % 2 === 1 && raw[i - 1]!.toLowerCase() === 'traceparent'),
    )
    res.end('ok')
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))
afterEach(() => {
  otel.reset()
  traceparents.length = 0
})

async function underParent(call: () => Promise<Response | unknown>) {
  const parent = otel.tracer.startSpan('parent')
  const response = (await context.with(trace.setSpan(context.active(), parent), call)) as Response
  await response.text()
  parent.end()
  return parent
}

function expectOneClientSpanOnTheWire(parentId: string) {
  const clients = otel.spans().filter((s) => s.kind === SpanKind.CLIENT)
  expect(clients).toHaveLength(1)
  expect(parentIdOf(clients[0]!)).toBe(parentId)
  expect(traceparents).toHaveLength(1)
  expect(traceparents[0]).toHaveLength(1)
  const wire = traceparentOf(traceparents[0]![0])
  expect(wire.traceId).toBe(clients[0]!.spanContext().traceId)
  expect(wire.parentId).toBe(clients[0]!.spanContext().spanId)
}

describe('stacked client adapters', () => {
  it('tracedFetch(undici.fetch) over a traced Agent records one CLIENT span', async () => {
    const dispatcher = new Agent().compose(tracingInterceptor())
    const fetch = tracedFetch(undiciFetch)
    const parent = await underParent(() => fetch(`${origin}/a`, { dispatcher }))
    expectOneClientSpanOnTheWire(parent.spanContext().spanId)
    expect(otel.spans().find((s) => s.kind === SpanKind.CLIENT)!.instrumentationScope.name).toBe(
      '@otel-http/fetch',
    )
  })

  it("tracedFetch() over Node's global fetch with a traced global dispatcher records one CLIENT span", async () => {
    const previous = getGlobalDispatcher()
    setGlobalDispatcher(new Agent().compose(tracingInterceptor()))
    try {
      const parent = await underParent(() => tracedFetch()(`${origin}/b`))
      expectOneClientSpanOnTheWire(parent.spanContext().spanId)
    } finally {
      setGlobalDispatcher(previous)
    }
  })

  it("the traced global dispatcher alone traces Node's global fetch", async () => {
    const previous = getGlobalDispatcher()
    setGlobalDispatcher(new Agent().compose(tracingInterceptor()))
    try {
      const parent = await underParent(() => fetch(`${origin}/c`))
      expectOneClientSpanOnTheWire(parent.spanContext().spanId)
      expect(otel.spans().find((s) => s.kind === SpanKind.CLIENT)!.instrumentationScope.name).toBe(
        '@otel-http/undici',
      )
    } finally {
      setGlobalDispatcher(previous)
    }
  })
})
