import { context, diag, propagation, trace } from '@opentelemetry/api'
import { createClientInstrumentation, recordSetter } from '@otel-http/core'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { setupTracing } from '../../../test/support/tracing'

// A page at https://app.example: a global `location`, as in a browser window or a web worker.
const otel = setupTracing()
const scope = { name: 'test-page' }

beforeEach(() => {
  vi.stubGlobal('location', { origin: 'https://app.example', href: 'https://app.example/shop/cart' })
})
afterEach(() => {
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
  otel.reset()
})

function request(options: Parameters<typeof createClientInstrumentation>[0], url: string) {
  const instrumentation = createClientInstrumentation(options, scope)
  const headers: Record<string, string> = {}
  const parent = otel.tracer.startSpan('page')
  const ctx = propagation.setBaggage(
    trace.setSpan(context.active(), parent),
    propagation.createBaggage({ user_id: { value: 'alice' } }),
  )
  const call = context.with(ctx, () =>
    instrumentation.start({ method: 'GET', url: () => new URL(url), request: 0 }),
  )
  call!.inject(headers, recordSetter)
  parent.end()
  return { call: call!, headers }
}

describe('client instrumentation in a page', () => {
  it('sends trace headers and baggage to the page origin only by default', () => {
    expect(request({}, 'https://app.example/api/items').headers).toMatchObject({
      traceparent: expect.any(String),
      baggage: 'user_id=alice',
    })
    expect(request({}, 'https://api.other.example/items').headers).toEqual({})
  })

  it('adds listed origins and paths to the page origin', () => {
    const options = { propagateTo: ['https://api.other.example', '/api'] }
    expect(request(options, 'https://api.other.example/items').headers.traceparent).toBeDefined()
    expect(request(options, 'https://app.example/static/x.js').headers.traceparent).toBeDefined()
    expect(request(options, 'https://cdn.example/x.js').headers).toEqual({})
  })
})

describe('the CORS hint', () => {
  const failed = new TypeError('Failed to fetch')

  it('explains a network error after trace headers went cross-origin, once per origin', () => {
    const warn = vi.spyOn(diag, 'warn').mockImplementation(() => {})
    const options = { propagateTo: ['https://strict.example'] }
    request(options, 'https://strict.example/a').call.end({ error: failed })
    request(options, 'https://strict.example/b').call.end({ error: { code: 'ERR_NETWORK' } })
    expect(warn).toHaveBeenCalledTimes(1)
    const message = String(warn.mock.calls[0]![0])
    expect(message).toContain('https://strict.example')
    expect(message).toContain('traceparent, baggage')
    expect(message).toContain('Access-Control-Allow-Headers')
    expect(message).toContain('out of propagateTo')
    expect(otel.spans().filter((s) => s.name === 'GET')).toHaveLength(2)
  })

  it('stays quiet when nothing was added, the request is same-origin, or the error is not a network error', () => {
    const warn = vi.spyOn(diag, 'warn').mockImplementation(() => {})
    request({}, 'https://quiet-a.example/').call.end({ error: failed })
    request({}, 'https://app.example/api').call.end({ error: failed })
    const options = { propagateTo: ['https://quiet-b.example'] }
    request(options, 'https://quiet-b.example/').call.end({
      error: new DOMException('aborted', 'AbortError'),
    })
    request(options, 'https://quiet-b.example/').call.end({ status: 502 })
    expect(warn).not.toHaveBeenCalled()
  })

  it('is not installed outside a page', () => {
    vi.unstubAllGlobals()
    const warn = vi.spyOn(diag, 'warn').mockImplementation(() => {})
    const { call, headers } = request({}, 'https://server-side.example/')
    expect(headers.traceparent).toBeDefined()
    call.end({ error: failed })
    expect(warn).not.toHaveBeenCalled()
  })
})
