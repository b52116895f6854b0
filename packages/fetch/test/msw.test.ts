import { context, diag, SpanStatusCode } from '@opentelemetry/api'
import { suppressTracing } from '@opentelemetry/core'
import { tracedFetch } from '@otel-http/fetch'
import { HttpResponse, http } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { clientSpansOf, expectPropagated } from '../../../test/support/client-caller'
import { setupTracing, traceparentOf } from '../../../test/support/tracing'
import { underParent } from '../../../test/support/under-parent'

const API = 'https://api.example.com'
const THIRD_PARTY = 'https://tracker.example.net'

interface Seen {
  url: string
  method: string
  traceparent: string[]
  tracestate: string[]
  baggage: string[]
  caller: string | null
}

// Fetch `Headers` join repeats with ", ": a duplicated traceparent shows up as one malformed value.
const seen = (request: Request): Seen => {
  const values = (name: string) => (request.headers.has(name) ? [request.headers.get(name)!] : [])
  return {
    url: request.url,
    method: request.method,
    traceparent: values('traceparent'),
    tracestate: values('tracestate'),
    baggage: values('baggage'),
    caller: request.headers.get('x-caller'),
  }
}

const server = setupServer(
  http.get(`${API}/status/:code`, ({ request, params }) =>
    HttpResponse.json(seen(request), { status: Number(params.code) }),
  ),
  http.get(`${API}/network-error`, () => HttpResponse.error()),
  http.all(`${API}/*`, ({ request }) => HttpResponse.json(seen(request))),
  http.all(`${THIRD_PARTY}/*`, ({ request }) => HttpResponse.json(seen(request))),
)

const tracing = setupTracing()
// Created before msw replaces globalThis.fetch in beforeAll: every call below reaching msw's
// handlers shows that tracedFetch() looks the global fetch up at call time.
const fetch = tracedFetch()
const json = async (response: Response) => (await response.json()) as Seen

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterAll(() => server.close())
beforeEach(() => tracing.reset())
afterEach(() => vi.restoreAllMocks())

