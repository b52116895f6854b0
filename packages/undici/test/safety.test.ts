import {
  context,
  type DiagLogger,
  DiagLogLevel,
  diag,
  type Span,
  SpanKind,
  SpanStatusCode,
} from '@opentelemetry/api'
import { suppressTracing } from '@opentelemetry/core'
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base'
import { type TracingInterceptorOptions, tracingInterceptor } from '@otel-http/undici'
import { Agent, type Dispatcher, fetch, interceptors, request } from 'undici'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import {
  echoOf,
  type LoopbackServer,
  rawValues,
  redirectUrl,
  refusedPort,
  startLoopbackServer,
} from '../../../test/support/loopback-server'
import { parentIdOf, setupTracing, traceparentOf } from '../../../test/support/tracing'
import { underParent } from '../../../test/support/under-parent'

const otel = setupTracing()
const diagErrors: unknown[][] = []
const logger: DiagLogger = {
  error: (...args) => diagErrors.push(args),
  warn: () => {},
  info: () => {},
  debug: () => {},
  verbose: () => {},
}
let server: LoopbackServer
let thirdParty: LoopbackServer
const agents: Agent[] = []

/** A fresh Agent composed with the interceptor; closed in afterAll. */
function tracedAgent(options?: TracingInterceptorOptions): Dispatcher {
  const agent = new Agent()
  agents.push(agent)
  return agent.compose(tracingInterceptor(options))
}

beforeAll(async () => {
  diag.setLogger(logger, DiagLogLevel.ERROR)
  ;[server, thirdParty] = await Promise.all([startLoopbackServer(), startLoopbackServer()])
})
afterEach(() => {
  otel.reset()
  diagErrors.length = 0
})
afterAll(async () => {
  diag.disable()
  await Promise.all(agents.map((a) => a.close()))
  await Promise.all([server.close(), thirdParty.close()])
})

const clientSpans = (): ReadableSpan[] => otel.spans().filter((s) => s.kind === SpanKind.CLIENT)

describe('what the caller owns', () => {
  const dispatcher = () => tracedAgent()

  it('leaves a headers object unchanged', async () => {
    const headers = Object.freeze({ 'x-a': '1', 'x-multi': ['a', 'b'] })
    const d = dispatcher()
    await underParent(otel.tracer, async () =>
      (await request(`${server.origin}/obj`, { dispatcher: d, headers })).body.dump(),
    )
    expect(headers).toEqual({ 'x-a': '1', 'x-multi': ['a', 'b'] })
    const seen = server.request('/obj')!
    expect(seen.headers['x-a']).toBe('1')
    expect(rawValues(seen.rawHeaders, 'x-multi')).toEqual(['a', 'b'])
    expect(rawValues(seen.rawHeaders, 'traceparent')).toHaveLength(1)
  })

  it('leaves a flat header array unchanged', async () => {
    const headers = ['x-a', '1', 'x-b', '2']
    const snapshot = [...headers]
    const d = dispatcher()
    await underParent(otel.tracer, async () =>
      (await request(`${server.origin}/flat`, { dispatcher: d, headers })).body.dump(),
    )
    expect(headers).toEqual(snapshot)
    const seen = server.request('/flat')!
    expect([seen.headers['x-a'], seen.headers['x-b']]).toEqual(['1', '2'])
    expect(rawValues(seen.rawHeaders, 'traceparent')).toHaveLength(1)
  })

  it('leaves an iterable of pairs unchanged', async () => {
    const headers = new Map([
      ['x-a', '1'],
      ['traceparent', '00-11111111111111111111111111111111-2222222222222222-01'],
    ])
    const d = dispatcher()
    await underParent(otel.tracer, async () =>
      (await request(`${server.origin}/iter`, { dispatcher: d, headers })).body.dump(),
    )
    expect([...headers]).toEqual([
      ['x-a', '1'],
      ['traceparent', '00-11111111111111111111111111111111-2222222222222222-01'],
    ])
    const seen = server.request('/iter')!
    expect(seen.headers['x-a']).toBe('1')
    expect(rawValues(seen.rawHeaders, 'traceparent')).toHaveLength(1)
    expect(seen.headers.traceparent).not.toContain('1111111111')
  })

  it('leaves the dispatch options unchanged and streams the body through', async () => {
    const headers = { 'content-type': 'text/plain' }
    const opts: Dispatcher.DispatchOptions = {
      origin: server.origin,
      path: '/opts',
      method: 'POST',
      headers,
      body: 'abc',
    }
    const snapshot = { ...opts }
    const d = dispatcher()
    await underParent(otel.tracer, async () => (await d.request(opts)).body.dump())
    expect(opts).toEqual(snapshot)
    expect(opts.headers).toBe(headers)
    expect(Object.keys(headers)).toEqual(['content-type'])
    expect(server.request('/opts')!.body).toBe('abc')
  })

  it('passes on what an interceptor above set in the dispatch options, symbol keys included', async () => {
    const MARK = Symbol('set by an interceptor above')
    const seen: unknown[] = []
    const below: Dispatcher.DispatcherComposeInterceptor = (dispatch) => (opts, handler) => {
      seen.push((opts as unknown as Record<symbol, unknown>)[MARK])
      return dispatch(opts, handler)
    }
    const above: Dispatcher.DispatcherComposeInterceptor = (dispatch) => (opts, handler) =>
      dispatch({ ...opts, [MARK]: 'kept' } as Dispatcher.DispatchOptions, handler)
    const d = new Agent().compose(below, tracingInterceptor(), above)
    await underParent(otel.tracer, async () =>
      (await request(`${server.origin}/marked`, { dispatcher: d })).body.dump(),
    )
    expect(seen).toEqual(['kept'])
    expect(server.request('/marked')!.headers.traceparent).toBeDefined()
    await d.close()
  })

  it('replaces an existing traceparent in any case instead of sending a second one', async () => {
    const stale = '00-11111111111111111111111111111111-2222222222222222-01'
    const d = dispatcher()
    const { parent } = await underParent(otel.tracer, async () => {
      await (
        await request(`${server.origin}/dup-obj`, { dispatcher: d, headers: { TraceParent: stale } })
      ).body.dump()
      await (
        await request(`${server.origin}/dup-flat`, { dispatcher: d, headers: ['TRACEPARENT', stale] })
      ).body.dump()
    })
    for (const path of ['/dup-obj', '/dup-flat']) {
      const values = rawValues(server.request(path)!.rawHeaders, 'traceparent')
      expect(values).toHaveLength(1)
      expect(values[0]).not.toBe(stale)
      expect(traceparentOf(values[0]).traceId).toBe(parent.spanContext().traceId)
    }
  })
})

