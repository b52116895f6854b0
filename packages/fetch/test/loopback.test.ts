import { context, diag, SpanStatusCode } from '@opentelemetry/api'
import { suppressTracing } from '@opentelemetry/core'
import { tracedFetch } from '@otel-http/fetch'
import * as undici from 'undici'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, expectTypeOf, it, vi } from 'vitest'
import { asCaller, clientSpansOf, expectPropagated } from '../../../test/support/client-caller'
import { refusedOrigin, startEchoServer, type WireRequest } from '../../../test/support/echo-server'
import { parseTraceparent, setupTracing } from '../../../test/support/tracing'

// Registered before the describe blocks create their tracedFetch instances (which take their tracer then).
const tracing = setupTracing()
let server: Awaited<ReturnType<typeof startEchoServer>>
let other: Awaited<ReturnType<typeof startEchoServer>>

beforeAll(async () => {
  server = await startEchoServer()
  other = await startEchoServer()
})
afterAll(async () => {
  await server.close()
  await other.close()
})
beforeEach(() => tracing.reset())
afterEach(() => vi.restoreAllMocks())

const STALE = `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01`
const json = async (response: Response) => (await response.json()) as WireRequest

const implementations = [
  {
    name: "undici's fetch",
    impl: undici.fetch as unknown as typeof fetch,
    Req: undici.Request as unknown as typeof Request,
  },
  { name: "Node's global fetch", impl: globalThis.fetch, Req: globalThis.Request },
]

it('keeps the signature of the fetch it wraps', () => {
  expectTypeOf(tracedFetch(undici.fetch)).toEqualTypeOf<typeof undici.fetch>()
  expectTypeOf(tracedFetch()).toEqualTypeOf<typeof fetch>()
})

