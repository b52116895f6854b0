import {
  copyHeaderRecord,
  fetchHeadersGetter,
  fetchHeadersSetter,
  freshRecordSetter,
  messageAttributesGetter,
  recordGetter,
  recordSetter,
} from '@otel-http/core'
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
  it('writes into a fresh record as given, and drops a value the platform would reject', () => {
    const injected: Record<string, string> = {}
    freshRecordSetter.set(injected, 'traceparent', TP)
    freshRecordSetter.set(injected, 'baggage', 'a=1\r\nx-evil: 1')
    expect(injected).toEqual({ traceparent: TP })
  })
})

describe('copyHeaderRecord', () => {
  it('copies own enumerable keys with their values, leaving the source as it was', () => {
    const source = { accept: '*/*', 'X-Id': ['a', 'b'], 'content-length': 5 }
    const copy = copyHeaderRecord(source)
    recordSetter.set(copy, 'traceparent', TP)
    expect(copy).toEqual({ accept: '*/*', 'X-Id': ['a', 'b'], 'content-length': 5, traceparent: TP })
    expect(source).toEqual({ accept: '*/*', 'X-Id': ['a', 'b'], 'content-length': 5 })
  })
  it('copies what `{ ...record }` copies: not inherited or non-enumerable keys', () => {
    const source = Object.create({ inherited: 'x' }) as Record<string, string>
    source.own = 'y'
    Object.defineProperty(source, 'hidden', { value: 'z', enumerable: false })
    expect(copyHeaderRecord(source)).toEqual({ own: 'y' })
    expect(Object.getPrototypeOf(copyHeaderRecord(source))).toBe(Object.prototype)
  })
  it('copies own enumerable symbol keys too, as `{ ...record }` does, on every engine', () => {
    const mark = Symbol('mark')
    const hidden = Symbol('hidden')
    const source: Record<PropertyKey, unknown> = { accept: '*/*', [mark]: true }
    Object.defineProperty(source, hidden, { value: 1, enumerable: false })
    const copy = copyHeaderRecord(source)
    expect(copy[mark]).toBe(true)
    expect(Object.getOwnPropertySymbols(copy)).toEqual([mark])
  })
  it('gives an empty record for none', () => {
    expect(copyHeaderRecord(undefined)).toEqual({})
    expect(copyHeaderRecord(null)).toEqual({})
  })
})

describe('SQS / SNS message attributes carrier', () => {
  it.each([
    ['the AWS SDK', { traceparent: { DataType: 'String', StringValue: TP } }],
    ['a Lambda SQS record', { traceparent: { dataType: 'String', stringValue: TP } }],
    ['an SNS record or envelope', { traceparent: { Type: 'String', Value: TP } }],
    ['a custom String type', { traceparent: { DataType: 'String.w3c', StringValue: TP } }],
  ])('reads the attribute shape of %s', (_, attributes) => {
    expect(messageAttributesGetter.get(attributes, 'traceparent')).toBe(TP)
    expect(messageAttributesGetter.keys(attributes)).toEqual(['traceparent'])
  })
  it('skips binary and number attributes, and absent or malformed ones', () => {
    const attributes = {
      traceparent: { Type: 'Binary', Value: 'AAEC' },
      tracestate: { dataType: 'Number', stringValue: '1' },
      baggage: null,
    }
    expect(messageAttributesGetter.get(attributes, 'traceparent')).toBeUndefined()
    expect(messageAttributesGetter.get(attributes, 'tracestate')).toBeUndefined()
    expect(messageAttributesGetter.get(attributes, 'baggage')).toBeUndefined()
    expect(messageAttributesGetter.get(undefined, 'traceparent')).toBeUndefined()
    expect(messageAttributesGetter.keys(null)).toEqual([])
  })
  it('prefers the exact name and accepts a case variant when it is absent', () => {
    const variant = { Traceparent: { DataType: 'String', StringValue: TP2 } }
    expect(messageAttributesGetter.get(variant, 'traceparent')).toBe(TP2)
    const both = { ...variant, traceparent: { DataType: 'String', StringValue: TP } }
    expect(messageAttributesGetter.get(both, 'traceparent')).toBe(TP)
  })
})
