import { context, SpanKind, SpanStatusCode } from '@opentelemetry/api'
import { suppressTracing } from '@opentelemetry/core'
import { instrumentAxios } from '@otel-http/axios'
import axios, { AxiosHeaders, type AxiosInstance, isAxiosError } from 'axios'
import { delay, HttpResponse, http } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  captureDiag,
  clientSpansOf,
  expectPropagated,
  headerValues,
  type Tracing,
  type WireHeaders,
} from '../../../test/support/client-caller'
import { parentIdOf, setupTracing, traceparentOf } from '../../../test/support/tracing'
import { underParent } from '../../../test/support/under-parent'
import { configsAtAdapter } from './configs-at-adapter'

const API = 'http://api.test'
const THIRD_PARTY = 'http://third-party.test'

interface Seen {
  url: string
  headers: Headers
  wire: WireHeaders
}
const seen: Seen[] = []
let arrived: (() => void) | undefined

const record = (request: Request): void => {
  const h = request.headers
  seen.push({
    url: request.url,
    headers: h,
    wire: {
      traceparent: headerValues(h.get('traceparent')),
      tracestate: headerValues(h.get('tracestate')),
      baggage: headerValues(h.get('baggage')),
    },
  })
}

const server = setupServer(
  http.all(`${API}/hang`, async ({ request }) => {
    record(request)
    arrived?.()
    await delay('infinite')
    return HttpResponse.text('never')
  }),
  http.all(`${API}/status/:code`, ({ request, params }) => {
    record(request)
    return new HttpResponse('status', { status: Number(params.code) })
  }),
  http.all(`${API}/redirect`, ({ request }) => {
    record(request)
    return new HttpResponse(null, { status: 302, headers: { location: `${API}/ok` } })
  }),
  http.all(`${API}/network-error`, ({ request }) => {
    record(request)
    return HttpResponse.error()
  }),
  http.all(`${API}/*`, ({ request }) => {
    record(request)
    return HttpResponse.json({ ok: true })
  }),
  http.all(`${THIRD_PARTY}/*`, ({ request }) => {
    record(request)
    return HttpResponse.json({ ok: true })
  }),
)

let tracing: Tracing
let diagnostics: ReturnType<typeof captureDiag>
beforeAll(() => {
  tracing = setupTracing()
  diagnostics = captureDiag()
  server.listen({ onUnhandledRequest: 'error' })
})
afterEach(() => {
  server.resetHandlers()
  arrived = undefined
})
afterEach(() => {
  expect(diagnostics.endedTwice()).toEqual([])
})
afterAll(() => server.close())
beforeEach(() => {
  tracing.reset()
  diagnostics.messages.length = 0
  seen.length = 0
})

const only = <T>(items: T[]): T => {
  expect(items).toHaveLength(1)
  return items[0]!
}

