import { SpanKind } from '@opentelemetry/api'
import { tracedFetch } from '@otel-http/fetch'
import { tracingInterceptor } from '@otel-http/undici'
import { Agent, getGlobalDispatcher, setGlobalDispatcher, fetch as undiciFetch } from 'undici'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { type LoopbackServer, startLoopbackServer } from '../support/loopback-server'
import { parentIdOf, setupTracing, traceparentOf } from '../support/tracing'
import { underParent } from '../support/under-parent'

// Two otel-http layers on one request (tracedFetch over an Agent composed with
// tracingInterceptor, directly or as Node's global dispatcher): one request, one span.
const otel = setupTracing()
let server: LoopbackServer

beforeAll(async () => {
  server = await startLoopbackServer()
})
afterAll(() => server.close())
afterEach(() => {
  otel.reset()
  server.requests.length = 0
})

/** Calls under a parent span and reads the answer; the parent's span id. */
async function parentIdOfCall(call: () => Promise<{ text(): Promise<string> }>): Promise<string> {
  const { parent } = await underParent(otel.tracer, async () => (await call()).text())
  return parent.spanContext().spanId
}

function expectOneClientSpanOnTheWire(parentId: string) {
  const clients = otel.spans().filter((s) => s.kind === SpanKind.CLIENT)
  expect(clients).toHaveLength(1)
  expect(parentIdOf(clients[0]!)).toBe(parentId)
  expect(server.requests).toHaveLength(1)
  expect(server.requests[0]!.traceparent).toHaveLength(1)
  const wire = traceparentOf(server.requests[0]!.traceparent[0])
  expect(wire.traceId).toBe(clients[0]!.spanContext().traceId)
  expect(wire.parentId).toBe(clients[0]!.spanContext().spanId)
}

describe('stacked client adapters', () => {
  it('tracedFetch(undici.fetch) over a traced Agent records one CLIENT span', async () => {
    const dispatcher = new Agent().compose(tracingInterceptor())
    const fetch = tracedFetch(undiciFetch)
    expectOneClientSpanOnTheWire(await parentIdOfCall(() => fetch(`${server.origin}/a`, { dispatcher })))
    expect(otel.spans().find((s) => s.kind === SpanKind.CLIENT)!.instrumentationScope.name).toBe(
      '@otel-http/fetch',
    )
  })

  it("tracedFetch() over Node's global fetch with a traced global dispatcher records one CLIENT span", async () => {
    const previous = getGlobalDispatcher()
    setGlobalDispatcher(new Agent().compose(tracingInterceptor()))
    try {
      expectOneClientSpanOnTheWire(await parentIdOfCall(() => tracedFetch()(`${server.origin}/b`)))
    } finally {
      setGlobalDispatcher(previous)
    }
  })

  it("the traced global dispatcher alone traces Node's global fetch", async () => {
    const previous = getGlobalDispatcher()
    setGlobalDispatcher(new Agent().compose(tracingInterceptor()))
    try {
      expectOneClientSpanOnTheWire(await parentIdOfCall(() => fetch(`${server.origin}/c`)))
      expect(otel.spans().find((s) => s.kind === SpanKind.CLIENT)!.instrumentationScope.name).toBe(
        '@otel-http/undici',
      )
    } finally {
      setGlobalDispatcher(previous)
    }
  })
})
