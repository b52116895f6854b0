import { context, diag, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api'
import { createServerInstrumentation, type HeaderRecord, recordGetter } from '@otel-http/core'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { parentIdOf, setupTracing } from '../../../test/support/tracing'

const otel = setupTracing()
const scope = { name: 'test-server' }
const TRACE_ID = '0af7651916cd43dd8448eb211c80319c'
const CALLER = 'b7ad6b7169203331'
const TP = `00-${TRACE_ID}-${CALLER}-01`

afterEach(() => otel.reset())

function request(headers: HeaderRecord, target = '/users/42?tab=2', method = 'GET') {
  return { method, target, scheme: 'http', headers, getter: recordGetter, request: { headers } }
}

describe('createServerInstrumentation', () => {
  it('continues a trusted caller: SERVER span child of the traceparent, with HTTP attributes', () => {
    const instr = createServerInstrumentation({}, scope)
    const req = instr.start({
      ...request({ traceparent: TP, tracestate: 'v=1', host: '[::1]:8080', 'user-agent': 'ua/1' }),
      clientAddress: '127.0.0.1',
      protocolVersion: '1.1',
    })!
    expect(trace.getSpan(req.context)).toBe(req.span)
    req.setRoute('/users/:id')
    req.end({ status: 200 })
    const [span] = otel.spans()
    expect(span!.kind).toBe(SpanKind.SERVER)
    expect(span!.name).toBe('GET /users/:id')
    expect(span!.spanContext().traceId).toBe(TRACE_ID)
    expect(parentIdOf(span!)).toBe(CALLER)
    expect(span!.spanContext().traceState?.get('v')).toBe('1')
    expect(span!.attributes).toEqual({
      'http.request.method': 'GET',
      'url.path': '/users/42',
      'url.query': 'tab=2',
      'url.scheme': 'http',
      'server.address': '::1',
      'server.port': 8080,
      'client.address': '127.0.0.1',
      'user_agent.original': 'ua/1',
      'network.protocol.version': '1.1',
      'http.route': '/users/:id',
      'http.response.status_code': 200,
    })
    expect(span!.status.code).toBe(SpanStatusCode.UNSET)
  })

  it('untrusted caller: new root trace, a link to the caller, no tracestate, no baggage', () => {
    const instr = createServerInstrumentation({ trustIncoming: false }, scope)
    const req = instr.start(request({ traceparent: TP, tracestate: 'v=1', baggage: 'user=alice,tenant=t1' }))!
    expect(propagation.getBaggage(req.context)).toBeUndefined()
    req.end({ status: 200 })
    const [span] = otel.spans()
    expect(span!.spanContext().traceId).not.toBe(TRACE_ID)
    expect(parentIdOf(span!)).toBeUndefined()
    expect(span!.spanContext().traceState).toBeUndefined()
    expect(span!.links).toHaveLength(1)
    expect(span!.links[0]!.context).toEqual({
      isRemote: true,
      traceId: TRACE_ID,
      spanId: CALLER,
      traceFlags: 1,
    })
  })

  it('untrusted by predicate keeps only the baggage keys acceptBaggage allows', () => {
    const trustIncoming = vi.fn((r: { headers: HeaderRecord }) => r.headers['x-internal'] === '1')
    const instr = createServerInstrumentation({ trustIncoming, acceptBaggage: ['tenant'] }, scope)
    const publicReq = instr.start(request({ traceparent: TP, baggage: 'user=alice,tenant=t1' }))!
    expect(propagation.getBaggage(publicReq.context)?.getAllEntries()).toEqual([['tenant', { value: 't1' }]])
    const internal = instr.start(
      request({ traceparent: TP, baggage: 'user=alice,tenant=t1', 'x-internal': '1' }),
    )!
    // acceptBaggage filters trusted callers too.
    expect(propagation.getBaggage(internal.context)?.getAllEntries()).toEqual([['tenant', { value: 't1' }]])
    publicReq.end({ status: 200 })
    internal.end({ status: 200 })
    const [first, second] = otel.spans()
    expect(first!.spanContext().traceId).not.toBe(TRACE_ID)
    expect(second!.spanContext().traceId).toBe(TRACE_ID)
    expect(trustIncoming).toHaveBeenCalledTimes(2)
  })

  it('acceptBaggage as a predicate; trusted callers keep all baggage when it is unset', () => {
    const all = createServerInstrumentation({}, scope).start(request({ baggage: 'a=1,b=2' }))!
    expect(
      propagation
        .getBaggage(all.context)
        ?.getAllEntries()
        .map(([k]) => k),
    ).toEqual(['a', 'b'])
    const some = createServerInstrumentation({ acceptBaggage: (key) => key === 'b' }, scope).start(
      request({ baggage: 'a=1,b=2' }),
    )!
    expect(
      propagation
        .getBaggage(some.context)
        ?.getAllEntries()
        .map(([k]) => k),
    ).toEqual(['b'])
  })

  it.each([
    ['malformed', { traceparent: '00-xyz-123-01' }],
    ['all-zero trace id', { traceparent: `00-${'0'.repeat(32)}-${CALLER}-01` }],
    ['duplicated', { traceparent: [TP, `00-${TRACE_ID}-${'c'.repeat(16)}-01`] }],
    ['joined duplicate', { traceparent: `${TP}, ${TP}` }],
    ['oversized', { traceparent: TP, baggage: `big=${'x'.repeat(9000)}` }],
  ])('a %s header never throws and starts a fresh root (or drops the oversized header)', (_, headers) => {
    const req = createServerInstrumentation({}, scope).start(request(headers as HeaderRecord))!
    expect(propagation.getBaggage(req.context)).toBeUndefined()
    req.end({ status: 200 })
    const [span] = otel.spans()
    if (_ === 'oversized') expect(span!.spanContext().traceId).toBe(TRACE_ID)
    else expect(parentIdOf(span!)).toBeUndefined()
  })

  it('a propagator that throws is reported through diag and the request gets a fresh root', () => {
    const error = vi.spyOn(diag, 'error').mockImplementation(() => {})
    const propagator = {
      inject: () => {},
      extract: () => {
        throw new Error('boom')
      },
      fields: () => [],
    }
    const req = createServerInstrumentation({ propagator }, scope).start(request({ traceparent: TP }))!
    req.end({ status: 200 })
    expect(parentIdOf(otel.spans()[0]!)).toBeUndefined()
    expect(error).toHaveBeenCalledOnce()
    error.mockRestore()
  })

  it('ends once; 5xx and thrown errors are ERROR, 4xx is not; closed early sets error.type', () => {
    const instr = createServerInstrumentation({}, scope)
    const a = instr.start(request({}))!
    a.end({ status: 503 })
    a.end({ status: 200 })
    const b = instr.start(request({}))!
    b.recordError(new TypeError('bad'))
    b.end({ status: 500 })
    const c = instr.start(request({}))!
    c.end({ status: 404 })
    const d = instr.start(request({}))!
    d.end({ closedEarly: true })
    const [sa, sb, sc, sd] = otel.spans()
    expect(otel.spans()).toHaveLength(4)
    expect(sa!.status.code).toBe(SpanStatusCode.ERROR)
    expect(sa!.attributes['error.type']).toBe('503')
    expect(sa!.attributes['http.response.status_code']).toBe(503)
    expect(sb!.status).toEqual({ code: SpanStatusCode.ERROR, message: 'bad' })
    expect(sb!.attributes['error.type']).toBe('TypeError')
    expect(sb!.events.map((e) => e.name)).toEqual(['exception'])
    expect(sc!.status.code).toBe(SpanStatusCode.UNSET)
    expect(sd!.status.code).toBe(SpanStatusCode.ERROR)
    expect(sd!.attributes['error.type']).toBe('connection_closed')
  })

  it('ignore skips paths at a boundary; a nested layer joins the active request', () => {
    const instr = createServerInstrumentation({ ignore: ['/health', /^\/metrics/] }, scope)
    expect(instr.start(request({}, '/health?x'))).toBeUndefined()
    expect(instr.start(request({}, '/health/db'))).toBeUndefined()
    expect(instr.start(request({}, '/metrics'))).toBeUndefined()
    const outer = instr.start(request({}, '/healthz'))!
    const inner = context.with(outer.context, () =>
      createServerInstrumentation({}, scope).start(request({}, '/healthz')),
    )
    expect(inner).toBe(outer)
    outer.end({ status: 200 })
    expect(otel.spans().map((s) => s.attributes['url.path'])).toEqual(['/healthz'])
  })

  it('hooks and spanName get one state object; their exceptions are swallowed', () => {
    vi.spyOn(diag, 'error').mockImplementation(() => {})
    const seen: string[] = []
    const instr = createServerInstrumentation(
      {
        spanName: ({ method, route }) => (route ? `${method} ${route}!` : `${method}!`),
        requestHook: ({ span }) => {
          seen.push('request')
          span.setAttribute('custom', 1)
          throw new Error('hook')
        },
        responseHook: ({ status }) => {
          seen.push(`response ${status}`)
          throw new Error('hook')
        },
      },
      scope,
    )
    const req = instr.start(request({}, '/x', 'PURGE'))!
    expect(otel.spans()).toHaveLength(0)
    req.setRoute('/x')
    req.end({ status: 204 })
    const [span] = otel.spans()
    expect(span!.name).toBe('_OTHER /x!')
    expect(span!.attributes).toMatchObject({ custom: 1, 'http.request.method_original': 'PURGE' })
    expect(seen).toEqual(['request', 'response 204'])
    vi.restoreAllMocks()
  })
})