describe.each(['http', 'fetch'] as const)('instrumentAxios with the %s adapter (msw)', (adapter) => {
  const create = (config: Parameters<typeof axios.create>[0] = {}): AxiosInstance =>
    axios.create({ adapter, baseURL: API, ...config })

  it('sends traceparent, tracestate and baggage from a CLIENT span under the caller', async () => {
    const api = create()
    instrumentAxios(api)
    const { result, parent: caller } = await underParent(tracing.tracer, () =>
      api.get('/users/1', { params: { q: 'a b', page: 2 } }),
    )
    expect(result.status).toBe(200)
    const request = only(seen)
    expect(request.url).toBe(`${API}/users/1?q=a+b&page=2`)
    const client = expectPropagated(request.wire, tracing, caller)
    expect(client.name).toBe('GET')
    expect(client.kind).toBe(SpanKind.CLIENT)
    expect(client.status.code).toBe(SpanStatusCode.UNSET)
    expect(client.attributes).toMatchObject({
      'http.request.method': 'GET',
      'url.full': `${API}/users/1?q=a+b&page=2`,
      'server.address': 'api.test',
      'server.port': 80,
      'http.response.status_code': 200,
    })
  })

  it("leaves the caller's config and headers as they were and replaces an existing traceparent", async () => {
    const api = create({ headers: { 'X-Default': 'd' } })
    instrumentAxios(api)
    const stale = '00-11111111111111111111111111111111-2222222222222222-01'
    const headers = { 'X-Caller': '1', TraceParent: stale }
    const axiosHeaders = new AxiosHeaders({ TRACEPARENT: stale, 'X-Other': '2' })
    const config = { headers, params: { a: 1 } }
    const defaultsBefore = JSON.stringify(api.defaults)
    const { parent: caller } = await underParent(tracing.tracer, async () => {
      await api.get('/plain', config)
      await api.post('/axios-headers', { x: 1 }, { headers: axiosHeaders })
    })
    expect(config).toEqual({ headers: { 'X-Caller': '1', TraceParent: stale }, params: { a: 1 } })
    expect(headers).toEqual({ 'X-Caller': '1', TraceParent: stale })
    expect(axiosHeaders.toJSON()).toEqual({ TRACEPARENT: stale, 'X-Other': '2' })
    expect(JSON.stringify(api.defaults)).toBe(defaultsBefore)
    expect(seen).toHaveLength(2)
    const clients = clientSpansOf(tracing, caller)
    expect(clients).toHaveLength(2)
    for (const request of seen) {
      expect(request.wire.traceparent).toHaveLength(1)
      const sent = traceparentOf(request.wire.traceparent[0])
      expect(sent.traceId).toBe(caller.spanContext().traceId)
      expect(clients.map((s) => s.spanContext().spanId)).toContain(sent.parentId)
    }
    expect(seen[0]!.headers.get('x-caller')).toBe('1')
    expect(seen[0]!.headers.get('x-default')).toBe('d')
    expect(seen[1]!.headers.get('x-other')).toBe('2')
  })

  it('copies a plain headers object another interceptor put on the config instead of writing into it', async () => {
    const api = create()
    instrumentAxios(api)
    const shared = { 'X-Shared': 's' }
    // Registered after ours, so axios runs it first.
    api.interceptors.request.use((config) => Object.assign(config, { headers: shared }))
    await underParent(tracing.tracer, () => api.get('/plain'))
    expect(shared).toEqual({ 'X-Shared': 's' })
    expect(seen[0]!.wire.traceparent).toHaveLength(1)
    expect(seen[0]!.headers.get('x-shared')).toBe('s')
  })

  it('keeps traceparent and baggage off a third party, even one naming an allowed origin in its query', async () => {
    const api = create()
    instrumentAxios(api, { propagateTo: [API] })
    await underParent(tracing.tracer, async () => {
      await api.get(`${THIRD_PARTY}/callback`, { params: { next: `${API}/users` } })
      await api.get(`${THIRD_PARTY}/x?u=${encodeURIComponent(API)}`)
      await api.get('/allowed')
    })
    expect(seen).toHaveLength(3)
    for (const request of seen.slice(0, 2)) {
      expect(request.url.startsWith(THIRD_PARTY)).toBe(true)
      expect(request.wire).toEqual({ traceparent: [], tracestate: [], baggage: [] })
    }
    expect(seen[2]!.wire.traceparent).toHaveLength(1)
    expect(seen[2]!.wire.baggage).toEqual(['user_id=alice'])
  })

  it('keeps the first attempt’s headers off a retry re-issued to a third party', async () => {
    const api = create()
    instrumentAxios(api, { propagateTo: [API], spans: false })
    // A user interceptor that retries elsewhere, re-issuing the config axios handed it.
    api.interceptors.response.use((response) =>
      response.config.url === '/first'
        ? api.request({ ...response.config, url: `${THIRD_PARTY}/mirror` })
        : response,
    )
    await underParent(tracing.tracer, () => api.get('/first'))
    expect(seen.map((request) => request.url)).toEqual([`${API}/first`, `${THIRD_PARTY}/mirror`])
    expect(seen[0]!.wire.traceparent).toHaveLength(1)
    expect(seen[1]!.wire).toEqual({ traceparent: [], tracestate: [], baggage: [] })
  })

  it('never sends a secret-looking baggage key', async () => {
    const api = create()
    instrumentAxios(api)
    const { parent: caller } = await underParent(tracing.tracer, () => api.get('/secret'), {
      user_id: 'alice',
      api_key: 'k-123',
      'session.id': 's-456',
    })
    const request = only(seen)
    expectPropagated(request.wire, tracing, caller)
    expect(request.headers.get('baggage')).not.toMatch(/api_key|session|k-123|s-456/)
  })

  it('starts no span and sends no header when tracing is suppressed', async () => {
    const api = create()
    instrumentAxios(api)
    await underParent(tracing.tracer, () =>
      context.with(suppressTracing(context.active()), () => api.get('/quiet')),
    )
    expect(only(seen).wire).toEqual({ traceparent: [], tracestate: [], baggage: [] })
    expect(tracing.spans().filter((s) => s.kind === SpanKind.CLIENT)).toHaveLength(0)
  })

  it('lets the request succeed when hooks and spanName throw', async () => {
    const api = create()
    instrumentAxios(api, {
      spanName: () => {
        throw new Error('spanName')
      },
      requestHook: () => {
        throw new Error('requestHook')
      },
      responseHook: () => {
        throw new Error('responseHook')
      },
    })
    const { result, parent: caller } = await underParent(tracing.tracer, () => api.get('/hooks'))
    expect(result.status).toBe(200)
    expectPropagated(only(seen).wire, tracing, caller)
  })

  it('passes the config and response to the hooks', async () => {
    const api = create()
    const states: unknown[] = []
    instrumentAxios(api, {
      spanName: ({ request }) => `GET ${request.url}`,
      requestHook: ({ request, span }) => {
        span.setAttribute('test.url', String(request.url))
        states.push(request.url)
      },
      responseHook: ({ response }) => {
        states.push(response?.status)
      },
    })
    const { parent: caller } = await underParent(tracing.tracer, () => api.get('/named'))
    const client = only(clientSpansOf(tracing, caller))
    expect(client.name).toBe('GET /named')
    expect(client.attributes['test.url']).toBe('/named')
    expect(states).toEqual(['/named', 200])
  })

  it('marks a status of 400 or more as an error, with the status as error.type', async () => {
    const api = create()
    instrumentAxios(api)
    const { result: error, parent: caller } = await underParent(tracing.tracer, () =>
      api.get('/status/503').catch((e) => e),
    )
    expect(isAxiosError(error) && error.response?.status).toBe(503)
    const client = expectPropagated(only(seen).wire, tracing, caller)
    expect(client.status.code).toBe(SpanStatusCode.ERROR)
    expect(client.attributes['http.response.status_code']).toBe(503)
    expect(client.attributes['error.type']).toBe('503')
  })

  it('ends the span once, as an error, on a network error', async () => {
    const api = create()
    instrumentAxios(api)
    const { result: error, parent: caller } = await underParent(tracing.tracer, () =>
      api.get('/network-error').catch((e) => e),
    )
    expect(isAxiosError(error)).toBe(true)
    const client = only(clientSpansOf(tracing, caller))
    expect(client.status.code).toBe(SpanStatusCode.ERROR)
    // msw's network error carries no code; the loopback test checks ECONNREFUSED exactly.
    expect(client.attributes['error.type']).toMatch(/^(ERR_NETWORK|TypeError)$/)
    expect(client.attributes['http.response.status_code']).toBeUndefined()
  })

  it('ends the span once, as an error, on an abort', async () => {
    const api = create()
    instrumentAxios(api)
    const controller = new AbortController()
    arrived = () => controller.abort()
    const { result: error, parent: caller } = await underParent(tracing.tracer, () =>
      api.get('/hang', { signal: controller.signal }).catch((e) => e),
    )
    expect(axios.isCancel(error)).toBe(true)
    const client = only(clientSpansOf(tracing, caller))
    expect(client.status.code).toBe(SpanStatusCode.ERROR)
    expect(client.attributes['error.type']).toBe('ERR_CANCELED')
  })

  it('ends the span as an error when the request is cancelled before it is sent', async () => {
    const api = create()
    instrumentAxios(api)
    const { parent: caller } = await underParent(tracing.tracer, () =>
      api.get('/never-sent', { signal: AbortSignal.abort() }).catch((e) => e),
    )
    expect(seen).toHaveLength(0)
    const client = only(clientSpansOf(tracing, caller))
    expect(client.attributes['error.type']).toBe('ERR_CANCELED')
  })

  it('gives each retry re-issued through the instance its own span', async () => {
    const api = create()
    instrumentAxios(api)
    let retried = false
    api.interceptors.response.use(undefined, (error) => {
      if (retried || !isAxiosError(error) || !error.config) throw error
      retried = true
      return api.request({ ...error.config, url: '/recovered' })
    })
    const { result, parent: caller } = await underParent(tracing.tracer, () => api.get('/status/503'))
    expect(result.status).toBe(200)
    expect(seen.map((r) => new URL(r.url).pathname)).toEqual(['/status/503', '/recovered'])
    const clients = clientSpansOf(tracing, caller)
    expect(clients).toHaveLength(2)
    const sentParents = seen.map((r) => traceparentOf(only(r.wire.traceparent)).parentId)
    expect(new Set(sentParents).size).toBe(2)
    expect(sentParents.sort()).toEqual(clients.map((s) => s.spanContext().spanId).sort())
    const failed = clients.find((s) => s.attributes['http.response.status_code'] === 503)
    const recovered = clients.find((s) => s.attributes['http.response.status_code'] === 200)
    expect(failed?.status.code).toBe(SpanStatusCode.ERROR)
    expect(recovered?.status.code).toBe(SpanStatusCode.UNSET)
  })

  it('gives a manual redirect re-issued through the instance its own span', async () => {
    const api = create({ maxRedirects: 0, validateStatus: (status) => status < 400 })
    instrumentAxios(api)
    const { parent: caller } = await underParent(tracing.tracer, async () => {
      const first = await api.get('/redirect')
      expect(first.status).toBe(302)
      return api.get(String(first.headers.location))
    })
    expect(seen).toHaveLength(2)
    const clients = clientSpansOf(tracing, caller)
    expect(clients.map((s) => s.attributes['http.response.status_code']).sort()).toEqual([200, 302])
    const sentParents = seen.map((r) => traceparentOf(only(r.wire.traceparent)).parentId)
    expect(sentParents.sort()).toEqual(clients.map((s) => s.spanContext().spanId).sort())
  })

  it('ends the first attempt too when a retry interceptor registered before it re-issues the request', async () => {
    const api = create()
    let retried = false
    api.interceptors.response.use(undefined, (error) => {
      if (retried || !isAxiosError(error) || !error.config) throw error
      retried = true
      return api.request({ ...error.config, url: '/recovered' })
    })
    instrumentAxios(api)
    const { result, parent: caller } = await underParent(tracing.tracer, () => api.get('/status/503'))
    expect(result.status).toBe(200)
    const clients = clientSpansOf(tracing, caller)
    expect(clients).toHaveLength(2)
    const sentParents = seen.map((r) => traceparentOf(only(r.wire.traceparent)).parentId)
    expect(sentParents.sort()).toEqual(clients.map((s) => s.spanContext().spanId).sort())
    const recovered = clients.find((s) => s.attributes['http.response.status_code'] === 200)
    expect(recovered).toBeDefined()
  })

  it('replaces an earlier instrumentation of the same instance instead of stacking', async () => {
    const api = create()
    const first = instrumentAxios(api, { spanName: 'first' })
    instrumentAxios(api, { spanName: 'second' })
    const { parent: caller } = await underParent(tracing.tracer, () => api.get('/twice'))
    const client = expectPropagated(only(seen).wire, tracing, caller)
    expect(client.name).toBe('second')
    first()
    await underParent(tracing.tracer, () => api.get('/still-traced'))
    expect(seen[1]!.wire.traceparent).toHaveLength(1)
  })

  it('leaves a relative URL outside a document to axios, untraced', async () => {
    const api = axios.create({ adapter })
    instrumentAxios(api)
    const { result: error } = await underParent(tracing.tracer, () => api.get('/relative').catch((e) => e))
    expect(error).toBeInstanceOf(Error)
    expect(seen).toHaveLength(0)
    expect(tracing.spans().filter((s) => s.kind === SpanKind.CLIENT)).toHaveLength(0)
  })

  it('stops tracing after eject()', async () => {
    const api = create()
    const eject = instrumentAxios(api)
    eject()
    await underParent(tracing.tracer, () => api.get('/ejected'))
    expect(only(seen).wire).toEqual({ traceparent: [], tracestate: [], baggage: [] })
    expect(tracing.spans().filter((s) => s.kind === SpanKind.CLIENT)).toHaveLength(0)
    expect(api.interceptors.request.handlers?.filter(Boolean)).toHaveLength(0)
    expect(api.interceptors.response.handlers?.filter(Boolean)).toHaveLength(0)
  })

  it("with spans: false injects the caller's own context and starts no span", async () => {
    const api = create()
    const eject = instrumentAxios(api, { spans: false, metrics: false })
    const { parent: caller } = await underParent(tracing.tracer, () => api.get('/inject-only'))
    const sent = traceparentOf(only(only(seen).wire.traceparent))
    expect(sent.traceId).toBe(caller.spanContext().traceId)
    expect(sent.parentId).toBe(caller.spanContext().spanId)
    expect(only(seen).wire.baggage).toEqual(['user_id=alice'])
    expect(tracing.spans().filter((s) => s.kind === SpanKind.CLIENT)).toHaveLength(0)
    // Nothing to end, so nothing waits on the response.
    expect(api.interceptors.response.handlers?.filter(Boolean)).toHaveLength(0)
    eject()
    expect(api.interceptors.request.handlers?.filter(Boolean)).toHaveLength(0)
  })

  it('with spans: false and metrics: false, the transport options reach the adapter as the caller set them', async () => {
    const fetchOptions = { cache: 'no-store' as const }
    const api = create({ fetchOptions })
    const configs = configsAtAdapter(api)
    instrumentAxios(api, { spans: false, metrics: false })
    await underParent(tracing.tracer, () => api.get('/transport-untouched'))
    const config = only(configs)
    expect(config.adapter).toBe(adapter)
    expect(config.fetchOptions).toEqual(fetchOptions)
    expect(Object.getOwnPropertySymbols(config.fetchOptions)).toEqual([])
    expect(config.beforeRedirect).toBeUndefined()
    expect(Object.hasOwn(config.env ?? {}, 'fetch')).toBe(false)
    expect(only(seen).wire.traceparent).toHaveLength(1)
  })

  it.each([
    ['synchronous', true],
    ['asynchronous', false],
  ])("uses the caller's context when the other request interceptors are %s", async (_, synchronous) => {
    const api = create()
    instrumentAxios(api)
    api.interceptors.request.use((config) => config, undefined, { synchronous })
    const { parent: caller } = await underParent(tracing.tracer, () => api.get('/interceptors'))
    const client = expectPropagated(only(seen).wire, tracing, caller)
    expect(parentIdOf(client)).toBe(caller.spanContext().spanId)
  })
})
