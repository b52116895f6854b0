import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api'
import { tracedFetch } from '@otel-http/fetch'
import { request as undiciRequest } from 'undici'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { parentIdOf, setupTracing } from '../../../test/support/tracing'
import { type App, frameworks, type Seen } from './apps'

const otel = setupTracing()
const fetchWithTrace = tracedFetch()
const TRACE_ID = '0af7651916cd43dd8448eb211c80319c'
const CALLER = 'b7ad6b7169203331'
const TP = `00-${TRACE_ID}-${CALLER}-01`

let marker = 0
/** A query parameter unique to one request, so a test finds its own SERVER span. */
const mark = () => `m=${++marker}`

async function serverSpanFor(query: string) {
  return vi.waitFor(
    () => {
      const found = otel
        .spans()
        .filter((s) => s.kind === SpanKind.SERVER && String(s.attributes['url.query']).includes(query))
      expect(found).toHaveLength(1)
      return found[0]!
    },
    { timeout: 10_000 },
  )
}

/** Calls `url` through tracedFetch under a parent span carrying baggage; returns the CLIENT span id. */
async function callAsClient(url: string) {
  const parent = otel.tracer.startSpan('caller')
  const ctx = propagation.setBaggage(
    trace.setSpan(context.active(), parent),
    propagation.createBaggage({ user: { value: 'alice' }, tenant: { value: 't1' } }),
  )
  const response = await context.with(ctx, () => fetchWithTrace(url))
  const body = response.headers.get('content-type')?.includes('json')
    ? ((await response.json()) as Seen)
    : await response.text()
  parent.end()
  const client = await vi.waitFor(() => {
    const span = otel.spans().find((s) => s.kind === SpanKind.CLIENT && s.attributes['url.full'] === url)
    expect(span).toBeDefined()
    return span!
  })
  return { status: response.status, body, client, traceId: parent.spanContext().traceId }
}

