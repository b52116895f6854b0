import { fetchHeadersGetter, fetchHeadersSetter, recordGetter, recordSetter } from '@otel-http/core'
import { describe, expect, it } from 'vitest'

const TP = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01'
const TP2 = '00-0af7651916cd43dd8448eb211c80319d-b7ad6b7169203332-01'

describe('Fetch Headers carrier', () => {
  it('replaces an existing traceparent regardless of case', () => {
    const headers = new Headers({ TraceParent: TP2 })
    fetchHeadersSetter.set(headers, 'traceparent', TP)
    expect([...headers.entries()]).toEqual([['traceparent', TP]])
  })
  it('reports a repeated traceparent as invalid and combines tracestate in order', () => {
    const headers = new Headers()
    headers.append('traceparent', TP)
    headers.append('traceparent', TP2)
    headers.append('tracestate', 'a=1')
    headers.append('tracestate', 'b=2')
    expect(fetchHeadersGetter.get(headers, 'traceparent')).toBeUndefined()
    expect(fetchHeadersGetter.get(headers, 'tracestate')).toBe('a=1, b=2')
  })
})

describe('record carrier (Node headers, plain records)', () => {
  it('reads keys in any case and string | string[] | number values', () => {
    const headers = { TraceParent: TP, 'Content-Length': 5, baggage: ['a=1', 'b=2'] }
    expect(recordGetter.get(headers, 'traceparent')).toBe(TP)
    expect(recordGetter.get(headers, 'content-length')).toBe('5')
    expect(recordGetter.get(headers, 'baggage')).toBe('a=1,b=2')
    expect(recordGetter.keys(headers)).toEqual(['traceparent', 'content-length', 'baggage'])
  })
  it('reports a repeated traceparent (array or two case variants, or joined by Node) as invalid', () => {
    expect(recordGetter.get({ traceparent: [TP, TP2] }, 'traceparent')).toBeUndefined()
    expect(recordGetter.get({ traceparent: TP, TRACEPARENT: TP2 }, 'traceparent')).toBeUndefined()
    expect(recordGetter.get({ traceparent: `${TP}, ${TP2}` }, 'traceparent')).toBeUndefined()
  })
  it('replaces every case variant with one lower-case header', () => {
    const headers: Record<string, string> = { TraceParent: TP2, TRACEPARENT: TP2, accept: '*/*' }
    recordSetter.set(headers, 'traceparent', TP)
    expect(headers).toEqual({ accept: '*/*', traceparent: TP })
  })
})