describe.each(implementations)(
  'tracedFetch over $name, against a loopback node:http server',
  ({ impl, Req }) => {
    const fetch = tracedFetch(impl)

    it('sends the CLIENT span as parent and records it under the caller span', async () => {
      const { result: wire, caller } = await asCaller(tracing, async () =>
        json(await fetch(`${server.origin}/users/1?q=1`)),
      )
      const client = expectPropagated(wire, tracing, caller)
      expect(client.name).toBe('GET')
      expect(client.instrumentationScope.name).toBe('@otel-http/fetch')
      expect(client.attributes).toEqual({
        'http.request.method': 'GET',
        'url.full': `${server.origin}/users/1?q=1`,
        'server.address': '127.0.0.1',
        'server.port': Number(new URL(server.origin).port),
        'http.response.status_code': 200,
      })
      expect(client.status.code).toBe(SpanStatusCode.UNSET)
      expect(client.endTime).toBeDefined()
    })

    it('accepts a URL or a Request, takes the method from init or the Request, and keeps caller headers', async () => {
      const byUrl = await asCaller(tracing, async () => json(await fetch(new URL('/by-url', server.origin))))
      expectPropagated(byUrl.result, tracing, byUrl.caller)

      const request = new Req(`${server.origin}/by-request`, {
        method: 'DELETE',
        headers: { 'x-caller': 'request' },
      })
      const byRequest = await asCaller(tracing, async () => json(await fetch(request)))
      expect(byRequest.result.method).toBe('DELETE')
      expect(byRequest.result.headers['x-caller']).toBe('request')
      expect(
        expectPropagated(byRequest.result, tracing, byRequest.caller).attributes['http.request.method'],
      ).toBe('DELETE')

      const withInit = await asCaller(tracing, async () =>
        json(
          await fetch(`${server.origin}/by-init`, {
            method: 'put',
            headers: { 'x-caller': 'init' },
            body: 'b',
          }),
        ),
      )
      expect(withInit.result).toMatchObject({ method: 'PUT', body: 'b', headers: { 'x-caller': 'init' } })
      expect(expectPropagated(withInit.result, tracing, withInit.caller).name).toBe('PUT')
    })

    it('never modifies the caller headers, init or Request', async () => {
      const record = { 'x-caller': 'record' }
      const headers = new Headers({ 'x-caller': 'headers' })
      const pairs = [['x-caller', 'pairs']]
      const request = new Req(`${server.origin}/owned`, {
        method: 'POST',
        headers: { 'x-caller': 'req' },
        body: 'x',
      })
      const inits = [
        { headers: record },
        { headers },
        { headers: pairs },
        { method: 'POST', body: 'y', headers: record },
      ]
      const snapshots = inits.map((init) => ({ keys: Object.keys(init), headers: init.headers }))

      await asCaller(tracing, async () => {
        for (const init of inits) await json(await fetch(`${server.origin}/owned`, init as RequestInit))
        await json(await fetch(request))
      })

      expect(server.requests.slice(-5).every((wire) => wire.traceparent.length === 1)).toBe(true)
      inits.forEach((init, i) => {
        expect(Object.keys(init)).toEqual(snapshots[i]!.keys)
        expect(init.headers).toBe(snapshots[i]!.headers)
      })
      expect(record).toEqual({ 'x-caller': 'record' })
      expect([...headers]).toEqual([['x-caller', 'headers']])
      expect(pairs).toEqual([['x-caller', 'pairs']])
      expect([...request.headers]).toEqual([
        ['content-type', 'text/plain;charset=UTF-8'],
        ['x-caller', 'req'],
      ])
    })

    it('replaces an existing traceparent in any case instead of sending a second one', async () => {
      const variants: Array<RequestInfo | [string, RequestInit]> = [
        [`${server.origin}/stale`, { headers: { TraceParent: STALE } }],
        [`${server.origin}/stale`, { headers: new Headers({ TRACEPARENT: STALE }) }],
        [`${server.origin}/stale`, { headers: [['traceParent', STALE]] }],
        new Req(`${server.origin}/stale`, { headers: { Traceparent: STALE } }),
      ]
      for (const variant of variants) {
        const { result: wire, caller } = await asCaller(tracing, async () =>
          json(await (Array.isArray(variant) ? fetch(...variant) : fetch(variant))),
        )
        expect(wire.traceparent).not.toContain(STALE)
        expectPropagated(wire, tracing, caller)
      }
    })

    it('gives each of 200 concurrent requests its own parent', async () => {
      const calls = await Promise.all(
        Array.from({ length: 200 }, (_, i) =>
          asCaller(tracing, async () => json(await fetch(`${server.origin}/concurrent/${i}`))),
        ),
      )
      const parents = new Set<string>()
      for (const { result: wire, caller } of calls) {
        const client = expectPropagated(wire, tracing, caller)
        parents.add(parseTraceparent(wire.traceparent[0]).parentId)
        expect(wire.url).toBe(`/concurrent/${calls.findIndex((c) => c.caller === caller)}`)
        expect(client.attributes['url.full']).toBe(`${server.origin}${wire.url}`)
      }
      expect(parents.size).toBe(200)
    })

    it('keeps traceparent, tracestate and baggage off an origin outside propagateTo, even one named in the query', async () => {
      const scoped = tracedFetch(impl, { propagateTo: [server.origin] })
      const own = await asCaller(tracing, async () => json(await scoped(`${server.origin}/own`)))
      expectPropagated(own.result, tracing, own.caller)

      const third = await asCaller(tracing, async () =>
        json(await scoped(`${other.origin}/?next=${server.origin}/own`)),
      )
      expect(third.result).toMatchObject({ traceparent: [], tracestate: [], baggage: [] })
      // Not propagated, but still traced on our side.
      expect(clientSpansOf(tracing, third.caller)).toHaveLength(1)
    })

    it('never sends a secret-looking baggage key', async () => {
      vi.spyOn(diag, 'warn').mockImplementation(() => {})
      const { result: wire, caller } = await asCaller(
        tracing,
        async () => json(await fetch(`${server.origin}/baggage`)),
        { api_key: 'k-123', sessionToken: 's-456', 'db.Password': 'p' },
      )
      expectPropagated(wire, tracing, caller)
      expect(wire.baggage.join()).not.toMatch(/k-123|s-456|api_key|sessionToken|Password/)
    })

    it('starts no span and sends no header when tracing is suppressed', async () => {
      const { result: wire, caller } = await asCaller(tracing, () =>
        context.with(suppressTracing(context.active()), async () =>
          json(await fetch(`${server.origin}/quiet`)),
        ),
      )
      expect(wire).toMatchObject({ traceparent: [], tracestate: [], baggage: [] })
      expect(clientSpansOf(tracing, caller)).toEqual([])
    })

    it('lets the request succeed when the hooks throw, and reports them through diag', async () => {
      const errors = vi.spyOn(diag, 'error').mockImplementation(() => {})
      const hooked = tracedFetch(impl, {
        requestHook: () => {
          throw new Error('request hook failed')
        },
        responseHook: () => {
          throw new Error('response hook failed')
        },
      })
      const { result: wire, caller } = await asCaller(tracing, async () =>
        json(await hooked(`${server.origin}/hooks`)),
      )
      expectPropagated(wire, tracing, caller)
      const reported = errors.mock.calls.map(([message]) => String(message))
      expect(reported.some((m) => m.includes('requestHook'))).toBe(true)
      expect(reported.some((m) => m.includes('responseHook'))).toBe(true)
    })

    it('returns the Response untouched and marks a 4xx as an error', async () => {
      let returned: Response | undefined
      const spying = tracedFetch(async (input: RequestInfo | URL, init?: RequestInit) => {
        returned = await impl(input, init)
        return returned
      })
      const { result: response, caller } = await asCaller(tracing, () =>
        spying(`${server.origin}/status/404`),
      )
      expect(response).toBe(returned)
      expect(response.status).toBe(404)
      expect(response.bodyUsed).toBe(false)
      const client = expectPropagated(await json(response), tracing, caller)
      expect(client.status.code).toBe(SpanStatusCode.ERROR)
      expect(client.attributes).toMatchObject({ 'http.response.status_code': 404, 'error.type': '404' })
    })

    describe('failures end the span once, as an error', () => {
      const expectFailedOnce = (caller: Parameters<typeof clientSpansOf>[1], errorType: string) => {
        const clients = clientSpansOf(tracing, caller)
        expect(clients).toHaveLength(1)
        expect(clients[0]!.status.code).toBe(SpanStatusCode.ERROR)
        expect(clients[0]!.attributes['error.type']).toBe(errorType)
        expect(clients[0]!.attributes['http.response.status_code']).toBeUndefined()
      }
      let warnings: ReturnType<typeof vi.spyOn>
      beforeEach(() => {
        warnings = vi.spyOn(diag, 'warn').mockImplementation(() => {})
      })
      afterEach(() => {
        // The SDK warns when an ended span is ended again.
        expect(warnings.mock.calls.filter(([m]: unknown[]) => /ended/i.test(String(m)))).toEqual([])
      })

      it('on a refused connection', async () => {
        const refused = await refusedOrigin()
        const { result: error, caller } = await asCaller(tracing, () =>
          fetch(`${refused}/nobody`).then(
            () => undefined,
            (e: unknown) => e,
          ),
        )
        expect(error).toBeInstanceOf(TypeError)
        expectFailedOnce(caller, 'ECONNREFUSED')
      })

      it('on an abort while the request is in flight', async () => {
        const controller = new AbortController()
        const arrived = server.nextRequest()
        const pending = asCaller(tracing, () =>
          fetch(`${server.origin}/hang`, { signal: controller.signal }).then(
            () => undefined,
            (e: unknown) => e,
          ),
        )
        expect((await arrived).traceparent).toHaveLength(1)
        controller.abort()
        const { result: error, caller } = await pending
        expect((error as Error).name).toBe('AbortError')
        expectFailedOnce(caller, 'AbortError')
      })

      it('on a timeout', async () => {
        const { result: error, caller } = await asCaller(tracing, () =>
          fetch(`${server.origin}/hang`, { signal: AbortSignal.timeout(50) }).then(
            () => undefined,
            (e: unknown) => e,
          ),
        )
        expect((error as Error).name).toBe('TimeoutError')
        expectFailedOnce(caller, 'TimeoutError')
      })
    })

    it('with spans: false injects the caller context unchanged and records nothing', async () => {
      const plain = tracedFetch(impl, { spans: false })
      const { result: wire, caller } = await asCaller(tracing, async () =>
        json(await plain(`${server.origin}/plain`)),
      )
      expect(wire.traceparent).toHaveLength(1)
      const sent = parseTraceparent(wire.traceparent[0])
      expect(sent.traceId).toBe(caller.spanContext().traceId)
      expect(sent.parentId).toBe(caller.spanContext().spanId)
      expect(wire.baggage).toEqual(['user.id=alice'])
      expect(wire.tracestate).toEqual(['vendor=abc'])
      expect(clientSpansOf(tracing, caller)).toEqual([])
    })

    it('sends a streaming body, from a Request or from init, without reading it', async () => {
      const stream = () =>
        new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(new TextEncoder().encode('chunk-1,'))
            controller.enqueue(new TextEncoder().encode('chunk-2'))
            controller.close()
          },
        })
      const streaming = { method: 'POST', body: stream(), duplex: 'half' } as RequestInit
      const request = new Req(`${server.origin}/upload`, streaming)
      const fromRequest = await asCaller(tracing, async () => json(await fetch(request)))
      expect(fromRequest.result).toMatchObject({ method: 'POST', body: 'chunk-1,chunk-2' })
      expectPropagated(fromRequest.result, tracing, fromRequest.caller)
      expect(request.headers.has('traceparent')).toBe(false)

      const init = { method: 'POST', body: stream(), duplex: 'half' } as RequestInit
      const fromInit = await asCaller(tracing, async () => json(await fetch(`${server.origin}/upload`, init)))
      expect(fromInit.result.body).toBe('chunk-1,chunk-2')
      expectPropagated(fromInit.result, tracing, fromInit.caller)
    })

    it('starts one span when two tracedFetch layers are stacked', async () => {
      const stacked = tracedFetch(tracedFetch(impl))
      const { result: wire, caller } = await asCaller(tracing, async () =>
        json(await stacked(`${server.origin}/twice`)),
      )
      expectPropagated(wire, tracing, caller)
      expect(tracing.spans().filter((s) => s.name === 'GET')).toHaveLength(1)
    })
  },
)
