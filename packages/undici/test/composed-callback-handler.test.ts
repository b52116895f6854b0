import { SpanKind } from '@opentelemetry/api'
import { tracingInterceptor, type UndiciResponse } from '@otel-http/undici'
import { Agent, type Dispatcher, request } from 'undici'
import { afterEach, describe, expect, it } from 'vitest'
import { CHUNKED_BODY } from '../../../test/support/loopback-server'
import { onlyClientSpan, setupTracing } from '../../../test/support/tracing'
import { underParent } from '../../../test/support/under-parent'
import { tracedAgentFixture } from './traced-agent-fixture'

// undici 7's compose hands every interceptor a controller-API handler; when the caller's is a
// callback handler (undici.request's, fetch's) that is a WrapHandler around it. These tests hold
// that such a caller still gets the response as the bare Agent delivers it, and that pausing
// through the callback API still holds the body back.
const otel = setupTracing()
afterEach(() => otel.reset())

// Each test composes the Agent with the options it needs.
const fx = tracedAgentFixture(
  () => new Agent(),
  (agent) => agent,
)

interface Received {
  status: number
  rawHeaderNames: string[]
  body: string
  events: string[]
}

/** Dispatches GET `path` with a callback handler; `pause` makes onData pause after each chunk. */
function dispatchWithCallbacks(d: Dispatcher, path: string, pause = false): Promise<Received> {
  return new Promise((resolve, reject) => {
    const received: Received = { status: 0, rawHeaderNames: [], body: '', events: [] }
    let resume: () => void = () => {}
    const chunks: Buffer[] = []
    const handler = {
      onConnect: () => received.events.push('connect'),
      onHeaders(statusCode: number, rawHeaders: Buffer[], resumeFn: () => void) {
        received.events.push('headers')
        received.status = statusCode
        for (let i = 0; i < rawHeaders.length; i += 2) received.rawHeaderNames.push(String(rawHeaders[i]))
        resume = resumeFn
        return true
      },
      onData(chunk: Buffer) {
        chunks.push(chunk)
        if (!pause) return true
        // Resumed from a later turn, as a slow reader would.
        setImmediate(() => resume())
        return false
      },
      onComplete() {
        received.events.push('complete')
        received.body = Buffer.concat(chunks).toString()
        resolve(received)
      },
      onError: reject,
    }
    d.dispatch(
      { origin: fx.server.origin, path, method: 'GET' },
      handler as unknown as Dispatcher.DispatchHandler,
    )
  })
}

describe('a callback handler through an Agent composed with tracingInterceptor', () => {
  it.each([
    ['spans on', {}],
    ['spans off', { spans: false }],
  ] as const)(
    '%s: gets the raw header names in their wire case, as the bare Agent gives them',
    async (label, options) => {
      const path = `/traced-${label.replace(' ', '-')}`
      const bare = await dispatchWithCallbacks(fx.agent, '/bare')
      const traced = await underParent(otel.tracer, () =>
        dispatchWithCallbacks(fx.agent.compose(tracingInterceptor(options)), path),
      )
      // Node's server writes `Date`, `Connection`, `Keep-Alive`, `Content-Length` capitalised.
      expect(bare.rawHeaderNames).toContain('Date')
      expect(traced.result.rawHeaderNames).toEqual(bare.rawHeaderNames)
      expect(traced.result.events).toEqual(['connect', 'headers', 'complete'])
      expect(fx.server.request(path)!.traceparent).toHaveLength(1)
      const clientSpans = otel.spans().filter((span) => span.kind === SpanKind.CLIENT)
      expect(clientSpans).toHaveLength('spans' in options ? 0 : 1)
    },
  )

  it('pausing in onData and resuming later delivers the whole body, and the span ends after it', async () => {
    const { result } = await underParent(otel.tracer, () =>
      dispatchWithCallbacks(fx.agent.compose(tracingInterceptor()), '/chunked', true),
    )
    expect(result.status).toBe(200)
    expect(result.body).toBe(CHUNKED_BODY)
    expect(onlyClientSpan(otel.spans()).attributes['http.response.status_code']).toBe(200)
  })

  it('undici.request: responseHook gets the status and the headers by lower-case name', async () => {
    const responses: UndiciResponse[] = []
    const traced = fx.agent.compose(
      tracingInterceptor({ responseHook: ({ response }) => response && responses.push(response) }),
    )
    const res = await request(`${fx.server.origin}/status/201`, { dispatcher: traced })
    await res.body.dump()
    expect(res.headers['x-server']).toBe('loopback')
    expect(responses).toHaveLength(1)
    expect(responses[0]!.statusCode).toBe(201)
    expect(responses[0]!.headers['x-server']).toBe('loopback')
    expect(responses[0]!.headers['content-type']).toBe('application/json')
  })
})
