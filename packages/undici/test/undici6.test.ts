import { SpanStatusCode } from '@opentelemetry/api'
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base'
import { tracingInterceptor } from '@otel-http/undici'
import { Agent, type Dispatcher, fetch, request } from 'undici6'
import { afterEach, describe, expect, it } from 'vitest'
import { echoOf, rawValues, refusedPort } from '../../../test/support/loopback-server'
import { onlyClientSpan, parentIdOf, setupTracing, traceparentOf } from '../../../test/support/tracing'
import { underParent } from '../../../test/support/under-parent'
import { tracedAgentFixture } from './traced-agent-fixture'

// The peer range includes undici 6.11+: its compose() hands interceptors the caller's
// callback-style handler (onConnect/onHeaders/onData/onComplete/onError), not undici 7's
// controller API. This is the real undici 6 (installed as `undici6`), not a simulation of it.
const otel = setupTracing()
const fx = tracedAgentFixture(
  () => new Agent(),
  (agent) => agent.compose(tracingInterceptor() as unknown as Dispatcher.DispatcherComposeInterceptor),
)
afterEach(() => otel.reset())

const clientSpan = (): ReadableSpan => onlyClientSpan(otel.spans())

describe('tracingInterceptor on undici 6', () => {
  it.each([
    ['request', (url: string) => request(url, { dispatcher: fx.traced }).then((res) => res.body.text())],
    ['fetch', (url: string) => fetch(url, { dispatcher: fx.traced }).then((res) => res.text())],
  ])('traces undici 6 %s: one traceparent on the wire, parented by the CLIENT span', async (name, call) => {
    const path = `/v6-${name}`
    const { parent, result } = await underParent(otel.tracer, () => call(`${fx.server.origin}${path}`))
    const seen = fx.server.request(path)!
    expect(result).toBe(echoOf(seen))

    const client = clientSpan()
    const traceparents = rawValues(seen.rawHeaders, 'traceparent')
    expect(traceparents).toHaveLength(1)
    const sent = traceparentOf(traceparents[0])
    expect(sent.traceId).toBe(parent.spanContext().traceId)
    expect(sent.parentId).toBe(client.spanContext().spanId)
    expect(parentIdOf(client)).toBe(parent.spanContext().spanId)
    expect(seen.headers.baggage).toBe('user_id=alice')
    expect(client.attributes['http.response.status_code']).toBe(200)
    expect(client.ended).toBe(true)
  })

  it('ends the span once, as an error, when the connection is refused', async () => {
    const port = await refusedPort()
    await expect(
      underParent(otel.tracer, () => request(`http://127.0.0.1:${port}/`, { dispatcher: fx.traced })),
    ).rejects.toThrow()
    const client = clientSpan()
    expect(client.status.code).toBe(SpanStatusCode.ERROR)
    expect(client.attributes['error.type']).toBe('ECONNREFUSED')
  })
})
