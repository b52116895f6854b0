import { Writable } from 'node:stream'
import { type Span, SpanStatusCode } from '@opentelemetry/api'
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base'
import { tracingInterceptor, type UndiciResponse } from '@otel-http/undici'
import {
  Agent,
  type Dispatcher,
  fetch,
  getGlobalDispatcher,
  request,
  setGlobalDispatcher,
  stream,
} from 'undici'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { echoOf, rawValues, refusedPort, type WireRequest } from '../../../test/support/loopback-server'
import { onlyClientSpan, parentIdOf, setupTracing, traceparentOf } from '../../../test/support/tracing'
import { underParent } from '../../../test/support/under-parent'
import { tracedAgentFixture } from './traced-agent-fixture'

const otel = setupTracing()
const fx = tracedAgentFixture(
  () => new Agent(),
  (agent) => agent.compose(tracingInterceptor()),
)
afterEach(() => otel.reset())

const clientSpan = (): ReadableSpan => onlyClientSpan(otel.spans())

/** The wire carries the CLIENT span as parent, in the caller's trace, with tracestate and safe baggage. */
function expectPropagated(seen: WireRequest | undefined, parent: Span, client: ReadableSpan) {
  expect(seen).toBeDefined()
  const traceparents = rawValues(seen!.rawHeaders, 'traceparent')
  expect(traceparents).toHaveLength(1)
  const { traceId, parentId, flags } = traceparentOf(traceparents[0])
  expect(traceId).toBe(parent.spanContext().traceId)
  expect(parentId).toBe(client.spanContext().spanId)
  expect(flags).toBe('01')
  expect(seen!.headers.tracestate).toBe('vendor=abc')
  expect(seen!.headers.baggage).toBe('user_id=alice')
  // The span tree: CLIENT span under the caller's span, same trace.
  expect(client.spanContext().traceId).toBe(parent.spanContext().traceId)
  expect(parentIdOf(client)).toBe(parent.spanContext().spanId)
}

describe('tracingInterceptor on a composed Agent', () => {
  it('traces undici.request', async () => {
    const { parent, result } = await underParent(otel.tracer, async () => {
      const res = await request(`${fx.server.origin}/request?x=1`, { dispatcher: fx.traced })
      return { status: res.statusCode, body: await res.body.text() }
    })
    expect(result).toEqual({ status: 200, body: echoOf(fx.server.request('/request?x=1')!) })
    const client = clientSpan()
    expectPropagated(fx.server.request('/request?x=1'), parent, client)
    expect(client.name).toBe('GET')
    expect(client.attributes).toMatchObject({
      'http.request.method': 'GET',
      'url.full': `${fx.server.origin}/request?x=1`,
      'server.address': '127.0.0.1',
      'server.port': fx.server.port,
      'http.response.status_code': 200,
    })
    expect(client.status.code).toBe(SpanStatusCode.UNSET)
  })

  it('traces undici.stream', async () => {
    const chunks: Buffer[] = []
    const { parent } = await underParent(otel.tracer, () =>
      stream(`${fx.server.origin}/stream`, { dispatcher: fx.traced, method: 'POST', body: 'payload' }, () => {
        return new Writable({
          write(chunk, _encoding, done) {
            chunks.push(chunk)
            done()
          },
        })
      }),
    )
    expect(Buffer.concat(chunks).toString()).toBe(echoOf(fx.server.request('/stream')!))
    const client = clientSpan()
    expectPropagated(fx.server.request('/stream'), parent, client)
    expect(fx.server.request('/stream')!.body).toBe('payload')
    expect(client.attributes['http.request.method']).toBe('POST')
  })

  it("traces undici's fetch", async () => {
    const { parent, result } = await underParent(otel.tracer, async () => {
      const res = await fetch(`${fx.server.origin}/status/503`, { dispatcher: fx.traced })
      return { status: res.status, body: await res.text() }
    })
    expect(result).toEqual({ status: 503, body: echoOf(fx.server.request('/status/503')!) })
    const client = clientSpan()
    expectPropagated(fx.server.request('/status/503'), parent, client)
    expect(client.attributes['http.response.status_code']).toBe(503)
    expect(client.attributes['error.type']).toBe('503')
    expect(client.status.code).toBe(SpanStatusCode.ERROR)
  })
})

