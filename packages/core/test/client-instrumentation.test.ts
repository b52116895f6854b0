import { context, diag, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api'
import { suppressTracing } from '@opentelemetry/core'
import { createClientInstrumentation, recordSetter } from '@otel-http/core'
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { parentIdOf, setupTracing, traceparentOf } from '../../../test/support/tracing'
import { underParent } from '../../../test/support/under-parent'

const otel = setupTracing()
const scope = { name: 'test-client' }
const url = new URL('https://api.example.com:8443/users/1?q=2')

beforeAll(() => otel.reset())
afterEach(() => otel.reset())

describe('createClientInstrumentation', () => {
  it('starts a CLIENT span with HTTP attributes and injects it as the parent', async () => {
    const instr = createClientInstrumentation({}, scope)
    const headers: Record<string, string> = {}
    await underParent(otel.tracer, () => {
      const call = instr.start({ method: 'get', url: () => url, request: null })!
      call.inject(headers, recordSetter)
      call.end({ status: 200 })
    })
    const [client, parent] = otel.spans()
    expect(client!.name).toBe('GET')
    expect(client!.kind).toBe(SpanKind.CLIENT)
    expect(client!.attributes).toMatchObject({
      'http.request.method': 'GET',
      'url.full': url.href,
      'server.address': 'api.example.com',
      'server.port': 8443,
      'http.response.status_code': 200,
    })
    expect(parentIdOf(client!)).toBe(parent!.spanContext().spanId)
    const tp = traceparentOf(headers.traceparent)
    expect(tp).toEqual({
      traceId: client!.spanContext().traceId,
      parentId: client!.spanContext().spanId,
      flags: '01',
    })
    expect(headers.baggage).toBe('user_id=alice')
  })

  it('with spans off injects the caller context unchanged', async () => {
    const instr = createClientInstrumentation({ spans: false }, scope)
    const headers: Record<string, string> = {}
    let parentId = ''
    await underParent(otel.tracer, () => {
      parentId = trace.getActiveSpan()!.spanContext().spanId
      const call = instr.start({ method: 'GET', url: () => url, request: null })!
      call.inject(headers, recordSetter)
      call.end({ status: 200 })
    })
    expect(otel.spans().map((s) => s.name)).toEqual(['parent'])
    expect(traceparentOf(headers.traceparent).parentId).toBe(parentId)
  })

  it('parses the URL only when something needs it, and at most once', async () => {
    let parses = 0
    const counted = (text: string) => () => {
      parses++
      return new URL(text)
    }
    const inject = async (options: Parameters<typeof createClientInstrumentation>[0], text: string) => {
      const headers: Record<string, string> = {}
      await underParent(otel.tracer, () => {
        instr(options)
          .start({ method: 'GET', url: counted(text), request: 0 })
          ?.inject(headers, recordSetter)
      })
      return headers
    }
    const instr = (options: Parameters<typeof createClientInstrumentation>[0]) =>
      createClientInstrumentation(options, scope)

    expect((await inject({ spans: false }, 'https://any.example/')).traceparent).toBeDefined()
    expect(parses).toBe(0)
    expect(
      await inject({ spans: false, propagateTo: ['https://internal.example'] }, 'https://any.example/'),
    ).toEqual({})
    expect(parses).toBe(1)
    expect(await inject({ spans: false, ignore: ['https://any.example'] }, 'https://any.example/')).toEqual(
      {},
    )
    expect(parses).toBe(2)
    expect((await inject({}, 'https://any.example/')).traceparent).toBeDefined()
    expect(parses).toBe(3)
  })

  it('leaves a request whose URL cannot be parsed alone when the URL is needed', async () => {
    const unparseable = () => undefined
    const throwing = () => {
      throw new TypeError('Invalid URL')
    }
    await underParent(otel.tracer, () => {
      expect(
        createClientInstrumentation({}, scope).start({ method: 'GET', url: unparseable, request: 0 }),
      ).toBe(undefined)
      expect(createClientInstrumentation({}, scope).start({ method: 'GET', url: throwing, request: 0 })).toBe(
        undefined,
      )
      const filtered = createClientInstrumentation(
        { spans: false, propagateTo: ['https://a.example'] },
        scope,
      )
      expect(filtered.start({ method: 'GET', url: unparseable, request: 0 })).toBe(undefined)
    })
    expect(otel.spans().map((s) => s.name)).toEqual(['parent'])
  })

  it('does nothing when tracing is suppressed, the URL is ignored, or an outer layer traces the request', () => {
    const instr = createClientInstrumentation({ ignore: ['https://ignored.example'] }, scope)
    // Suppressed: as for messaging, a handle that neither traces nor injects.
    const suppressed = context.with(suppressTracing(context.active()), () =>
      instr.start({ method: 'GET', url: () => url, request: 0 }),
    )!
    const written: Record<string, string> = {}
    suppressed.inject(written, recordSetter)
    suppressed.end({ status: 200 })
    expect(suppressed.span).toBeUndefined()
    expect(suppressed.observed).toBe(false)
    expect(written).toEqual({})
    expect(
      instr.start({ method: 'GET', url: () => new URL('https://ignored.example/x'), request: 0 }),
    ).toBeUndefined()
    const outer = instr.start({ method: 'GET', url: () => url, request: 0 })!
    expect(
      context.with(outer.context, () => instr.start({ method: 'GET', url: () => url, request: 0 })),
    ).toBeUndefined()
    outer.end({ status: 204 })
    expect(otel.spans()).toHaveLength(1)
  })

  it('keeps headers off destinations outside propagateTo but still records the span', async () => {
    const instr = createClientInstrumentation({ propagateTo: ['https://internal.example'] }, scope)
    const headers: Record<string, string> = {}
    await underParent(otel.tracer, () => {
      const call = instr.start({
        method: 'GET',
        url: () => new URL('https://third.party/?u=https://internal.example'),
        request: 0,
      })!
      call.inject(headers, recordSetter)
      call.end({ status: 200 })
    })
    expect(headers).toEqual({})
    expect(otel.spans().map((s) => s.name)).toEqual(['GET', 'parent'])
  })

  it('ends once, with ERROR and error.type for a status >= 400 and for a network error', () => {
    const instr = createClientInstrumentation({}, scope)
    const failing = instr.start({ method: 'POST', url: () => url, request: 0 })!
    failing.end({ status: 503 })
    failing.end({ status: 200 })
    const broken = instr.start({ method: 'GET', url: () => url, request: 0 })!
    broken.end({ error: Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } }) })
    const [s503, refused] = otel.spans()
    expect(otel.spans()).toHaveLength(2)
    expect(s503!.status.code).toBe(SpanStatusCode.ERROR)
    expect(s503!.attributes).toMatchObject({ 'http.response.status_code': 503, 'error.type': '503' })
    expect(refused!.status).toMatchObject({ code: SpanStatusCode.ERROR, message: 'fetch failed' })
    expect(refused!.attributes['error.type']).toBe('ECONNREFUSED')
    expect(refused!.events.map((e) => e.name)).toEqual(['exception'])
  })

  it('reports a throwing hook through diag and carries on', () => {
    const error = vi.spyOn(diag, 'error').mockImplementation(() => {})
    const boom = () => {
      throw new Error('hook')
    }
    const instr = createClientInstrumentation(
      { requestHook: boom, responseHook: boom, spanName: boom },
      scope,
    )
    const headers: Record<string, string> = {}
    const call = instr.start({ method: 'GET', url: () => url, request: 0 })!
    call.inject(headers, recordSetter)
    call.end({ status: 200 })
    expect(headers.traceparent).toBeDefined()
    expect(otel.spans()[0]!.name).toBe('GET')
    expect(error).toHaveBeenCalledTimes(3)
    error.mockRestore()
  })

  it('normalises unknown methods and redacts credentials and signatures in url.full', () => {
    const instr = createClientInstrumentation({}, scope)
    instr
      .start({
        method: 'PURGE',
        url: () => new URL('https://u:p@x.example/a?Signature=abc&b=1'),
        request: 0,
      })!
      .end({ status: 200 })
    expect(otel.spans()[0]!.name).toBe('HTTP')
    expect(otel.spans()[0]!.attributes).toMatchObject({
      'http.request.method': '_OTHER',
      'http.request.method_original': 'PURGE',
      'url.full': 'https://REDACTED:REDACTED@x.example/a?Signature=REDACTED&b=1',
      'server.port': 443,
    })
  })
})