describe('context isolation', () => {
  it('200 concurrent requests each carry their own parent', async () => {
    const d = tracedAgent()
    const parents = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        underParent(otel.tracer, async () =>
          (await request(`${server.origin}/c?i=${i}`, { dispatcher: d })).body.dump(),
        ),
      ),
    )
    const clients = clientSpans()
    expect(clients).toHaveLength(200)
    parents.forEach(({ parent }, i) => {
      const path = `/c?i=${i}`
      const client = clients.find((s) => s.attributes['url.full'] === `${server.origin}${path}`)!
      expect(parentIdOf(client)).toBe(parent.spanContext().spanId)
      const { traceId, parentId } = traceparentOf(server.request(path)!.headers.traceparent as string)
      expect(traceId).toBe(parent.spanContext().traceId)
      expect(parentId).toBe(client.spanContext().spanId)
    })
    expect(new Set(parents.map(({ parent }) => parent.spanContext().traceId)).size).toBe(200)
  })
})

describe('trust boundaries', () => {
  it('propagateTo keeps traceparent and baggage off a third-party origin, even one named in the query', async () => {
    const d = tracedAgent({ propagateTo: [server.origin] })
    await underParent(otel.tracer, async () => {
      await (await request(`${server.origin}/ours`, { dispatcher: d })).body.dump()
      const sneaky = `${thirdParty.origin}/theirs?next=${encodeURIComponent(server.origin)}&also=${server.origin}`
      await (await request(sneaky, { dispatcher: d })).body.dump()
      await (await fetch(`${thirdParty.origin}/fetched?u=${server.origin}/`, { dispatcher: d })).text()
    })
    const ours = server.request('/ours')!
    expect(ours.headers.traceparent).toBeDefined()
    expect(ours.headers.baggage).toBe('user_id=alice')
    const theirs3 = thirdParty.requests.filter(
      (r) => r.url.startsWith('/theirs') || r.url.startsWith('/fetched'),
    )
    expect(theirs3).toHaveLength(2)
    for (const theirs of theirs3) {
      expect(rawValues(theirs.rawHeaders, 'traceparent')).toEqual([])
      expect(rawValues(theirs.rawHeaders, 'tracestate')).toEqual([])
      expect(rawValues(theirs.rawHeaders, 'baggage')).toEqual([])
    }
    // Still traced, just not propagated.
    expect(clientSpans()).toHaveLength(3)
  })

  it('composed inside the redirect interceptor, each hop gets its own span and propagateTo check', async () => {
    const agent = new Agent()
    agents.push(agent)
    const d = agent.compose(
      tracingInterceptor({ propagateTo: [server.origin] }),
      interceptors.redirect({ maxRedirections: 2 }),
    )
    const target = `${thirdParty.origin}/after-redirect`
    const { result } = await underParent(otel.tracer, async () => {
      const res = await request(redirectUrl(server.origin, 302, target), {
        dispatcher: d,
      })
      return { status: res.statusCode, body: await res.body.text() }
    })
    expect(result).toEqual({ status: 200, body: echoOf(thirdParty.request('/after-redirect')!) })
    expect(server.requests.find((r) => r.url.startsWith('/redirect'))!.headers.traceparent).toBeDefined()
    const hop = thirdParty.request('/after-redirect')!
    expect(rawValues(hop.rawHeaders, 'traceparent')).toEqual([])
    expect(rawValues(hop.rawHeaders, 'baggage')).toEqual([])
    expect(clientSpans().map((s) => s.attributes['http.response.status_code'])).toEqual([302, 200])
  })

  it('a redirect hop on a reused connection is parented on its own caller, not the socket opener', async () => {
    const agent = new Agent()
    agents.push(agent)
    const d = agent.compose(tracingInterceptor(), interceptors.redirect({ maxRedirections: 2 }))
    const first = await underParent(otel.tracer, async () =>
      (await request(`${server.origin}/warm-up`, { dispatcher: d })).body.dump(),
    )
    const second = await underParent(otel.tracer, async () =>
      (
        await request(redirectUrl(server.origin, 302, `${server.origin}/hop2`), {
          dispatcher: d,
        })
      ).body.dump(),
    )
    const hop2 = server.request('/hop2')!
    expect(traceparentOf(hop2.headers.traceparent as string).traceId).toBe(
      second.parent.spanContext().traceId,
    )
    const spans = clientSpans()
    expect(spans).toHaveLength(3)
    expect(spans.map(parentIdOf)).toEqual([
      first.parent.spanContext().spanId,
      second.parent.spanContext().spanId,
      second.parent.spanContext().spanId,
    ])
  })

  it('never sends a secret-looking baggage key', async () => {
    const d = tracedAgent()
    await underParent(otel.tracer, async () =>
      (await request(`${server.origin}/bag`, { dispatcher: d })).body.dump(),
    )
    const baggage = server.request('/bag')!.headers.baggage as string
    expect(baggage).toContain('user_id=alice')
    expect(baggage).not.toMatch(/session|s3cr3t/)
  })
})

