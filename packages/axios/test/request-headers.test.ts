import type { TextMapSetter } from '@opentelemetry/api'
import { AxiosHeaders } from 'axios'
import { describe, expect, it } from 'vitest'
import { injectHeaders } from '../src/request-headers'

const TP = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01'
const TP2 = '00-0af7651916cd43dd8448eb211c80319d-b7ad6b7169203332-01'

// What a call injects: a traceparent and a baggage value with a line break (dropped).
const call = {
  inject<C>(carrier: C, setter: TextMapSetter<C>) {
    setter.set(carrier, 'traceparent', TP)
    setter.set(carrier, 'baggage', 'a=1\r\nx-evil: 1')
  },
}

describe('injectHeaders', () => {
  it('replaces a traceparent set in another case, in place, and drops an invalid value', () => {
    const headers = new AxiosHeaders({ TraceParent: TP2, accept: 'application/json' })
    expect(injectHeaders(headers, call)).toBe(headers)
    expect(Object.keys(headers.toJSON())).toEqual(['TraceParent', 'accept'])
    expect(headers.get('traceparent')).toBe(TP)
    expect(headers.has('baggage')).toBe(false)
  })

  it('leaves a header the caller set to false (never send it) alone', () => {
    const headers = new AxiosHeaders({ traceparent: false })
    injectHeaders(headers, call)
    expect(headers.get('traceparent')).toBe(false)
  })

  it('copies a plain object instead of writing into it', () => {
    const caller = { Accept: 'text/plain' }
    const sent = injectHeaders(caller, call) as unknown as Record<string, string>
    expect(caller).toEqual({ Accept: 'text/plain' })
    expect(sent).toEqual({ Accept: 'text/plain', traceparent: TP })
  })
})