describe('tracingInterceptor as the global dispatcher', () => {
  let previous: Dispatcher
  let globalAgent: Agent
  beforeAll(() => {
    previous = getGlobalDispatcher()
    globalAgent = new Agent()
    setGlobalDispatcher(globalAgent.compose(tracingInterceptor()))
  })
  afterAll(async () => {
    setGlobalDispatcher(previous)
    await globalAgent.close()
  })

  it("traces Node's own global fetch", async () => {
    expect(globalThis.fetch).not.toBe(fetch)
    const { parent, result } = await underParent(otel.tracer, async () => {
      const res = await globalThis.fetch(`${fx.server.origin}/global-fetch`, {
        method: 'PUT',
        body: 'node-body',
        headers: { 'x-caller': 'yes' },
      })
      return { status: res.status, body: await res.text() }
    })
    const seen = fx.server.request('/global-fetch')
    expect(result).toEqual({ status: 200, body: echoOf(seen!) })
    const client = clientSpan()
    expectPropagated(seen, parent, client)
    expect(seen!.body).toBe('node-body')
    expect(seen!.headers['x-caller']).toBe('yes')
    expect(client.attributes).toMatchObject({
      'http.request.method': 'PUT',
      'http.response.status_code': 200,
    })
  })

  it('traces undici.request without an explicit dispatcher', async () => {
    const { parent } = await underParent(otel.tracer, async () => {
      const res = await request(`${fx.server.origin}/global-request`)
      await res.body.dump()
    })
    expectPropagated(fx.server.request('/global-request'), parent, clientSpan())
  })
})

describe('tracingInterceptor with a callback-style handler (what undici 6 compose passes through)', () => {
  it('traces, forwards every callback and gives responseHook the status and headers', async () => {
    const responses: UndiciResponse[] = []
    const dispatch = tracingInterceptor({
      responseHook: ({ response }) => response && responses.push(response),
    })(fx.agent.dispatch.bind(fx.agent))
    const events: string[] = []
    const { parent, result } = await underParent(
      otel.tracer,
      () =>
        new Promise<{ status: number; body: string }>((resolve, reject) => {
          let status = 0
          const body: Buffer[] = []
          dispatch(
            { origin: fx.server.origin, path: '/legacy', method: 'GET', headers: { 'x-legacy': '1' } },
            {
              onConnect: () => events.push('connect'),
              onHeaders: (statusCode: number) => {
                events.push('headers')
                status = statusCode
                return true
              },
              onData: (chunk: Buffer) => {
                body.push(chunk)
                return true
              },
              onComplete: () => {
                events.push('complete')
                resolve({ status, body: Buffer.concat(body).toString() })
              },
              onError: reject,
            } as unknown as Dispatcher.DispatchHandler,
          )
        }),
    )
    expect(result).toEqual({ status: 200, body: echoOf(fx.server.request('/legacy')!) })
    expect(events).toEqual(['connect', 'headers', 'complete'])
    const client = clientSpan()
    expectPropagated(fx.server.request('/legacy'), parent, client)
    expect(client.attributes['http.response.status_code']).toBe(200)
    expect(responses).toHaveLength(1)
    expect(responses[0]!.statusCode).toBe(200)
    expect(responses[0]!.headers['x-server']).toBe('loopback')
  })

  it('ends the span with ERROR when the callback handler gets onError', async () => {
    const dispatch = tracingInterceptor()(fx.agent.dispatch.bind(fx.agent))
    const port = await refusedPort()
    const error = await new Promise<Error>((resolve) => {
      dispatch({ origin: `http://127.0.0.1:${port}`, path: '/down', method: 'GET' }, {
        onConnect: () => {},
        onHeaders: () => true,
        onData: () => true,
        onComplete: () => resolve(new Error('unexpected completion')),
        onError: resolve,
      } as unknown as Dispatcher.DispatchHandler)
    })
    expect((error as Error & { code?: string }).code).toBe('ECONNREFUSED')
    const client = clientSpan()
    expect(client.status.code).toBe(SpanStatusCode.ERROR)
    expect(client.attributes['error.type']).toBe('ECONNREFUSED')
  })
})