describe.each(frameworks)('$name', (framework) => {
  let app: App
  let publicApp: App

  beforeAll(async () => {
    app = await framework.start({})
    publicApp = await framework.start({ trustIncoming: () => false, acceptBaggage: ['tenant'] })
  })
  afterAll(async () => {
    await app?.close()
    await publicApp?.close()
  })

  it('continues the caller: SERVER span is the child of the CLIENT span; handler spans nest under it', async () => {
    const query = mark()
    const { status, body, client, traceId } = await callAsClient(`${app.url}/users/42?${query}`)
    expect(status).toBe(200)
    const server = await serverSpanFor(query)
    expect(server.spanContext().traceId).toBe(traceId)
    expect(parentIdOf(server)).toBe(client.spanContext().spanId)
    const seen = body as Seen
    expect(seen.traceId).toBe(traceId)
    expect(seen.spanId).toBe(server.spanContext().spanId)
    expect(seen.baggage).toEqual({ user: 'alice', tenant: 't1' })
    const work = otel.spans().find((s) => s.name === 'work' && s.spanContext().traceId === traceId)
    expect(parentIdOf(work!)).toBe(server.spanContext().spanId)
    expect(server.attributes).toMatchObject({
      'http.request.method': 'GET',
      'url.path': '/users/42',
      'url.query': query,
      'url.scheme': 'http',
      'server.address': '127.0.0.1',
      'server.port': Number(new URL(app.url).port),
      'http.response.status_code': 200,
    })
    if (framework.name !== 'traceFetchHandler') {
      expect(server.attributes['client.address']).toBe('127.0.0.1')
      expect(server.attributes['network.protocol.version']).toBe('1.1')
    }
    expect(server.attributes['user_agent.original']).toBeTypeOf('string')
    if (framework.routes) {
      expect(server.attributes['http.route']).toBe('/users/:id')
      expect(server.name).toBe('GET /users/:id')
    } else {
      expect(server.attributes['http.route']).toBeUndefined()
      expect(server.name).toBe('GET')
    }
  })

  it.runIf(framework.routes)('http.route includes the mount prefix and is never the raw path', async () => {
    const query = mark()
    await callAsClient(`${app.url}/api/users/7?${query}`)
    const server = await serverSpanFor(query)
    expect(server.attributes['http.route']).toBe('/api/users/:id')
    expect(server.name).toBe('GET /api/users/:id')
    const missing = mark()
    const { status } = await callAsClient(`${app.url}/nothing/here?${missing}`)
    expect(status).toBe(404)
    const notFound = await serverSpanFor(missing)
    expect(notFound.attributes['http.route']).toBeUndefined()
    expect(notFound.name).toBe('GET')
  })

  it('two interleaved concurrent requests never share context', async () => {
    const [slowQuery, fastQuery] = [mark(), mark()]
    const [slow, fast] = await Promise.all([
      callAsClient(`${app.url}/users/1?delay=60&${slowQuery}`),
      callAsClient(`${app.url}/users/2?delay=0&${fastQuery}`),
    ])
    expect(slow.traceId).not.toBe(fast.traceId)
    expect((slow.body as Seen).traceId).toBe(slow.traceId)
    expect((fast.body as Seen).traceId).toBe(fast.traceId)
    expect((slow.body as Seen).spanId).toBe((await serverSpanFor(slowQuery)).spanContext().spanId)
    expect((fast.body as Seen).spanId).toBe((await serverSpanFor(fastQuery)).spanContext().spanId)
  })

  it('a public endpoint starts a new trace linked to the caller, keeping only accepted baggage', async () => {
    const query = mark()
    const { status, body, client, traceId } = await callAsClient(`${publicApp.url}/users/42?${query}`)
    expect(status).toBe(200)
    const server = await serverSpanFor(query)
    expect(server.spanContext().traceId).not.toBe(traceId)
    expect(parentIdOf(server)).toBeUndefined()
    expect(server.links.map((l) => l.context.spanId)).toEqual([client.spanContext().spanId])
    expect(server.links[0]!.context.traceId).toBe(traceId)
    expect((body as Seen).traceId).toBe(server.spanContext().traceId)
    expect((body as Seen).baggage).toEqual({ tenant: 't1' })
  })

  it.each([
    ['malformed', ['traceparent', '00-not-a-trace-01', 'baggage', 'user=alice']],
    ['duplicated', ['traceparent', TP, 'traceparent', `00-${TRACE_ID}-${'c'.repeat(16)}-01`]],
    // A future version may append fields; past 8192 characters it is not even parsed.
    ['oversized', ['traceparent', `cc-${TRACE_ID}-${CALLER}-01-${'a'.repeat(9000)}`]],
  ])('a %s traceparent is served with 200 under a fresh root', async (_, headers) => {
    const query = mark()
    const response = await undiciRequest(`${app.url}/users/3?${query}`, { headers: headers as string[] })
    expect(response.statusCode).toBe(200)
    const body = (await response.body.json()) as Seen
    const server = await serverSpanFor(query)
    expect(parentIdOf(server)).toBeUndefined()
    expect(server.spanContext().traceId).not.toBe(TRACE_ID)
    expect(body.traceId).toBe(server.spanContext().traceId)
  })

  it('oversized baggage is dropped; the valid traceparent is still continued', async () => {
    const query = mark()
    const response = await undiciRequest(`${app.url}/users/3?${query}`, {
      headers: ['traceparent', TP, 'baggage', `big=${'x'.repeat(9000)}`],
    })
    expect(response.statusCode).toBe(200)
    const body = (await response.body.json()) as Seen
    expect(body.baggage).toEqual({})
    expect(parentIdOf(await serverSpanFor(query))).toBe(CALLER)
  })

  it('a thrown error is an ERROR span with an exception event; a 5xx is ERROR', async () => {
    const boomQuery = mark()
    const boom = await undiciRequest(`${app.url}/boom?${boomQuery}`)
    await boom.body.dump()
    expect(boom.statusCode).toBe(500)
    const boomSpan = await serverSpanFor(boomQuery)
    expect(boomSpan.status).toEqual({ code: SpanStatusCode.ERROR, message: 'boom' })
    expect(boomSpan.events.map((e) => e.name)).toEqual(['exception'])
    expect(boomSpan.attributes['error.type']).toBe('_OTHER')

    const failQuery = mark()
    const fail = await undiciRequest(`${app.url}/fail?${failQuery}`)
    await fail.body.dump()
    expect(fail.statusCode).toBe(503)
    const failSpan = await serverSpanFor(failQuery)
    expect(failSpan.status.code).toBe(SpanStatusCode.ERROR)
    expect(failSpan.attributes).toMatchObject({ 'http.response.status_code': 503, 'error.type': '503' })
    expect(failSpan.events).toEqual([])
  })

  it.runIf(framework.followsResponse)(
    'a client that aborts mid-response ends the span once, with error.type',
    async () => {
      const query = mark()
      const controller = new AbortController()
      const response = await fetch(`${app.url}/hang?${query}`, { signal: controller.signal })
      const reader = response.body!.getReader()
      await reader.read()
      controller.abort()
      await reader.read().catch(() => {})
      const server = await serverSpanFor(query)
      expect(server.attributes['error.type']).toBe('connection_closed')
      expect(server.status.code).toBe(SpanStatusCode.ERROR)
      expect(server.attributes['http.response.status_code']).toBe(200)
    },
  )

  it.runIf(framework.followsResponse)(
    'a client that leaves while the handler works ends the span once, with error.type',
    async () => {
      let arrived: () => void = () => {}
      const arrival = new Promise<void>((resolve) => {
        arrived = resolve
      })
      const watched = await framework.start({ requestHook: () => arrived() })
      try {
        const query = mark()
        const controller = new AbortController()
        // The handler outlasts the abort by far, also on a loaded machine.
        const call = fetch(`${watched.url}/users/1?delay=2000&${query}`, { signal: controller.signal })
        await arrival
        controller.abort()
        await call.catch(() => undefined)
        const server = await serverSpanFor(query)
        expect(server.attributes['error.type']).toBe('connection_closed')
        expect(server.status.code).toBe(SpanStatusCode.ERROR)
        expect(server.attributes['http.response.status_code']).toBeUndefined()
      } finally {
        await watched.close()
      }
    },
  )
})