describe('suppression, hooks and options', () => {
  it('a suppressed context gets no span and no header', async () => {
    const d = tracedAgent()
    await underParent(otel.tracer, () =>
      context.with(suppressTracing(context.active()), async () =>
        (await request(`${server.origin}/suppressed`, { dispatcher: d })).body.dump(),
      ),
    )
    const seen = server.request('/suppressed')!
    expect(seen.headers.traceparent).toBeUndefined()
    expect(seen.headers.baggage).toBeUndefined()
    expect(clientSpans()).toHaveLength(0)
  })

  it('throwing hooks and span names go to diag and the request still succeeds', async () => {
    const boom = () => {
      throw new Error('hook failed')
    }
    const d = tracedAgent({ requestHook: boom, responseHook: boom, spanName: boom })
    const { result } = await underParent(otel.tracer, async () => {
      const res = await request(`${server.origin}/hooks`, { dispatcher: d })
      return { status: res.statusCode, body: await res.body.text() }
    })
    expect(result).toEqual({ status: 200, body: echoOf(server.request('/hooks')!) })
    expect(server.request('/hooks')!.headers.traceparent).toBeDefined()
    expect(clientSpans()).toHaveLength(1)
    expect(diagErrors.map(([message]) => message).join('\n')).toMatch(/requestHook[\s\S]*responseHook/)
  })

  it('a propagator that throws leaves the request untouched', async () => {
    const d = tracedAgent({
      propagator: {
        inject: () => {
          throw new Error('broken propagator')
        },
        extract: (ctx) => ctx,
        fields: () => [],
      },
    })
    const headers = { 'x-a': '1' }
    const res = await request(`${server.origin}/broken-propagator`, { dispatcher: d, headers })
    await res.body.dump()
    expect(res.statusCode).toBe(200)
    expect(server.request('/broken-propagator')!.headers['x-a']).toBe('1')
    expect(diagErrors.length).toBeGreaterThan(0)
  })

  it('spans: false injects the caller context and records no span', async () => {
    const d = tracedAgent({ spans: false })
    const { parent } = await underParent(otel.tracer, async () =>
      (await request(`${server.origin}/no-spans`, { dispatcher: d })).body.dump(),
    )
    const seen = server.request('/no-spans')!
    const { traceId, parentId } = traceparentOf(seen.headers.traceparent as string)
    expect(traceId).toBe(parent.spanContext().traceId)
    expect(parentId).toBe(parent.spanContext().spanId)
    expect(seen.headers.tracestate).toBe('vendor=abc')
    expect(seen.headers.baggage).toBe('user_id=alice')
    expect(clientSpans()).toHaveLength(0)
  })

  it('does not start a second span when another otel-http layer already traces the request', async () => {
    const inner = new Agent()
    agents.push(inner)
    const doubled = inner.compose(tracingInterceptor(), tracingInterceptor())
    const { parent } = await underParent(otel.tracer, async () =>
      (await request(`${server.origin}/doubled`, { dispatcher: doubled })).body.dump(),
    )
    const clients = clientSpans()
    expect(clients).toHaveLength(1)
    const seen = server.request('/doubled')!
    expect(rawValues(seen.rawHeaders, 'traceparent')).toHaveLength(1)
    expect(traceparentOf(seen.headers.traceparent as string).parentId).toBe(clients[0]!.spanContext().spanId)
    expect(parentIdOf(clients[0]!)).toBe(parent.spanContext().spanId)
  })
})

