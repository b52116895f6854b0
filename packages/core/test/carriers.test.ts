import {
  axiosHeadersGetter,
  axiosHeadersSetter,
  fetchHeadersGetter,
  fetchHeadersSetter,
  flatHeadersGetter,
  flatHeadersSetter,
  recordGetter,
  recordSetter,
  toFlatHeaders,
  undiciHeadersGetter,
  undiciHeadersSetter,
} from '@otel-http/core'
import { AxiosHeaders } from 'axios'
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

describe('undici header forms', () => {
  it('reads a flat array, a record and an iterable of pairs', () => {
    expect(undiciHeadersGetter.get(['TraceParent', TP, 'x', 'y'], 'traceparent')).toBe(TP)
    expect(undiciHeadersGetter.get({ traceparent: TP }, 'traceparent')).toBe(TP)
    expect(undiciHeadersGetter.get(new Map([['baggage', ['a=1', 'b=2']]]), 'baggage')).toBe('a=1,b=2')
    expect(undiciHeadersGetter.get(['traceparent', TP, 'traceparent', TP2], 'traceparent')).toBeUndefined()
  })
  it('copies any form into a flat array without touching the original', () => {
    const original = { accept: ['a', 'b'], 'x-n': 1 as unknown as string }
    const flat = toFlatHeaders(original)
    expect(flat).toEqual(['accept', 'a', 'accept', 'b', 'x-n', '1'])
    flatHeadersSetter.set(flat, 'traceparent', TP)
    expect(original).toEqual({ accept: ['a', 'b'], 'x-n': 1 })
    expect(toFlatHeaders(new Map([['a', 'b']]))).toEqual(['a', 'b'])
    expect(toFlatHeaders([Buffer.from('a'), Buffer.from('b')])).toEqual(['a', 'b'])
  })
  it('replaces every pair with the same name in a flat array', () => {
    const flat = ['TraceParent', TP2, 'accept', '*/*', 'traceparent', TP2]
    undiciHeadersSetter.set(flat, 'traceparent', TP)
    expect(flat).toEqual(['accept', '*/*', 'traceparent', TP])
    expect(flatHeadersGetter.get(flat, 'traceparent')).toBe(TP)
  })
})

describe('axios AxiosHeaders carrier', () => {
  it('replaces a traceparent set in another case and reads it back', () => {
    const headers = new AxiosHeaders({ TraceParent: TP2 })
    axiosHeadersSetter.set(headers, 'traceparent', TP)
    expect(Object.keys(headers.toJSON())).toEqual(['TraceParent'])
    expect(axiosHeadersGetter.get(headers, 'traceparent')).toBe(TP)
  })
})