describe('tracedFetch() with msw standing in for the network', () => {
  it('sends the CLIENT span as parent and records it under the caller span', async () => {
    const { result, parent: caller } = await underParent(tracing.tracer, async () =>
      json(await fetch(`${API}/users/7`)),
    )
    const client = expectPropagated(result, tracing, caller)
    expect(client.name).toBe('GET')
    expect(client.attributes).toMatchObject({
      'http.request.method': 'GET',
      'url.full': `${API}/users/7`,
      'server.address': 'api.example.com',
      'server.port': 443,
      'http.response.status_code': 200,
    })
  })

  it('accepts a URL or a Request and leaves the caller headers, init and Request as they were', async () => {
    const headers = new Headers({ 'x-caller': 'init' })
    const init = { method: 'PATCH', headers }
    const request = new Request(`${API}/by-request`, { method: 'POST', headers: { 'x-caller': 'request' } })

    const byUrl = await underParent(tracing.tracer, async () =>
      json(await fetch(new URL('/by-url', API), init)),
    )
    expect(byUrl.result).toMatchObject({ method: 'PATCH', caller: 'init' })
    expectPropagated(byUrl.result, tracing, byUrl.parent)
    const byRequest = await underParent(tracing.tracer, async () => json(await fetch(request)))
    expect(byRequest.result).toMatchObject({ method: 'POST', caller: 'request' })
    expectPropagated(byRequest.result, tracing, byRequest.parent)

    expect(init).toEqual({ method: 'PATCH', headers })
    expect([...headers]).toEqual([['x-caller', 'init']])
    expect([...request.headers]).toEqual([['x-caller', 'request']])
  })

  it('replaces an existing traceparent in any case instead of sending a second one', async () => {
    const stale = `00-${'c'.repeat(32)}-${'d'.repeat(16)}-01`
    const { result, parent: caller } = await underParent(tracing.tracer, async () =>
      json(await fetch(`${API}/stale`, { headers: { TRACEPARENT: stale } })),
    )
    expect(result.traceparent).not.toContain(stale)
    expectPropagated(result, tracing, caller)
  })

  it('gives each of 200 concurrent requests its own parent', async () => {
    const calls = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        underParent(tracing.tracer, async () => json(await fetch(`${API}/n/${i}`))),
      ),
    )
    const parents = new Set(
      calls.map(
        ({ result, parent: caller }) => expectPropagated(result, tracing, caller).spanContext().spanId,
      ),
    )
    expect(parents.size).toBe(200)
    calls.forEach(({ result }, i) => {
      expect(result.url).toBe(`${API}/n/${i}`)
    })
  })

  it('keeps trace headers and baggage off a third-party origin, even one named only in the query', async () => {
    const scoped = tracedFetch(undefined, { propagateTo: [API] })
    const own = await underParent(tracing.tracer, async () => json(await scoped(`${API}/own`)))
    expectPropagated(own.result, tracing, own.parent)
    const third = await underParent(tracing.tracer, async () =>
      json(await scoped(`${THIRD_PARTY}/pixel?ref=${API}/own`)),
    )
    expect(third.result).toMatchObject({ traceparent: [], tracestate: [], baggage: [] })
  })

  it('never sends a secret-looking baggage key', async () => {
    vi.spyOn(diag, 'warn').mockImplementation(() => {})
    const { result, parent: caller } = await underParent(
      tracing.tracer,
      async () => json(await fetch(`${API}/baggage`)),
      {
        user_id: 'alice',
        Authorization: 'Bearer abc',
        'client-secret': 'xyz',
      },
    )
    expectPropagated(result, tracing, caller)
    expect(result.baggage.join()).not.toMatch(/abc|xyz/)
  })

  it('starts no span and sends no header when tracing is suppressed', async () => {
    const { result, parent: caller } = await underParent(tracing.tracer, () =>
      context.with(suppressTracing(context.active()), async () => json(await fetch(`${API}/quiet`))),
    )
    expect(result).toMatchObject({ traceparent: [], tracestate: [], baggage: [] })
    expect(clientSpansOf(tracing, caller)).toEqual([])
  })

  it('lets the request succeed when the hooks throw', async () => {
    const errors = vi.spyOn(diag, 'error').mockImplementation(() => {})
    const hooked = tracedFetch(undefined, {
      requestHook: () => {
        throw new Error('request hook failed')
      },
      responseHook: () => {
        throw new Error('response hook failed')
      },
    })
    const { result, parent: caller } = await underParent(tracing.tracer, async () =>
      json(await hooked(`${API}/hooks`)),
    )
    expectPropagated(result, tracing, caller)
    expect(errors).toHaveBeenCalledTimes(2)
  })

  it('passes the hooks the call as made and the Response as received', async () => {
    const states: unknown[] = []
    const hooked = tracedFetch(undefined, {
      requestHook: ({ request, span }) => states.push(request.init, span.isRecording()),
      responseHook: ({ response }) => states.push(response?.status),
    })
    const init = { headers: { 'x-caller': 'hook' } }
    await underParent(tracing.tracer, async () => json(await hooked(`${API}/hooked`, init)))
    expect(states).toEqual([init, true, 200])
  })

  it('marks a 5xx and a network error as errors', async () => {
    const failed = await underParent(tracing.tracer, async () => {
      const response = await fetch(`${API}/status/503`)
      return { status: response.status, wire: await json(response) }
    })
    expect(failed.result.status).toBe(503)
    const client = expectPropagated(failed.result.wire, tracing, failed.parent)
    expect(client.status.code).toBe(SpanStatusCode.ERROR)
    expect(client.attributes['error.type']).toBe('503')

    const broken = await underParent(tracing.tracer, () =>
      fetch(`${API}/network-error`).then(
        () => undefined,
        (e) => e,
      ),
    )
    expect(broken.result).toBeInstanceOf(TypeError)
    const [span, ...more] = clientSpansOf(tracing, broken.parent)
    expect(more).toEqual([])
    expect(span!.status.code).toBe(SpanStatusCode.ERROR)
    expect(span!.attributes['error.type']).toBe('TypeError')
  })

  it('with spans: false injects the caller context unchanged', async () => {
    const plain = tracedFetch(undefined, { spans: false })
    const { result, parent: caller } = await underParent(tracing.tracer, async () =>
      json(await plain(`${API}/plain`)),
    )
    expect(traceparentOf(result.traceparent[0]).parentId).toBe(caller.spanContext().spanId)
    expect(clientSpansOf(tracing, caller)).toEqual([])
  })

  it('leaves ignored requests alone and names spans with spanName', async () => {
    const custom = tracedFetch(undefined, {
      ignore: [`${API}/health`],
      spanName: ({ method, url }) => `${method} ${url.pathname.replace(/\d+/g, ':id')}`,
    })
    const ignored = await underParent(tracing.tracer, async () => json(await custom(`${API}/health`)))
    expect(ignored.result.traceparent).toEqual([])
    expect(clientSpansOf(tracing, ignored.parent)).toEqual([])
    const named = await underParent(tracing.tracer, async () => json(await custom(`${API}/users/42`)))
    expect(expectPropagated(named.result, tracing, named.parent).name).toBe('GET /users/:id')
  })

  it('calls whatever globalThis.fetch is at call time, and survives replacing it with itself', async () => {
    const msw = globalThis.fetch
    const calls: string[] = []
    globalThis.fetch = (input, init) => {
      calls.push(String(input))
      return msw(input, init)
    }
    try {
      const { result, parent: caller } = await underParent(tracing.tracer, async () =>
        json(await fetch(`${API}/polyfilled`)),
      )
      expect(calls).toEqual([`${API}/polyfilled`])
      expectPropagated(result, tracing, caller)
    } finally {
      globalThis.fetch = msw
    }

    const traced = tracedFetch()
    globalThis.fetch = traced
    try {
      const { result, parent: caller } = await underParent(tracing.tracer, async () =>
        json(await globalThis.fetch(`${API}/self`)),
      )
      expectPropagated(result, tracing, caller)
    } finally {
      globalThis.fetch = msw
    }
  })
})