describe('failures', () => {
  /** Captures the real SDK span through requestHook so its end() calls can be counted. */
  function spyOnEnds() {
    const ends: ReturnType<typeof vi.fn>[] = []
    const requestHook = ({ span }: { span: Span }) => {
      ends.push(vi.spyOn(span, 'end') as unknown as ReturnType<typeof vi.fn>)
    }
    return { ends, requestHook }
  }
  const settle = () => new Promise((resolve) => setTimeout(resolve, 50))
  /** Sends `call`, aborts it once the server holds its request to `path` (a /hang path), expects the AbortError. */
  async function abortedBeforeResponse(path: string, call: (signal: AbortSignal) => Promise<unknown>) {
    const controller = new AbortController()
    const pending = call(controller.signal)
    await vi.waitFor(() => expect(server.request(path)).toBeDefined())
    controller.abort()
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' })
  }

  /** Each failure, sent through `d` under a parent; what it ends the span with. */
  it.each<{ name: string; send: (d: Dispatcher) => Promise<void>; errorType: string; status?: number }>([
    {
      name: 'a refused connection',
      send: async (d) => {
        const port = await refusedPort()
        await expect(request(`http://127.0.0.1:${port}/down`, { dispatcher: d })).rejects.toMatchObject({
          code: 'ECONNREFUSED',
        })
      },
      errorType: 'ECONNREFUSED',
    },
    {
      name: 'an abort before the response',
      send: (d) =>
        abortedBeforeResponse('/hang', (signal) =>
          request(`${server.origin}/hang`, { dispatcher: d, signal }),
        ),
      errorType: 'AbortError',
    },
    {
      name: 'an abort of fetch before the response',
      send: (d) =>
        abortedBeforeResponse('/hang/fetch', (signal) =>
          fetch(`${server.origin}/hang/fetch`, { dispatcher: d, signal }),
        ),
      errorType: 'AbortError',
    },
    {
      name: 'an abort while the body streams (the status is kept)',
      send: async (d) => {
        const controller = new AbortController()
        const res = await request(`${server.origin}/partial`, { dispatcher: d, signal: controller.signal })
        expect(res.statusCode).toBe(200)
        const reading = res.body.text()
        controller.abort()
        await expect(reading).rejects.toMatchObject({ name: 'AbortError' })
      },
      errorType: 'UND_ERR_ABORTED',
      status: 200,
    },
  ])('$name ends the span once with ERROR and error.type', async ({ send, errorType, status }) => {
    const { ends, requestHook } = spyOnEnds()
    const d = tracedAgent({ requestHook })
    await underParent(otel.tracer, () => send(d))
    await settle()
    expect(ends).toHaveLength(1)
    expect(ends[0]).toHaveBeenCalledTimes(1)
    const [client] = clientSpans()
    expect(client!.status.code).toBe(SpanStatusCode.ERROR)
    expect(client!.attributes['error.type']).toBe(errorType)
    expect(client!.attributes['http.response.status_code']).toBe(status)
  })
})
